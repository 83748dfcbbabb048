"""Audio at the edges: decode any file to float32 mono 16 kHz, and write WAV while recording.

Decoding uses PyAV (FFmpeg: wav, flac, mp3, ogg, ...) the way faster-whisper's `decode_audio` does, to
16-bit at 16 kHz and then float32, so the samples are the same to the bit. It is done here rather than
through `faster_whisper.audio` because importing that loads all of faster-whisper (CTranslate2, the
tokenizer): 0.2 s on the main thread before the first question, when the answer stands in as a file.

Channels: a file with more than one channel is mixed to mono by weighting each channel, stretch by
stretch, with its share of the energy (`mix_channels`). Where both channels carry the same voice this is
the plain average; where each carries its own speaker (a call recorded with one side per channel), the
speaking side keeps its full level instead of being halved by an average. Halving mattered: Silero VAD
heard nothing of a hoarse speaker at half level that it found at full level (measured on
../shared/audio/more/cold_corpus.wav: 15.8 s of voice at full level, 1.4 s at half).

The WAV writer uses the standard library's `wave`, whose `writeframes` rewrites the header's sizes after
every write. Flushing after each chunk means a process killed mid-answer leaves a valid, playable WAV
holding everything up to the last chunk (a quarter second at most).
"""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from ..errors import AudioFileError

SAMPLE_RATE = 16000
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".opus", ".m4a", ".webm")


def load_audio(path: Path) -> np.ndarray:
    """Decode a file to float32 mono at 16 kHz, or raise AudioFileError with one line saying why."""
    path = Path(path)
    if not path.is_file():
        raise AudioFileError(f"cannot read {path}: no such file")
    if not os.access(path, os.R_OK):
        raise AudioFileError(f"cannot read {path}: permission denied")
    if path.stat().st_size == 0:
        raise AudioFileError(f"{path} is empty (0 bytes): record the answer again or pass another file")
    try:
        if channel_count(path) > 1:
            both = decode_samples(path, stereo=True)
            left, right = both[0::2], both[1::2]
        else:  # decoded as stereo, a mono file would come back 3 dB quieter on each side
            left = right = decode_samples(path, stereo=False)
    except Exception as exc:  # PyAV raises many error types for undecodable input
        raise AudioFileError(
            f"cannot decode {path} as audio ({exc.__class__.__name__}): use wav, flac, mp3 or ogg"
        ) from None
    if left.size == 0:
        raise AudioFileError(f"{path} holds no audio samples: record the answer again or pass another file")
    return mix_channels(left, right)


GROUP_SAMPLES = 500_000  # frames are resampled in groups this large, as faster-whisper does: fewer calls


def decode_samples(path: Path, stereo: bool) -> np.ndarray:
    """float32 at 16 kHz, mono or interleaved left/right, exactly as faster_whisper.audio.decode_audio."""
    import gc

    import av

    resampler = av.AudioResampler(format="s16", layout="stereo" if stereo else "mono", rate=SAMPLE_RATE)
    fifo = av.AudioFifo()
    chunks: list[np.ndarray] = []
    with av.open(str(path), metadata_errors="ignore") as container:
        frames = container.decode(audio=0)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                break
            except av.error.InvalidDataError:  # a damaged frame in a truncated or odd file: skip it
                continue
            frame.pts = None  # the FIFO would check that timestamps follow on; a damaged file's may not
            fifo.write(frame)
            if fifo.samples >= GROUP_SAMPLES:
                chunks += [f.to_ndarray() for f in resampler.resample(fifo.read())]
        if fifo.samples:
            chunks += [f.to_ndarray() for f in resampler.resample(fifo.read())]
        chunks += [f.to_ndarray() for f in resampler.resample(None)]
    # The resampler's buffers are only given back after a collection (SYSTRAN/faster-whisper#390).
    del resampler
    gc.collect()
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([c.ravel() for c in chunks]).astype(np.float32) / 32768.0


def channel_count(path: Path) -> int:
    import av

    with av.open(str(path), metadata_errors="ignore") as container:
        return container.streams.audio[0].codec_context.channels


MIX_FRAME = 8000  # half a second: long enough to say which side is talking, short enough to follow turns


def mix_channels(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Mono from two channels, each weighted by its share of the energy in every half second (weights
    interpolated between frames, so there are no steps). Identical channels give their average."""
    if left.size == 0 or np.array_equal(left, right):
        return left.astype(np.float32, copy=False)
    n = max(1, -(-left.size // MIX_FRAME))
    pad = n * MIX_FRAME - left.size
    energy_l = (np.pad(left, (0, pad)) ** 2).reshape(n, MIX_FRAME).mean(axis=1) + 1e-10
    energy_r = (np.pad(right, (0, pad)) ** 2).reshape(n, MIX_FRAME).mean(axis=1) + 1e-10
    centers = (np.arange(n) + 0.5) * MIX_FRAME
    weight_l = np.interp(np.arange(left.size), centers, energy_l / (energy_l + energy_r))
    return (weight_l * left + (1.0 - weight_l) * right).astype(np.float32)


FRAME = 320  # 20 ms: the unit of every level measure


def frame_db(audio: np.ndarray) -> np.ndarray:
    """The level of each whole 20 ms frame, in dBFS. (einsum sums the squares without a squared copy of
    the recording: for 20 minutes that copy was 300 MB.)"""
    n = audio.size // FRAME
    frames = audio[: n * FRAME].reshape(n, FRAME)
    energy = np.einsum("ij,ij->i", frames, frames).astype(np.float64) / FRAME
    return 10 * np.log10(energy + 1e-12)


def quietest_point(audio: np.ndarray, window_s: float = 1.0) -> int:
    """The start of the quietest 20 ms frame in the last `window_s`: the least harmful forced cut."""
    start = max(audio.size - int(window_s * SAMPLE_RATE), 0)
    levels = frame_db(audio[start:])
    return start + int(np.argmin(levels)) * FRAME if levels.size else audio.size


def to_int16(chunk: np.ndarray) -> bytes:
    return (np.clip(chunk, -1.0, 1.0) * 32767).astype("<i2").tobytes()


class WavWriter:
    """Append float32 chunks to a 16-bit WAV that is valid on disk after every write. Mono, unless
    `channels` says otherwise (chunks then shaped (samples, channels))."""

    def __init__(self, path: Path, sample_rate: int = SAMPLE_RATE, channels: int = 1):
        self.path = Path(path)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        self._file = os.fdopen(fd, "wb")
        self._wav = wave.open(self._file, "wb")
        self._wav.setnchannels(channels)
        self._wav.setsampwidth(2)
        self._wav.setframerate(sample_rate)
        # The header goes to disk now, not with the first chunk: a recording killed before its first
        # block is then an empty but valid WAV that any player or reader opens, not a zero-byte file.
        self._wav.writeframes(b"")
        self._file.flush()
        self.frames = 0
        self.sample_rate = sample_rate

    def write(self, chunk: np.ndarray) -> None:
        if chunk.size == 0:
            return
        self._wav.writeframes(to_int16(chunk))
        self._file.flush()
        self.frames += chunk.shape[0]

    @property
    def duration_s(self) -> float:
        return self.frames / self.sample_rate

    def close(self) -> None:
        if not self._file.closed:
            self._wav.close()
            self._file.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_wav(path: Path, audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> None:
    with WavWriter(path, sample_rate, audio.shape[1] if audio.ndim == 2 else 1) as writer:
        writer.write(audio)
