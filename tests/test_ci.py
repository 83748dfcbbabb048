"""CI must fail rather than skip: a run that skipped what it could not reach did not test it."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]

SKIPPING = """
import pytest

def test_needs_the_shared_audio():
    pytest.skip("../shared/audio is not beside this checkout")

@pytest.mark.skipif(True, reason="unshare -n is not permitted here")
def test_needs_unshare():
    pass
"""


def run_with_our_conftest(pytester, monkeypatch, ci: str | None):
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text())
    pytester.makepyfile(test_skipping=SKIPPING)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    return pytester.runpytest("-ra")


def test_a_skip_fails_the_run_under_ci(pytester, monkeypatch):
    result = run_with_our_conftest(pytester, monkeypatch, "true")
    assert result.ret != 0
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) + outcomes.get("errors", 0) == 2 and "skipped" not in outcomes
    result.stdout.fnmatch_lines(["*skipped, which fails under CI=true*shared/audio is not beside*"])


def test_outside_ci_a_skip_stays_a_skip_and_says_why(pytester, monkeypatch):
    result = run_with_our_conftest(pytester, monkeypatch, None)
    assert result.ret == 0
    result.assert_outcomes(skipped=2)
    result.stdout.fnmatch_lines(["SKIPPED*unshare -n is not permitted here*"])
