"""Transcripts that come as text: plain text timed at a speaking pace, or JSON words with their times.

`analyze` accepts these alongside audio so an answer can be studied, or a test written, without any
audio at all.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import AudioFileError
from ..types import JSON, Transcript, Word

TEXT_WPM = 150.0
TEXT_SUFFIXES = (".txt", ".md")


def words_from_text(text: str, wpm: float = TEXT_WPM, start_s: float = 0.0) -> tuple[Word, ...]:
    """Even timing at `wpm`, with a short breath after each sentence as a speaker would take."""
    step = 60.0 / wpm
    words, t = [], start_s
    for token in text.split():
        words.append(Word(token, t, t + step * 0.85))
        t += step
        if token.endswith((".", "?", "!")):
            t += step * 0.5
    return tuple(words)


def transcript_from_text(text: str, wpm: float = TEXT_WPM) -> Transcript:
    words = words_from_text(text, wpm)
    return Transcript(words, words[-1].end_s if words else 0.0)


def load_transcript_file(path: Path) -> Transcript:
    """Read a .txt/.md transcript or a .json one: {"words": [{text, start_s, end_s}]} or a report."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AudioFileError(f"cannot read {path}: {exc.__class__.__name__}; pass a readable text, JSON or audio "
                             f"file") from None
    if path.suffix.lower() != ".json":
        return transcript_from_text(raw)
    try:
        data = json.loads(raw)
        words = data["words"] if isinstance(data, dict) else data
        parsed = tuple(Word(str(w["text"]), float(w["start_s"]), float(w["end_s"])) for w in words)
    except (ValueError, KeyError, TypeError) as exc:
        raise AudioFileError(
            f"{path} is not a transcript: expected {{\"words\": [{{\"text\", \"start_s\", \"end_s\"}}]}} ({exc})"
        ) from None
    duration = float(data.get("duration_s", 0.0)) if isinstance(data, dict) else 0.0
    # A saved transcript keeps what may hold missed speech, so an analysis of it never calls that a pause.
    unheard, voice = (_spans(data, "unheard_speech"), _spans(data, "voice")) if isinstance(data, dict) else ((), ())
    return Transcript(parsed, max(duration, parsed[-1].end_s if parsed else 0.0), unheard, voice)


def _spans(data: JSON, key: str) -> tuple[tuple[float, float], ...]:
    try:
        return tuple((float(s), float(e)) for s, e in data.get(key) or ())
    except (ValueError, TypeError):
        raise AudioFileError(f"the transcript's '{key}' is not a list of [start, end] pairs") from None


def is_text_transcript(path: Path) -> bool:
    return path.suffix.lower() in (*TEXT_SUFFIXES, ".json")
