"""Test-only fakes: a fake clock, a speaker that remembers, scripted transcripts and microphones."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulator.analysis.transcripts import words_from_text
from simulator.types import Transcript, Word


class FakeClock:
    def __init__(self):
        self.t = 0.0

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(seconds, 0.0)


class RememberingSpeaker:
    """Remembers every line and where it was asked to keep the audio."""

    def __init__(self):
        self.said: list[tuple[str, Path | None]] = []

    def say(self, text: str, save_to: Path | None = None, on_start=None) -> float:
        if on_start:
            on_start()
        self.said.append((text, save_to))
        if save_to is not None:
            from simulator.speech.audio import write_wav

            write_wav(save_to, np.zeros(1600, dtype=np.float32))
        return 0.1


class ScriptedTranscriber:
    """Returns the scripted transcripts in order, whatever audio it is given."""

    def __init__(self, *transcripts: Transcript):
        self.queue = list(transcripts)
        self.heard: list[int] = []

    def transcribe(self, audio, offset_s: float = 0.0, context="") -> Transcript:
        self.heard.append(int(audio.size))
        return self.queue.pop(0)


class ToneMicrophone:
    """Yields `seconds` of a quiet tone in 0.1 s chunks, as a microphone would."""

    def __init__(self, seconds: float, level: float = 0.1):
        self.seconds = seconds
        self.level = level
        self.closed = False

    def chunks(self):
        n = int(self.seconds * 10)
        t = np.arange(1600) / 16000
        for _ in range(n):
            yield (self.level * np.sin(2 * np.pi * 220 * t)).astype(np.float32)

    def close(self) -> None:
        self.closed = True


def scripted(text: str, wpm: float = 150.0) -> Transcript:
    words = words_from_text(text, wpm)
    return Transcript(words, words[-1].end_s + 0.5)


def timed(*items: tuple[str, float, float]) -> tuple[Word, ...]:
    return tuple(Word(t, s, e) for t, s, e in items)
