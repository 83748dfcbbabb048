"""Validation of the shipped bank and of broken copies; the bank never copies the playbooks."""

import re
import shutil
from pathlib import Path

import pytest

from simulator.bank import default_bank_dir, load_bank
from simulator.errors import BankError

from .cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"


def test_shipped_bank_validates():
    r = run_cli("bank", "validate")
    assert r.returncode == 0, r.stderr
    assert "ok" in r.stdout


def test_every_question_has_three_probes_and_both_exemplars(bank):
    for q in bank.questions.values():
        assert len(q.probes) >= 3, q.id
        assert set(q.strong.sections) == {"situation", "task", "action", "result", "reflection"}
        assert q.weak.text and q.weak.problems


@pytest.fixture
def broken(tmp_path):
    copy = tmp_path / "bank"
    shutil.copytree(default_bank_dir(), copy)
    return copy


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def problems(root: Path) -> str:
    with pytest.raises(BankError) as info:
        load_bank(root)
    return str(info.value)


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_unknown_key_is_reported_with_file_and_line(broken):
    f = broken / "questions" / "production_debugging.yaml"
    edit(f, "    story: webhook-race\n", "    story: webhook-race\n    dificulty: hard\n")
    msg = problems(broken)
    assert f"{f}:{line_of(f, 'dificulty')}: unknown key 'dificulty' in question" in msg


def test_duplicate_ids_are_rejected(broken):
    f = broken / "questions" / "production_debugging.yaml"
    edit(f, "id: debug-intermittent", "id: debug-hardest-bug")
    assert "duplicate id 'debug-hardest-bug'" in problems(broken)


def test_unknown_weakness_code_is_rejected(broken):
    f = broken / "questions" / "production_debugging.yaml"
    edit(f, "triggers: [handoff, we_language]", "triggers: [handoff, we_langauge]")
    msg = problems(broken)
    assert re.search(rf"{re.escape(str(f))}:\d+: probe 'webhook-race-influence' names unknown weakness code "
                     rf"'we_langauge'", msg)


def test_unreachable_probe_is_rejected(broken):
    f = broken / "questions" / "production_debugging.yaml"
    edit(f, "triggers: [no_metric, short_result, no_business_impact]", "triggers: [handoff]")
    assert "probe 'webhook-race-impact' can never be asked" in problems(broken)


def test_yaml_syntax_error_names_the_line(broken):
    f = broken / "principles.yaml"
    edit(f, "  ownership:\n", "  ownership: [\n")
    msg = problems(broken)
    assert f"{f}:" in msg and "YAML syntax error" in msg


def test_weakness_without_generic_probe_is_rejected(broken):
    f = broken / "weaknesses.yaml"
    edit(f, "triggers: [fillers, pace_fast, pace_slow, long_pauses]", "triggers: [fillers, pace_fast, pace_slow]")
    assert f"{f}:{line_of(f, 'long_pauses: {')}: weakness 'long_pauses' has no generic probe" in problems(broken)


def test_broken_bank_cli_gives_lines_and_non_zero_exit(broken):
    f = broken / "questions" / "production_debugging.yaml"
    edit(f, "    story: webhook-race\n", "    story: webhook-race\n    colour: red\n")
    r = run_cli("bank", "validate", str(broken))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert "unknown key 'colour'" in r.stderr


def _sentences(text: str):
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        words = re.findall(r"[a-z0-9']+", sentence.lower())
        if len(words) >= 10:
            yield " ".join(words)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the playbooks in ../shared/seeds are not beside this checkout")
def test_no_sentence_of_ten_words_is_copied_from_the_playbooks():
    seeds = " ".join(" ".join(re.findall(r"[a-z0-9']+", p.read_text(errors="ignore").lower())) for p in SEEDS.glob("*"))
    copied = []
    for path in default_bank_dir().rglob("*.yaml"):
        for sentence in _sentences(path.read_text()):
            if sentence in seeds:
                copied.append(f"{path.name}: {sentence}")
    assert not copied, copied


def test_targets_layer_from_defaults_to_the_questions_own_level(broken):
    f = broken / "questions" / "production_debugging.yaml"
    edit(f, "    story: webhook-race\n", "    story: webhook-race\n    targets: {action: 100}\n"
         "    level_targets: {junior: {result: 12}}\n")
    q = load_bank(broken).questions["debug-hardest-bug"]
    assert q.targets_for(None) == {"situation": 30, "task": 20, "action": 100, "result": 20, "reflection": 15}
    # junior: the bank's junior targets, this question's action, and its own junior result
    assert q.targets_for("junior") == {"situation": 20, "task": 15, "action": 100, "result": 12, "reflection": 10}
    assert sum(load_bank().questions["debug-hardest-bug"].targets_for("junior").values()) < 120


ARCHETYPES = {"production_debugging", "ambiguity", "incident_caused", "disagreement", "mentoring", "cross_functional",
              "production_scale", "different_decision", "customer_empathy", "replaceable"}


def test_the_bank_covers_archetypes_principles_and_leadership_levels(bank):
    questions = list(bank.questions.values())
    assert len(questions) >= 60
    assert {q.archetype for q in questions} == ARCHETYPES
    assert {p for q in questions for p in q.principles} == set(bank.lenses)
    assert len(bank.lenses) == 16
    for level in ("mid", "senior", "staff"):
        leadership = [q for q in questions if "leadership" in q.competencies and level in q.levels]
        assert len(leadership) >= 3, level
