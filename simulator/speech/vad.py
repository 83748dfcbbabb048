"""Voice activity with Silero VAD (bundled with faster-whisper): where speech is, whatever the language.

Silero's output depends on the level of its input: a hoarse voice in another room that it found at full
level vanished at half level (../shared/audio/more/cold_corpus.wav: 15.8 s of voice, then 1.4 s). The
audio is therefore brought to a common level before Silero hears it (`vad_gain`); the transcript
keeps the original samples. The VAD is never the only judge of what was speech: transcribe.py keeps
words the decoder read where there is sound, and reports voice that got no words (see unheard.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from .audio import SAMPLE_RATE, frame_db

WINDOW = 512  # Silero's step at 16 kHz: 32 ms
PAUSE_S = 0.3
JOIN_GAP_S = 1.0  # speech regions this close together are one stretch of talk
THRESHOLD = 0.5
NEG_THRESHOLD = 0.35  # once in speech, stay until the probability falls below this (Silero's own default)
MIN_SPEECH_S = 0.15
PAD_S = 0.03  # Silero pads by 400 ms by default, which hides the short pauses between sentences
TARGET_DBFS = -20.0  # where the loud part of the recording is put
MAX_GAIN_DB = 30.0  # a silent or hiss-only recording is not blown up into noise

Span = tuple[float, float]


@lru_cache(maxsize=1)
def _model():
    from faster_whisper.vad import get_vad_model

    return get_vad_model()


def vad_gain(audio: np.ndarray) -> float:
    """The factor that puts the loudest 5% of 20 ms frames at TARGET_DBFS (capped)."""
    levels = frame_db(audio)
    if levels.size == 0:
        return 1.0
    return float(10 ** (min(TARGET_DBFS - np.percentile(levels, 95), MAX_GAIN_DB) / 20))


BLOCK_WINDOWS = 940  # 30 s: Silero runs a block at once, and its working memory grows with the block
LEAD_WINDOWS = 16  # each block after the first starts 0.5 s early, so its state has settled at the seam


def voice_probabilities(audio: np.ndarray) -> np.ndarray:
    """Silero's speech probability for every 32 ms window of the levelled audio, 30 s at a time (in one
    call, a 20-minute recording took 300 MB more at its peak), each block levelled as it goes."""
    if audio.size == 0:
        return np.zeros(0, dtype=np.float32)
    gain = vad_gain(audio)
    windows = -(-audio.size // WINDOW)
    out = []
    for first in range(0, windows, BLOCK_WINDOWS):
        lead = min(first, LEAD_WINDOWS)
        block = (audio[(first - lead) * WINDOW:(first + BLOCK_WINDOWS) * WINDOW] * gain).astype(np.float32)
        block = np.pad(block, (0, -block.size % WINDOW))
        out.append(np.asarray(_model()(block), dtype=np.float32).reshape(-1)[lead:])
    return np.concatenate(out)


def regions(probs: np.ndarray, min_silence_s: float = PAUSE_S) -> list[tuple[int, int]]:
    """Speech as [start, end) sample ranges, from window probabilities with hysteresis."""
    out: list[list[int]] = []
    inside = False
    for i, p in enumerate(probs):
        if not inside and p >= THRESHOLD:
            inside = True
            if out and i * WINDOW - out[-1][1] < min_silence_s * SAMPLE_RATE:
                continue  # a short dip: the same region goes on
            out.append([i * WINDOW, i * WINDOW])
        elif inside and p < NEG_THRESHOLD:
            inside = False
        if inside:
            out[-1][1] = (i + 1) * WINDOW
    pad = int(PAD_S * SAMPLE_RATE)
    total = probs.size * WINDOW
    return [(max(0, s - pad), min(total, e + pad)) for s, e in out if e - s >= MIN_SPEECH_S * SAMPLE_RATE]


def silero_speech(audio: np.ndarray) -> list[dict]:
    """Speech regions as {"start", "end"} sample ranges (the shape faster-whisper uses)."""
    return [{"start": s, "end": min(e, audio.size)} for s, e in regions(voice_probabilities(audio))]


def join_spans(spans: Sequence[Span], gap_s: float = JOIN_GAP_S) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and start - out[-1][1] < gap_s:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out
