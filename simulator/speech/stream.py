"""Transcribe while the candidate speaks, so the follow-up can come as quickly as a person would ask it.

Audio arrives in 0.1 s chunks from the recording loop (`insert`, which never blocks on the model). Every
half second the pending audio (since the last cut) is checked with Silero VAD, the model faster-whisper
bundles: at a pause of 0.3 s or more, once the piece would be at least 6 s long, the pending audio is cut
in the middle of the pause and queued; with no pause for 15 s a cut is forced at the quietest point of
the last second. One worker thread transcribes the queued pieces in order and places their words on the
answer's clock. When the answer ends, only the unfinished tail is left for the worker.

Short pieces alone transcribe worse than the whole file (measured on 12 development answers: WER 0.145
for 3 s pieces against 0.117 whole). As in ufal/whisper_streaming, each piece is therefore decoded with
context: the 8 s of audio before it (whose words are already kept, so only words starting after the cut
are taken) and the text heard so far as the prompt. That brings the WER back to 0.116, at the cost of
decoding each second of audio about twice, which the worker does well ahead of real time. The words of
a piece's last 2 s are not kept either: Whisper ends every piece with a full stop, which would split a
sentence at a forced cut; the next piece decodes those words again with what follows them.

Turn latency: an answer ends in a pause. When the worker is idle and the pending audio (too short to cut)
ends in a pause, it decodes it tentatively; if only silence follows, those words stand when the answer
ends and nothing is left to decode. A tail that is all silence commits the last piece's held-back words
without decoding. Otherwise the tail is decoded then (measured: 0.57 s on the 58 s demo answer).

Live guess (drill): words otherwise reach the guess one piece at a time, up to 15 s behind the voice. With
`drafts`, an idle worker also decodes the pending audio every 3 s of new speech, for the guess only: a
draft's words are shown to `live_words()` until the piece is cut and decoded for good, and they never enter
the transcript; nor do a draft's doubts (what it could not read at a cut mid-word) enter the report.

The VAD regions found for the cuts are kept: at the end, voice that got no words is decoded again if
short, else reported as possibly missed speech (unheard.py), together with the stretches the pieces'
decodes could not read or were unsure of, judged over the whole answer as the whole-file path judges them.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable

import numpy as np

from ..types import Transcript, Word
from .audio import SAMPLE_RATE, quietest_point
from .protocols import Transcriber
from .transcribe import CONTEXT_CHARS
from .unheard import set_apart
from .vad import PAUSE_S, Span, silero_speech

log = logging.getLogger(__name__)

CHECK_EVERY_S = 0.5
MIN_PIECE_S = 6.0
OVERLAP_S = 8.0
HOLD_S = 2.0  # a piece's last words wait for the next piece, which hears them with what follows
SPECULATE_IDLE_S = 0.3  # an idle worker decodes the pending audio tentatively...
SPECULATE_GROWTH_S = 1.0  # ...once at least this much more of it has arrived
REREAD_TOLERANCE_S = 0.15  # a held-back word ending this little after a newer reading begins is the same word
DRAFT_EVERY_S = 3.0  # with drafts, also while the candidate speaks, once this much more has arrived
FORCE_CUT_S = 15.0
RECOVER_MAX_S = 10.0


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


_FINISH = object()
_DRAFT = object()  # settle(): draft the pending audio now


class StreamingTranscriber:
    def __init__(self, transcriber: Transcriber, vad: Callable[[np.ndarray], list[dict]] = silero_speech,
                 force_cut_s: float = FORCE_CUT_S, speculate: bool = True, drafts: bool = False,
                 known_speech: list[dict] | None = None, min_piece_s: float = MIN_PIECE_S):
        self.transcriber = transcriber
        self.min_piece = int(min_piece_s * SAMPLE_RATE)
        self._vad = vad
        self._known_speech = known_speech  # a recording's regions, found once over the whole file
        self.force_cut = int(force_cut_s * SAMPLE_RATE)
        self.speculate = speculate
        self.drafts = drafts
        self._pending: list[np.ndarray] = []
        self._pending_size = 0
        self._cut_at = 0  # samples of the answer before the pending audio
        self._before = np.zeros(0, dtype=np.float32)  # the last OVERLAP_S of audio already sent
        self._since_check = 0
        self._words: list[Word] = []
        self._tentative: tuple[int, int, list[Word]] | None = None  # (cut_at, pending samples, words)
        self._draft_words: tuple[int, int, list[Word]] | None = None  # the same, for the live guess only
        self._held: list[Word] = []  # the last piece's held-back words, final if nothing follows
        self._lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self.pieces: list[tuple[float, float]] = []  # (start_s, end_s) of each piece decoded for good
        self._speech: list[Span] = []  # voice found by the cuts' VAD, on the answer's clock
        self._unread: list[Span] = []  # stretches a piece's decode could not read
        self._unsure: list[Span] = []  # ... and those it was unsure of
        self._chunks: list[np.ndarray] = []  # the whole answer, for a stretch that must be decoded again
        self.finish_decoded_s = 0.0  # audio decoded after the answer ended (0 when speculation covered it)
        self._worker = threading.Thread(target=self._work, name="stream-transcriber", daemon=True)
        self._worker.start()

    def vad(self, audio: np.ndarray, after_cut: int = 0) -> list[dict]:
        """Voice in `audio`, which starts `after_cut` samples after the last cut."""
        if self._known_speech is None:
            return self._vad(audio)
        start = self._cut_at + after_cut
        end = start + audio.size
        return [{"start": max(r["start"], start) - start, "end": min(r["end"], end) - start}
                for r in self._known_speech if r["end"] > start and r["start"] < end]

    # --- called from the recording loop: cheap, never waits for the model ---------------------

    def insert(self, chunk: np.ndarray) -> None:
        with self._lock:
            self._chunks.append(chunk)
            self._pending.append(chunk)
            self._pending_size += chunk.size
            self._since_check += chunk.size
            if self._since_check < CHECK_EVERY_S * SAMPLE_RATE or self._pending_size < self.min_piece:
                return
            self._since_check = 0
            audio = np.concatenate(self._pending)
        speech = self.vad(audio)
        cut = find_cut(audio, speech, min_at=self.min_piece)
        if cut is None and audio.size >= self.force_cut:
            cut = quietest_point(audio)
        if cut:
            with self._lock:  # only this thread appends, so nothing arrived since the snapshot
                self._keep_speech(speech, cut)
                self._queue.put(self._piece(audio[:cut], final=False))
                rest = audio[cut:]
                self._pending = [rest] if rest.size else []
                self._pending_size = rest.size

    def _keep_speech(self, speech: list[dict], cut: int) -> None:
        """Remember where the VAD heard voice before a cut: voice without words is reported at the end."""
        at = self._cut_at
        self._speech += [((at + r["start"]) / SAMPLE_RATE, (at + min(r["end"], cut)) / SAMPLE_RATE)
                         for r in speech if r["start"] < cut]

    def _piece(self, piece: np.ndarray, final: bool) -> tuple[float, float, np.ndarray]:
        """Account for a piece cut for good; returns (offset_s, hold_from_s, audio with its context)."""
        start = self._cut_at
        self._cut_at += piece.size
        self.pieces.append((start / SAMPLE_RATE, self._cut_at / SAMPLE_RATE))
        with_context = np.concatenate([self._before, piece])
        self._before = with_context[-int(OVERLAP_S * SAMPLE_RATE):]
        hold_from = float("inf") if final else self._cut_at / SAMPLE_RATE - HOLD_S
        return (start - (with_context.size - piece.size)) / SAMPLE_RATE, hold_from, with_context

    # --- the worker ----------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=SPECULATE_IDLE_S)
            except queue.Empty:
                if self.speculate:
                    self._speculate()
                if self.drafts:
                    self._draft(DRAFT_EVERY_S)
                continue
            if item is _DRAFT:
                self._draft(0.5)
                self._queue.task_done()
                continue
            if item is _FINISH:
                self._finish_tail()
                self._queue.task_done()
                return
            offset_s, hold_from, audio = item
            words = self._decode(offset_s, audio)
            with self._lock:
                self._words.extend(w for w in words if w.start_s < hold_from)
                self._held = [w for w in words if w.start_s >= hold_from]
                self._tentative = None
            self._queue.task_done()

    def _decode(self, offset_s: float, audio: np.ndarray, keep_doubts: bool = True) -> list[Word]:
        """Words of the audio not yet kept, with the text heard before it as the prompt."""
        with self._lock:
            context = " ".join(w.text for w in self._words if w.end_s <= offset_s)[-CONTEXT_CHARS:]
            keep_from = self._words[-1].end_s - 0.05 if self._words else 0.0
        try:
            heard = self.transcriber.transcribe(audio, offset_s=offset_s, context=context)
        except BaseException as exc:  # surfaced by finish(); the recording must go on meanwhile
            self._error = exc
            return []
        if keep_doubts:
            with self._lock:  # stretches the decoder could not read or was unsure of, judged at the end
                self._unread += [span for span in heard.unheard_speech if span[1] > keep_from]
                self._unsure += [span for span in heard.unsure if span[1] > keep_from]
        return [w for w in heard.words if w.start_s >= keep_from]

    def _speculate(self) -> None:
        """At a pause, decode the pending audio tentatively: if the answer ends here, nothing is left to do."""
        with self._lock:
            # From the least piece on, a pause cuts a real piece: speculating would decode the same audio twice.
            if self._pending_size >= self.min_piece:
                return
            pending = self._pending_since(self._tentative, SPECULATE_GROWTH_S)
        if pending is None:
            return
        cut_at, size, audio, offset_s = pending
        speech = self.vad(audio[audio.size - size:])  # the pending audio, without the context before it
        if speech and size - speech[-1]["end"] < PAUSE_S * SAMPLE_RATE:
            return  # still speaking: a decode now would be redone anyway
        words = self._decode(offset_s, audio)
        with self._lock:
            if self._cut_at == cut_at:  # no piece was cut meanwhile
                self._tentative = (cut_at, size, words)

    def _draft(self, growth_s: float) -> None:
        """Decode the pending audio for the live guess only, once `growth_s` more of it has arrived than the
        newest tentative decode or draft has heard."""
        with self._lock:
            pending = self._pending_since(self._newest_guess(), growth_s)
        if pending is None:
            return
        cut_at, size, audio, offset_s = pending
        words = self._decode(offset_s, audio, keep_doubts=False)
        with self._lock:
            if self._cut_at == cut_at:  # no piece was cut meanwhile
                self._draft_words = (cut_at, size, words)

    def _pending_since(self, decoded: tuple[int, int, list[Word]] | None, growth_s: float):
        """Under the lock: (cut_at, pending samples, audio with its context, offset_s) of the pending audio,
        if at least `growth_s` more of it arrived than `decoded` heard; else None."""
        done = decoded[1] if decoded and decoded[0] == self._cut_at else 0
        if self._pending_size - done < growth_s * SAMPLE_RATE:
            return None
        audio = np.concatenate([self._before, *self._pending])
        return self._cut_at, self._pending_size, audio, (self._cut_at - self._before.size) / SAMPLE_RATE

    def _newest_guess(self) -> tuple[int, int, list[Word]] | None:
        """Under the lock: the tentative decode or the draft of the current pending audio that heard most."""
        fresh = [t for t in (self._tentative, self._draft_words) if t and t[0] == self._cut_at]
        return max(fresh, key=lambda t: t[1]) if fresh else None

    def _finish_tail(self) -> None:
        with self._lock:
            tail = np.concatenate(self._pending) if self._pending else np.zeros(0, dtype=np.float32)
            tentative = self._tentative if self._tentative and self._tentative[0] == self._cut_at else None
        speech = self.vad(tail) if tail.size >= 0.1 * SAMPLE_RATE else []
        with self._lock:
            self._keep_speech(speech, tail.size)
        if not speech:
            # Nothing was said after the last piece: its held-back words are the answer's last words.
            with self._lock:
                self._piece(tail, final=True)
                self._words.extend(self._held)
            return
        if tentative is not None:
            unheard = tail[tentative[1]:]
            if unheard.size < 0.1 * SAMPLE_RATE or not self.vad(unheard, after_cut=tentative[1]):
                # Only silence came after the speculative decode: its words are the answer's last words.
                with self._lock:
                    self._piece(tail, final=True)
                    self._words.extend(tentative[2])
                return
        with self._lock:
            offset_s, _, audio = self._piece(tail, final=True)
        self.finish_decoded_s = audio.size / SAMPLE_RATE
        words = self._decode(offset_s, audio)
        with self._lock:
            self._words.extend(words)

    # --- reading ---------------------------------------------------------------------------------

    def words(self) -> tuple[Word, ...]:
        """What has been transcribed for good so far (for the live section guess)."""
        with self._lock:
            return tuple(self._words)

    def live_words(self) -> tuple[Word, ...]:
        """The freshest reading, for the live section guess only: the words kept for good, then the last
        piece's held-back words (final unless the next piece reads them differently) and a speculative
        decode of the audio since, when there is one. Nothing here goes into the transcript."""
        with self._lock:
            newest = self._newest_guess()
            fresh = newest[2] if newest else []
            # A speculative decode or a draft starts over the held-back words' audio and reads them again: its
            # reading wins from its first word on, as the next piece's will. Both together said "my call. my
            # call." in the live words of about two steps in three.
            held = [w for w in self._held if not fresh or w.end_s <= fresh[0].start_s + REREAD_TOLERANCE_S]
            return (*self._words, *held, *fresh)

    def settle(self) -> None:
        """Wait until every piece cut so far is decoded (and, with drafts, the pending audio drafted).
        Only for audio fed faster than real time (--fast), so the live guess sees what a worker keeping
        pace with speech would have seen."""
        self._queue.join()
        if self.drafts:
            self._queue.put(_DRAFT)
            self._queue.join()

    def finish(self) -> Transcript:
        """Wait for the worker to deal with the unfinished tail; return the whole answer's transcript."""
        self._queue.put(_FINISH)
        self._worker.join()
        if self._error is not None:
            raise self._error
        transcript = set_apart(Transcript(self.words(), self._cut_at / SAMPLE_RATE, tuple(self._unread),
                                          unsure=tuple(self._unsure)), self._speech)
        recover = getattr(self.transcriber, "recover", None)
        if transcript.unheard_speech and recover is not None:
            # A piece decoded badly can leave English out; a short stretch is decoded again on its own
            # (a few tenths of a second). A long one is left as unheard: it is most likely another
            # language, and decoding it again would hold up the follow-up by seconds.
            transcript = recover(np.concatenate(self._chunks), transcript, self._speech, max_gap_s=RECOVER_MAX_S)
        return transcript


