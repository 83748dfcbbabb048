"""Voice activity with Silero VAD (bundled with faster-whisper): where speech is, whatever the language."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .audio import SAMPLE_RATE

PAUSE_S = 0.3
JOIN_GAP_S = 1.0  # speech regions this close together are one stretch of talk

Span = tuple[float, float]


def silero_speech(audio: np.ndarray) -> list[dict]:
    """Silero's speech regions as {"start", "end"} sample ranges."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # Silero pads speech by 400 ms on each side by default, which hides the short pauses between sentences.
    return get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=int(PAUSE_S * 1000),
                                                   min_speech_duration_ms=150, speech_pad_ms=30))


def speech_spans(audio: np.ndarray, offset_s: float = 0.0) -> list[Span]:
    return [(offset_s + r["start"] / SAMPLE_RATE, offset_s + r["end"] / SAMPLE_RATE) for r in silero_speech(audio)]


def join_spans(spans: Sequence[Span], gap_s: float = JOIN_GAP_S) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start - out[-1][1] < gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
