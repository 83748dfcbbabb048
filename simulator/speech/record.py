"""The candidate's voice: a microphone, or a file standing in for one, and when an answer ends.

Both sources yield float32 mono 16 kHz chunks through the same `record` loop, which writes each chunk
to disk as it arrives (see audio.WavWriter) and stops at the first of: Enter, a stretch of silence after
speech, a hard cap, the end of the file, Ctrl-C, or the device going away. Whatever was recorded is kept
in every case; `Recording.ended_by` says which it was.
"""

from __future__ import annotations

import logging
import queue
import select
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DeviceError, SetupError
from .audio import SAMPLE_RATE, WavWriter, load_audio
from .protocols import Clock, Microphone

log = logging.getLogger(__name__)
CHUNK_S = 0.1
NO_AUDIO_S = 5.0  # a device silent this long (no callbacks at all) has gone away
SILENCE_RMS = 0.008  # about -42 dBFS: quieter than speech through any microphone we tried


class RealClock:
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class DeviceLost(Exception):
    """Raised by a microphone whose device stopped delivering audio mid-answer."""


class SoundDeviceMicrophone:
    """sounddevice input at 16 kHz mono; the PortAudio callback only queues, never blocks."""

    def __init__(self, device: int | str | None = None):
        self.device = device
        self._queue: queue.Queue = queue.Queue()
        self._stream: Any = None  # sounddevice.InputStream, imported when a recording starts

    def open(self) -> None:
        try:
            import sounddevice as sd
        except OSError:
            raise SetupError("PortAudio is missing: apt-get install libportaudio2 (or run ./scripts/setup)") from None
        try:
            self._stream = stream = sd.InputStream(
                samplerate=SAMPLE_RATE, channels=1, dtype="float32", device=self.device,
                blocksize=int(SAMPLE_RATE * CHUNK_S), callback=self._callback,
                # The default "high" latency makes ALSA's PulseAudio plugin buffer ~2 s before the first
                # callback; "low" delivers every 0.1 s block on time (measured through a null sink).
                latency="low",
            )
            stream.start()
        except Exception as exc:  # PortAudioError, ValueError for a bad device
            raise DeviceError(
                f"no input device could be opened ({_short(exc)}): connect a microphone, "
                "or answer from a file with --answer-audio FILE"
            ) from None

    def open_check(self) -> None:
        """Fail before the question is asked if there is no input device at all."""
        try:
            import sounddevice as sd
        except OSError:
            raise SetupError("PortAudio is missing: apt-get install libportaudio2 (or run ./scripts/setup)") from None
        try:
            sd.query_devices(self.device, kind="input")
        except Exception as exc:
            raise DeviceError(
                f"no input device found ({_short(exc)}): connect a microphone, or answer from files with "
                "--answer-audio FILE --followup-audio FILE"
            ) from None

    def _callback(self, indata, frames, time_info, status) -> None:
        self._queue.put(indata[:, 0].copy())

    def chunks(self) -> Iterator[np.ndarray]:
        if self._stream is None:
            self.open()
        while True:
            try:
                yield self._queue.get(timeout=NO_AUDIO_S)
            except queue.Empty:
                if self._stream is None or not self._stream.active:
                    raise DeviceLost("the input device stopped") from None
                raise DeviceLost(f"the input device delivered no audio for {NO_AUDIO_S:.0f} s") from None

    def close(self) -> None:
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:
                pass
            self._stream = None


class FileMicrophone:
    """A file played as if it were the microphone: real time by default, all at once with fast=True."""

    def __init__(self, path: Path, clock: Clock | None = None, fast: bool = False):
        self.audio = load_audio(path)
        self.clock = clock or RealClock()
        self.fast = fast

    def chunks(self) -> Iterator[np.ndarray]:
        step = int(SAMPLE_RATE * CHUNK_S)
        start = self.clock.now()
        for i in range(0, self.audio.size, step):
            if not self.fast:
                self.clock.sleep(start + i / SAMPLE_RATE - self.clock.now())
            yield self.audio[i : i + step]

    def close(self) -> None:
        pass


class EnterKey:
    """Sets an event when the user presses Enter; does nothing when stdin is not a terminal."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdin
        self.pressed = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> EnterKey:
        try:
            interactive = self.stream.isatty()
        except (AttributeError, ValueError):
            interactive = False
        if interactive:
            self._thread = threading.Thread(target=self._watch, daemon=True, name="enter-key")
            self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.stream], [], [], 0.1)
            if ready:
                self.stream.readline()
                self.pressed.set()
                return

    def __exit__(self, *exc) -> None:
        self._stop.set()


@dataclass(frozen=True)
class EndPolicy:
    silence_s: float = 8.0  # this much quiet after speech ends the answer
    max_s: float = 240.0  # hard cap: 4 minutes


@dataclass(frozen=True)
class Recording:
    path: Path
    audio: np.ndarray
    duration_s: float
    ended_by: str  # enter | silence | cap | end of file | interrupted | device lost


Tick = Callable[[float, float], None]  # (seconds recorded, seconds of trailing silence)


def record(mic: Microphone, path: Path, policy: EndPolicy = EndPolicy(), stop: threading.Event | None = None,
           on_tick: Tick | None = None, on_chunk: Callable[[np.ndarray], None] | None = None) -> Recording:
    """Record until the policy, the stop event or the source ends it; audio is on disk all along."""
    stop = stop or threading.Event()
    parts: list[np.ndarray] = []
    heard_speech, quiet_s, total = False, 0.0, 0
    ended_by = "end of file"
    with WavWriter(path) as writer:
        try:
            for chunk in mic.chunks():
                writer.write(chunk)
                parts.append(chunk)
                if on_chunk:
                    on_chunk(chunk)
                total += chunk.size
                seconds = total / SAMPLE_RATE
                loud = chunk.size and float(np.sqrt(np.mean(chunk**2))) >= SILENCE_RMS
                heard_speech = heard_speech or bool(loud)
                quiet_s = 0.0 if loud else quiet_s + chunk.size / SAMPLE_RATE
                if on_tick:
                    on_tick(seconds, quiet_s)
                if stop.is_set():
                    ended_by = "enter"
                    break
                if heard_speech and quiet_s >= policy.silence_s:
                    ended_by = "silence"
                    break
                if seconds >= policy.max_s:
                    ended_by = "cap"
                    break
        except KeyboardInterrupt:
            ended_by = "interrupted"
        except DeviceLost as exc:
            log.warning("recording stopped: %s", exc)
            ended_by = "device lost"
        except Exception as exc:
            if exc.__class__.__name__ != "PortAudioError":
                raise
            ended_by = "device lost"
        finally:
            mic.close()
    audio = np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)
    return Recording(path, audio, audio.size / SAMPLE_RATE, ended_by)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:80] if str(exc) else exc.__class__.__name__