def transcribe_recording(transcriber: Transcriber, audio: np.ndarray,
                         progress: Callable[[float, float], None] | None = None) -> Transcript:
    """A recording on disk, transcribed exactly as a live answer is: cut at pauses into pieces, each decoded
    with the audio and the text before it. One decode of the whole file lost words and fillers that the
    pieces keep (measured on the real voices of ../shared/audio: word recall 0.837 whole against 0.872 in
    pieces; fillers 26/35 against 34/35): at the seams of Whisper's 30 s windows a sentence can vanish, and
    a fluent first speaker stops Whisper writing the second one's "uh"s. One path also means `analyze`,
    `review --rescore` and the interview hear a recording the same way. Silero runs once, over the file."""
    stream = StreamingTranscriber(transcriber, speculate=False, known_speech=silero_speech(audio))
    step = int(CHECK_EVERY_S * SAMPLE_RATE)
    total = audio.size / SAMPLE_RATE
    pieces = 0
    for start in range(0, audio.size, step):
        stream.insert(audio[start:start + step])
        if progress and len(stream.pieces) > pieces:
            stream.settle()  # the bar shows audio decoded, not audio read
            pieces = len(stream.pieces)
            progress(stream.pieces[-1][1], total)
    transcript = stream.finish()
    if progress:
        progress(total, total)
    return transcript
