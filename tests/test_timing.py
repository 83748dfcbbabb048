import pytest

from simulator.analysis.timing import delivery, find_fillers, find_pauses, section_timings, verdict
from simulator.types import Segment, Sentence

from .fakes import timed


def words(text: str, gap: float = 0.3):
    out, t = [], 0.0
    for token in text.split():
        out.append((token, t, t + 0.25))
        t += gap
    return timed(*out)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("um I fixed it", ["um"]),
        ("I uh fixed it, hmm, yes", ["uh", "hmm"]),
        ("it was, you know, broken", ["you know"]),
        ("you know what the problem was", []),
        ("I mean, it failed", ["i mean"]),
        ("it was, like, broken", ["like"]),
        ("it looked like a race", []),
        ("I'd like to add", []),
        ("like, um, the logs", ["like", "um"]),
        ("Er, the service", ["er"]),
    ],
)
def test_fillers(text, expected):
    assert [f.text for f in find_fillers(words(text))] == expected


def test_filler_times_are_the_words_times():
    found = find_fillers(words("so um then", gap=1.0))
    assert (found[0].start_s, found[0].end_s) == (1.0, 1.25)


def test_long_pauses_are_two_seconds_or_more():
    w = timed(("a", 0, 0.5), ("b", 2.4, 2.8), ("c", 4.8, 5.0), ("d", 5.1, 5.3))
    pauses = find_pauses(w)
    assert [(p.start_s, p.end_s) for p in pauses] == [(2.8, 4.8)]


@pytest.mark.parametrize(
    "duration, target, present, expected",
    [(46, 30, True, "long"), (45, 30, True, "ok"), (4, 20, True, "short"), (10, 20, True, "ok"),
     (0, 20, False, "missing")],
)
def test_verdicts(duration, target, present, expected):
    assert verdict(duration, target, present) == expected


def test_pace_excludes_fillers():
    w = words("um " + "word " * 59, gap=0.5)  # 60 tokens over ~30 s
    d = delivery(w)
    assert len(d.fillers) == 1
    assert d.wpm == pytest.approx(59 / (w[-1].end_s / 60), rel=0.01)


def _seg(name, start, end, headline=False):
    sentence = Sentence(0, timed((name, start, end)))
    return Segment(name, start, end, (sentence,), headline)


def test_headline_result_is_listed_first_and_both_runs_add_up():
    segs = [_seg("result", 0, 5, True), _seg("situation", 5, 30), _seg("action", 30, 100), _seg("result", 100, 118)]
    t = section_timings(segs, {"situation": 30, "task": 20, "action": 90, "result": 20, "reflection": 15})
    assert [s.name for s in t] == ["result", "situation", "action", "task", "reflection"]
    result = t[0]
    assert result.duration_s == 23 and result.start_s == 0 and result.end_s == 118
    assert [s.verdict for s in t if s.name in ("task", "reflection")] == ["missing", "missing"]
