"""Pure timing and delivery measures: section durations against targets, pace, fillers, pauses.

No audio, ML or UI imports: everything here works on Word and Segment values, so it is tested with
hand-written timings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import JSON, SECTION_NAMES, SectionTiming, Segment, Word

Span = tuple[float, float]

LONG_FACTOR = 1.5  # "long" is over 1.5 x target (45 s for a 30 s Situation)
SHORT_FACTOR = 0.35  # a 4 s Result against a 20 s target is "short"
LONG_PAUSE_S = 2.0

# The 2-3 minute rule, adjusted by level: a junior answer should stay under two minutes.
# The 2 to 3 minute rule, and how the playbooks move it by level: a junior story fits under two minutes,
# senior and staff answers are expected to use most of the three. The one place drill, interview and
# analyze read the band from.
ANSWER_BANDS = {
    "junior": (60.0, 120.0),
    "mid": (120.0, 180.0),
    "senior": (150.0, 180.0),
    "staff": (150.0, 180.0),
}
DEFAULT_LEVEL = "mid"


def clock(seconds: float | None) -> str:
    """m:ss.s, the way every time is shown."""
    if seconds is None:
        return "-"
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


@dataclass(frozen=True)
class Filler:
    text: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Pause:
    start_s: float
    end_s: float

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class Delivery:
    wpm: float
    fillers: tuple[Filler, ...]
    fillers_per_min: float
    long_pauses: tuple[Pause, ...]
    speaking_s: float
    start_s: float = 0.0

    def to_json(self) -> JSON:
        return {
            "wpm": round(self.wpm, 1),
            "fillers": [{"text": f.text, "start_s": round(f.start_s, 2)} for f in self.fillers],
            "fillers_per_min": round(self.fillers_per_min, 2),
            "long_pauses": [
                {"start_s": round(p.start_s, 2), "end_s": round(p.end_s, 2), "duration_s": round(p.duration_s, 2)}
                for p in self.long_pauses
            ],
        }


def verdict(duration_s: float, target_s: float, present: bool) -> str:
    if not present:
        return "missing"
    if duration_s > LONG_FACTOR * target_s:
        return "long"
    if duration_s < SHORT_FACTOR * target_s:
        return "short"
    return "ok"


def section_timings(segments: Sequence[Segment], targets: dict[str, float]) -> list[SectionTiming]:
    """All five sections, in the order they were first spoken; missing ones last, in STAR order.

    A section spoken in two runs (a headline result and the result proper) adds both durations.
    """
    spoken: dict[str, list[Segment]] = {}
    for seg in segments:
        spoken.setdefault(seg.name, []).append(seg)
    order = list(dict.fromkeys(seg.name for seg in segments))
    order += [name for name in SECTION_NAMES if name not in spoken]
    out = []
    for name in order:
        runs = spoken.get(name, [])
        duration = sum(r.duration_s for r in runs)
        out.append(
            SectionTiming(
                name=name,
                start_s=runs[0].start_s if runs else None,
                end_s=runs[-1].end_s if runs else None,
                duration_s=duration,
                target_s=targets[name],
                verdict=verdict(duration, targets[name], bool(runs)),
                text=" ".join(r.text for r in runs),
            )
        )
    return out


def answer_band(level: str | None) -> tuple[float, float]:
    return ANSWER_BANDS.get(level or DEFAULT_LEVEL, ANSWER_BANDS[DEFAULT_LEVEL])


def _norm(text: str) -> str:
    return re.sub(r"[^a-z']", "", text.lower())


SINGLE_FILLERS = {"um", "uh", "er", "erm", "hmm", "hm", "mm", "uhm", "umm", "uhh", "ah"}
PAIR_FILLERS = {("you", "know"), ("i", "mean"), ("sort", "of"), ("kind", "of")}
# "you know what/how/that ..." and "I mean that ..." carry meaning; only bare uses are fillers.
_MEANINGFUL_NEXT = {"what", "how", "that", "why", "when", "where", "who", "the", "it", "this", "a", "an", "to", "if"}


def _pause_or_comma(word: Word | None, nxt: Word | None = None) -> bool:
    if word is None:
        return True
    return word.text.endswith((",", ".", "?", "!", "...", "-")) or (
        nxt is not None and nxt.start_s - word.end_s > 0.4
    )


def find_fillers(words: Sequence[Word]) -> list[Filler]:
    fillers: list[Filler] = []
    i = 0
    while i < len(words):
        w = words[i]
        prev = words[i - 1] if i else None
        nxt = words[i + 1] if i + 1 < len(words) else None
        token = _norm(w.text)
        if token in SINGLE_FILLERS:
            fillers.append(Filler(token, w.start_s, w.end_s))
        elif nxt is not None and (token, _norm(nxt.text)) in PAIR_FILLERS:
            after = words[i + 2] if i + 2 < len(words) else None
            bare = _pause_or_comma(nxt, after) or after is None or _norm(after.text) not in _MEANINGFUL_NEXT
            hedge = token in ("sort", "kind")
            if (not hedge and bare and _pause_or_comma(prev, w)) or (hedge and _pause_or_comma(nxt, after)):
                fillers.append(Filler(f"{token} {_norm(nxt.text)}", w.start_s, nxt.end_s))
                i += 2
                continue
        elif token == "like" and _like_is_filler(prev, w, nxt):
            fillers.append(Filler("like", w.start_s, w.end_s))
        i += 1
    return fillers


def _like_is_filler(prev: Word | None, word: Word, nxt: Word | None) -> bool:
    """'like' as a filler is set off by commas or pauses, or sits next to another filler.

    "It looked like a race" and "I'd like to" are not fillers; "it was, like, broken" and "like, um" are.
    """
    if word.text.endswith(","):
        return True
    if prev is not None and _norm(prev.text) in (
        "would", "i'd", "you'd", "we'd", "looks", "looked", "felt", "seemed", "just", "something", "things"
    ):
        return False
    if nxt is not None and _norm(nxt.text) in SINGLE_FILLERS:
        return True
    opens_phrase = nxt is not None and _norm(nxt.text) in ("a", "an", "the", "to", "this", "that")
    return prev is not None and prev.text.endswith(",") and not opens_phrase


def find_pauses(words: Sequence[Word], min_s: float = LONG_PAUSE_S, not_silent: Sequence[Span] = ()) -> list[Pause]:
    """Silences of at least `min_s` between words. `not_silent` are stretches that may hold speech (voice
    the VAD heard, speech the model could not read): a gap is a pause only where it is clear of them, so
    speech the transcript missed is never shown as a pause."""
    pauses = []
    for a, b in zip(words, words[1:], strict=False):
        pauses += [Pause(s, e) for s, e in _clear_of(a.end_s, b.start_s, not_silent) if e - s >= min_s]
    return pauses


def _clear_of(start: float, end: float, spans: Sequence[Span]) -> list[Span]:
    """The parts of start..end that no span covers."""
    parts, cursor = [], start
    for s, e in sorted(spans):
        if e <= cursor or s >= end:
            continue
        if s > cursor:
            parts.append((cursor, s))
        cursor = max(cursor, e)
    if cursor < end:
        parts.append((cursor, end))
    return parts


def missed_speech_note(spans: Sequence[Span]) -> str:
    """One line for the user: where there may be speech the transcript does not hold."""
    where = ", ".join(f"{clock(s)} to {clock(e)}" for s, e in spans)
    return (f"possibly missed speech from {where}: voice was heard but no English words could be made out "
            "(another language, or too unclear); not scored, and not counted as a pause")


def no_speech_message(what: str, spans: Sequence[Span], where: str = "") -> str:
    if spans:
        return f"no English speech in the {what}: {missed_speech_note(spans)}{where}"
    return f"no speech heard in the {what}: check the microphone or the file{where}"


def delivery(words: Sequence[Word], not_silent: Sequence[Span] = ()) -> Delivery:
    fillers = find_fillers(words)
    pauses = find_pauses(words, not_silent=not_silent)
    if not words:
        return Delivery(0.0, (), 0.0, (), 0.0)
    speaking = max(words[-1].end_s - words[0].start_s, 1e-6)
    # Pace counts what was said, not hesitation: fillers are excluded from the word count.
    filler_words = sum(len(f.text.split()) for f in fillers)
    minutes = speaking / 60
    wpm = (len(words) - filler_words) / minutes if speaking >= 5 else 0.0
    per_min = len(fillers) / minutes if speaking >= 5 else float(len(fillers))
    return Delivery(wpm, tuple(fillers), per_min, tuple(pauses), speaking, words[0].start_s)
