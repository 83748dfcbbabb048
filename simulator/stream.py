"""Transcribe while the candidate speaks, so the follow-up can come as quickly as a person would ask it.

Audio arrives in 0.1 s chunks from the recording loop (`insert`, which never blocks). Every half second
the pending audio (since the last cut) is checked with Silero VAD, the model faster-whisper bundles: at a
pause of 0.4 s or more after at least 3 s of audio, the pending audio is cut in the middle of the pause
and queued; with no pause for 15 s a cut is forced at the quietest point of the last second. One worker
thread transcribes the queued pieces in order and places their words on the answer's clock. When the
answer ends, `finish` queues only the unfinished tail and waits for the worker.

Short pieces alone transcribe worse than the whole file (measured on 12 development answers: WER 0.145
for 3 s pieces against 0.117 whole). As in ufal/whisper_streaming, each piece is therefore decoded with
context: the 8 s of audio before it (whose words are already kept, so only words starting after the cut
are taken) and the text heard so far as the prompt. That brings the WER back to 0.116, at the cost of
decoding each second of audio about twice, which the worker does well ahead of real time. The words of
a piece's last 2 s are not kept either: Whisper ends every piece with a full stop, which would split a
sentence at a forced cut; the next piece decodes those words again with what follows them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

import numpy as np

from .audio import SAMPLE_RATE
from .transcribe import CONTEXT_CHARS, Transcriber
from .types import Transcript, Word

log = logging.getLogger(__name__)

CHECK_EVERY_S = 0.5
MIN_PIECE_S = 6.0
OVERLAP_S = 8.0
HOLD_S = 2.0  # a piece's last words wait for the next piece, which hears them with what follows
PAUSE_S = 0.3
FORCE_CUT_S = 15.0


def find_cut(audio: np.ndarray, speech: list[dict], pause_s: float = PAUSE_S, min_at: int = 0) -> int | None:
    """Where to cut the pending audio: the middle of the last pause of at least pause_s, or None.

    `speech` is Silero's list of {"start", "end"} sample ranges. Trailing silence after the last speech
    counts as a pause; audio with no speech at all is cut whole (it holds nothing to transcribe). Cuts
    before `min_at` are not taken: short pieces transcribe worse.
    """
    gap = int(pause_s * SAMPLE_RATE)
    if not speech:
        return audio.size
    if audio.size - speech[-1]["end"] >= gap and speech[-1]["end"] + gap // 2 >= min_at:
        return speech[-1]["end"] + gap // 2
    for before, after in zip(speech[-2::-1], speech[:0:-1], strict=True):
        cut = (before["end"] + after["start"]) // 2
        if cut < min_at:
            return None
        if after["start"] - before["end"] >= gap:
            return cut
    return None


def quietest_point(audio: np.ndarray, window_s: float = 1.0, frame: int = 320) -> int:
    """The start of the quietest 20 ms frame in the last `window_s`: the least harmful forced cut."""
    start = max(audio.size - int(window_s * SAMPLE_RATE), 0)
    tail = audio[start:]
    n = tail.size // frame
    if n == 0:
        return audio.size
    energy = (tail[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    return start + int(np.argmin(energy)) * frame


def silero_speech(audio: np.ndarray) -> list[dict]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    # Silero pads speech by 400 ms on each side by default, which hides the short pauses between sentences.
    return get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=int(PAUSE_S * 1000),
                                                   min_speech_duration_ms=150, speech_pad_ms=30))


class StreamingTranscriber:
    def __init__(self, transcriber: Transcriber, vad: Callable[[np.ndarray], list[dict]] = silero_speech,
                 force_cut_s: float = FORCE_CUT_S):
        self.transcriber = transcriber
        self.vad = vad
        self.force_cut = int(force_cut_s * SAMPLE_RATE)
        self._pending: list[np.ndarray] = []
        self._pending_size = 0
        self._cut_at = 0  # samples of the answer before the pending audio
        self._before = np.zeros(0, dtype=np.float32)  # the last OVERLAP_S of audio already sent
        self._since_check = 0
        self._words: list[Word] = []
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self.pieces: list[tuple[float, float]] = []  # (start_s, end_s) of each piece handed to the worker
        self._worker = threading.Thread(target=self._work, name="stream-transcriber", daemon=True)
        self._worker.start()

    # --- called from the recording loop: cheap, never waits for the model ---------------------

    def insert(self, chunk: np.ndarray) -> None:
        self._pending.append(chunk)
        self._pending_size += chunk.size
        self._since_check += chunk.size
        if self._since_check < CHECK_EVERY_S * SAMPLE_RATE or self._pending_size < MIN_PIECE_S * SAMPLE_RATE:
            return
        self._since_check = 0
        audio = np.concatenate(self._pending)
        cut = find_cut(audio, self.vad(audio), min_at=int(MIN_PIECE_S * SAMPLE_RATE))
        if cut is None and audio.size >= self.force_cut:
            cut = quietest_point(audio)
        if cut:
            self._send(audio[:cut])
            rest = audio[cut:]
            self._pending = [rest] if rest.size else []
            self._pending_size = rest.size

    def _send(self, piece: np.ndarray, final: bool = False) -> None:
        start = self._cut_at
        self._cut_at += piece.size
        self.pieces.append((start / SAMPLE_RATE, self._cut_at / SAMPLE_RATE))
        with_context = np.concatenate([self._before, piece])
        hold_from = float("inf") if final else self._cut_at / SAMPLE_RATE - HOLD_S
        self._queue.put(((start - self._before.size) / SAMPLE_RATE, hold_from, with_context))
        self._before = with_context[-int(OVERLAP_S * SAMPLE_RATE):]

    # --- the worker ----------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            offset_s, hold_from, audio = item
            # Text heard before the overlapping audio is the prompt; words already kept are not taken again.
            context = " ".join(w.text for w in self._words if w.end_s <= offset_s)[-CONTEXT_CHARS:]
            keep_from = self._words[-1].end_s - 0.05 if self._words else 0.0
            try:
                words = self.transcriber.transcribe(audio, offset_s=offset_s, context=context).words
            except BaseException as exc:  # surfaced by finish(); the recording must go on meanwhile
                self._error = exc
                words = ()
            with self._lock:
                self._words.extend(w for w in words if keep_from <= w.start_s < hold_from)

    # --- reading ---------------------------------------------------------------------------------

    def words(self) -> tuple[Word, ...]:
        """What has been transcribed so far (for the live section guess)."""
        with self._lock:
            return tuple(self._words)

    @property
    def backlog(self) -> int:
        return self._queue.qsize()

    def finish(self) -> Transcript:
        """Queue the unfinished tail, wait for the worker, and return the whole answer's transcript."""
        # Always send a final piece, even if empty: it commits the held-back words of the last one.
        tail = np.concatenate(self._pending) if self._pending else np.zeros(0, dtype=np.float32)
        self._send(tail, final=True)
        self._pending, self._pending_size = [], 0
        self._queue.put(None)
        self._worker.join()
        if self._error is not None:
            raise self._error
        return Transcript(self.words(), self._cut_at / SAMPLE_RATE)
