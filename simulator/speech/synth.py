"""Scripted speech with known boundaries, from espeak-ng: for the demo recordings, eval and tests.

Each section is synthesized on its own and joined with a short silence, so the true start and end of
every section is known exactly and section timing can be checked against the truth.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import SetupError
from .audio import SAMPLE_RATE, load_audio

GAP_S = 0.6


def speak_to_array(text: str, voice: str = "en-us", rate: int = 160) -> np.ndarray:
    if not shutil.which("espeak-ng"):
        raise SetupError("espeak-ng is missing: apt-get install espeak-ng (or run ./scripts/setup)")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(rate), "-w", str(path), text], check=True,
                       capture_output=True)
        return load_audio(path)


def synthesize_sections(parts: Sequence[tuple[str, str]], voice: str = "en-us", rate: int = 160,
                        gap_s: float = GAP_S) -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    """(label, text) parts -> audio and [(label, start_s, end_s)] of each part's speech."""
    gap = np.zeros(int(gap_s * SAMPLE_RATE), dtype=np.float32)
    pieces, spans, t = [gap], [], gap_s
    for label, text in parts:
        audio = speak_to_array(text, voice, rate)
        pieces += [audio, gap]
        spans.append((label, t, t + audio.size / SAMPLE_RATE))
        t += (audio.size + gap.size) / SAMPLE_RATE
    return np.concatenate(pieces), spans


def encode_ogg(audio: np.ndarray, path: Path) -> None:
    """Opus in Ogg: small enough to commit (about 2 kB per second of speech)."""
    import av

    with av.open(str(path), "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=48000)
        stream.bit_rate = 24000
        pcm = (np.clip(audio, -1, 1) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        resampler = av.AudioResampler(format="s16", layout="mono", rate=48000)
        for resampled in resampler.resample(frame):
            for packet in stream.encode(resampled):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
