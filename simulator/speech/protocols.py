"""What the modes need from the speech engines, in one place. The real engines (faster-whisper,
sounddevice, pyttsx3/espeak-ng) and the tests' fakes both satisfy these."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import numpy as np

from ..types import Transcript


class Microphone(Protocol):
    """Audio arriving in 0.1 s blocks of 16 kHz mono float32; close() stops the device."""

    def chunks(self) -> Iterator[np.ndarray]: ...

    def close(self) -> None: ...


class Clock(Protocol):
    def now(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class Transcriber(Protocol):
    """Words with their times (offset by `offset_s`) for a stretch of 16 kHz mono audio."""

    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0, context: str = "") -> Transcript: ...


class Speaker(Protocol):
    def say(self, text: str, save_to: Path | None = None, on_start: Callable[[], None] | None = None) -> float:
        """Speak the text (blocking) and optionally keep it as audio; returns the seconds spoken.

        `on_start` is called at the first sound (or, when only shown, as the line appears)."""
        ...
