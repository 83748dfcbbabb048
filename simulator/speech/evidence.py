"""Acoustic evidence for what the decoder wrote: was anything audible where Whisper put words?

Whisper writes text onto silence and noise ("Thank you for watching." after the last sentence). Deleting
such phrases by their wording would also delete a candidate who really says them, so a decoded segment is
judged by the audio under it instead:
- sound: 20 ms frames at least SOUND_DB above the recording's noise floor (whispers count: they are
  quiet, but louder than the room);
- voice: Silero VAD's probability (vad.py), which also hears speech close to the floor.
A segment with no sound and no voice under it at all is dropped. A segment the decoder itself doubts (a
high no-speech probability and unsure words) is dropped too: Whisper's inventions sit on breaths, room
noise and the rustle after an answer, so sound alone cannot rule them out. Everything else is kept, even
where the VAD heard no voice: the VAD is one witness, not the judge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .audio import FRAME, SAMPLE_RATE, frame_db
from .vad import WINDOW, Span, regions, voice_probabilities

SOUND_DB = 10.0
VOICE_P = 0.5
FLOOR_PERCENTILE = 10
REACH_S = 0.2  # word times are approximate: a word accounts for the sound just around it
# The decoder doubts a segment when it rates it as likely no speech and its words are unsure. Measured on
# the real clips and altered voices: every segment Whisper invented ("Thank you.", "We'll see you in the
# next video.", "Okay.") had a no-speech probability of 0.38 or more and words at 0.5 or less on average;
# real speech with such a no-speech probability had words at 0.68 or more.
DOUBTED_NO_SPEECH = 0.35
DOUBTED_CONFIDENCE = 0.6


@dataclass(frozen=True)
class Evidence:
    offset_s: float
    levels: np.ndarray  # dB of each 20 ms frame
    floor_db: float
    voice: np.ndarray  # Silero probability of each 32 ms window

    @classmethod
    def of(cls, audio: np.ndarray, offset_s: float = 0.0) -> Evidence:
        levels = frame_db(audio)
        floor = float(np.percentile(levels, FLOOR_PERCENTILE)) if levels.size else -120.0
        # Digital silence has no floor to speak of: sound is then whatever rises above -90 dBFS.
        return cls(offset_s, levels, max(floor, -90.0), voice_probabilities(audio))

    def _frames(self, start_s: float, end_s: float, step: int, size: int) -> slice:
        lo = int(max(0.0, start_s - self.offset_s) * SAMPLE_RATE / step)
        hi = int(np.ceil(max(0.0, end_s - self.offset_s) * SAMPLE_RATE / step))
        return slice(min(lo, size), min(max(hi, lo + 1), size))

    def voiced(self, start_s: float, end_s: float) -> float:
        """Share of the stretch (widened by REACH_S) where the VAD hears voice, 0 to 1."""
        marks = self.voice[self._frames(start_s - REACH_S, end_s + REACH_S, WINDOW, self.voice.size)] >= VOICE_P
        return float(marks.mean()) if marks.size else 0.0

    def support(self, start_s: float, end_s: float) -> float:
        """Share of the stretch (widened by REACH_S) with sound or voice in it, 0 to 1."""
        start_s, end_s = start_s - REACH_S, end_s + REACH_S
        sound = self.levels[self._frames(start_s, end_s, FRAME, self.levels.size)] >= self.floor_db + SOUND_DB
        voiced = self.voice[self._frames(start_s, end_s, WINDOW, self.voice.size)] >= VOICE_P
        # Compare on a common grid of 100 points so the two witnesses count equally.
        grid = np.linspace(0.0, 1.0, 100, endpoint=False)
        on = np.zeros(grid.size, dtype=bool)
        for marks in (sound, voiced):
            if marks.size:
                on |= marks[(grid * marks.size).astype(int)]
        return float(on.mean())

    def speech(self) -> list[Span]:
        """Where the VAD heard voice, on the caller's clock."""
        return [(self.offset_s + s / SAMPLE_RATE, self.offset_s + e / SAMPLE_RATE) for s, e in regions(self.voice)]

    def heard(self, start_s: float, end_s: float, no_speech_prob: float, confidence: float) -> bool:
        """Does a decoded segment from start_s to end_s stand on something audible? `confidence` is the
        mean probability of its words. Nothing audible at all: no. Otherwise yes, unless the decoder
        doubts it as well."""
        if self.support(start_s, end_s) == 0.0:
            return False
        return not (no_speech_prob >= DOUBTED_NO_SPEECH and confidence < DOUBTED_CONFIDENCE)
