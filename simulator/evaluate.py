"""Measure the segmenter and the transcription set-up on data with known answers.

- Sentence-role accuracy on text: each development answer is timed at 150 wpm, split into sentences,
  and every sentence's predicted role is compared with the section it was written for.
- Time-weighted section accuracy on audio: each section is synthesized separately with espeak-ng, so its
  true start and end are known; the audio is transcribed with the real model and segmented, and every
  50 ms of the answer's span is checked: does the predicted section at that moment match the truth?
- Streaming quality: the same audio transcribed whole and while "recorded" (streamed): WER of each
  against the script, and how far the section starts move.
- Filler recall: on the real disfluent clips in ../shared/audio/mfa, how many of the reference
  transcript's fillers survive transcription.

Used by scripts/eval (which prints the figures) and by tests that keep them from regressing.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import tempfile
import time
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from .analysis.segment import HEADLINE, Segmenter, split_sentences
from .analysis.timing import find_fillers
from .analysis.transcripts import words_from_text
from .bank import FAST_YAML
from .types import Word

FRAME_S = 0.05
VOICES = [("en-us", 160), ("en-gb", 150), ("en-us+m3", 170), ("en-gb+f3", 145), ("en-us+f2", 175)]


@dataclass(frozen=True)
class DevAnswer:
    id: str
    shape: str
    parts: tuple[tuple[str, str], ...]  # (section, text) in spoken order


def load_dev_set(path: Path) -> list[DevAnswer]:
    data = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=FAST_YAML)
    return [DevAnswer(a["id"], a["shape"], tuple((p[0], p[1]) for p in a["parts"])) for a in data["answers"]]


def _role(label: str) -> str:
    return "result" if label == HEADLINE else label


def text_accuracy(segmenter: Segmenter, answers: Sequence[DevAnswer]) -> tuple[float, dict[str, float]]:
    """Fraction of sentences given their true role, overall and per shape."""
    hits: Counter = Counter()
    totals: Counter = Counter()
    for answer in answers:
        words: list[Word] = []
        truth: dict[float, str] = {}
        t = 0.0
        for label, text in answer.parts:
            part = words_from_text(text, start_s=t)
            truth.update({w.start_s: label for w in part})
            words += part
            t = part[-1].end_s + 0.5
        sentences = split_sentences(words)
        labels = segmenter.segment(words)[1]
        for sentence, label in zip(sentences, labels, strict=True):
            ok = _role(label) == truth[sentence.words[0].start_s]
            hits[answer.shape] += ok
            totals[answer.shape] += 1
    overall = sum(hits.values()) / max(sum(totals.values()), 1)
    return overall, {shape: hits[shape] / totals[shape] for shape in sorted(totals)}


def label_at(spans: Sequence[tuple[str, float]], t: float) -> str:
    """The section in force at time t: the last one that started at or before t (else the first)."""
    current = spans[0][0]
    for label, start in spans:
        if start <= t:
            current = label
        else:
            break
    return current


def time_weighted_accuracy(true_spans: Sequence[tuple[str, float, float]], predicted: Sequence[tuple[str, float]]
                           ) -> tuple[int, int]:
    """(matching frames, frames) over the true answer's span, in 50 ms frames."""
    truth = [(label, start) for label, start, _ in true_spans]
    start, end = true_spans[0][1], true_spans[-1][2]
    frames = max(int((end - start) / FRAME_S), 1)
    hits = 0
    for i in range(frames):
        t = start + (i + 0.5) * FRAME_S
        hits += label_at(truth, t) == (label_at(predicted, t) if predicted else "")
    return hits, frames


def audio_accuracy(segmenter: Segmenter, transcriber, answers: Sequence[DevAnswer], progress=None
                   ) -> tuple[float, dict[str, float]]:
    from .speech.stream import transcribe_recording
    from .speech.synth import synthesize_sections

    hits: Counter = Counter()
    totals: Counter = Counter()
    for k, answer in enumerate(answers):
        voice, rate = VOICES[k % len(VOICES)]
        audio, spans = synthesize_sections(answer.parts, voice=voice, rate=rate)
        transcript = transcribe_recording(transcriber, audio)
        segments = segmenter.segment(transcript.words)[2]
        predicted = [(seg.name, seg.start_s) for seg in segments]
        h, n = time_weighted_accuracy(spans, predicted)
        hits[answer.shape] += h
        totals[answer.shape] += n
        if progress:
            progress(answer, h / n)
    overall = sum(hits.values()) / max(sum(totals.values()), 1)
    return overall, {shape: hits[shape] / totals[shape] for shape in sorted(totals)}


def reference_fillers(text: str) -> int:
    """Fillers in an MFA reference transcript: um, uh, hm, er and "you know"; tags are not words."""
    plain = re.sub(r"<[^>]+>|\[[^\]]+\]", " ", text)
    return sum(tok in ("um", "uh", "hm", "er") for tok in plain.split()) + plain.count("you know")


def filler_recall(transcriber, mfa_dir: Path) -> tuple[int, int]:
    """(fillers kept, fillers in the references), counting at most the reference's number per clip."""
    from .speech.audio import load_audio
    from .speech.stream import transcribe_recording

    refs = json.loads((mfa_dir / "reference_transcripts.json").read_text())
    kept = wanted = 0
    for name, text in sorted(refs.items()):
        want = reference_fillers(text)
        heard = transcribe_recording(transcriber, load_audio(mfa_dir / f"{name}.flac"))
        kept += min(len(find_fillers(heard.words)), want)
        wanted += want
    return kept, wanted


_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
         "seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("" if n % 10 == 0 else " " + _ONES[n % 10])
    if n < 1000:
        return _ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + number_words(n % 100))
    return number_words(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + number_words(n % 1000))


# Spellings of the same spoken words: a transcriber writing "gonna" for a reference's "going to" heard it.
_SAME_WORDS = {"gonna": "going to", "wanna": "want to", "gotta": "got to", "alright": "all right",
               "okay": "ok", "mm": "hm", "mhm": "hm", "hmm": "hm", "uhm": "um", "umm": "um"}


def normalized_words(text: str) -> list[str]:
    """Lower case, accents folded ("Montréal" = "montreal"), digits spelled out ("3 weeks" = "three weeks"),
    punctuation and hyphens dropped, common spoken spellings made one ("gonna" = "going to"): for WER and
    recall. Unfolded, "Montréal" was the two words "montr" and "al", and a clip read right counted as missed."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = re.sub(r"(\d),(\d{3})", r"\1\2", text.lower().replace("%", " percent"))
    text = re.sub(r"\d+", lambda m: f" {number_words(int(m.group()))} " if int(m.group()) < 10**6 else m.group(), text)
    words = [w.strip("'") for w in re.findall(r"[a-z']+", text)]
    return [part for w in words if w for part in _SAME_WORDS.get(w, w).split()]


def word_edits(reference: str, hypothesis: str) -> tuple[int, int]:
    """(edit distance in words, reference length) after normalization."""
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i in range(1, len(ref) + 1):
        prev, row[0] = row[0], i
        for j in range(1, len(hyp) + 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ref[i - 1] != hyp[j - 1]))
    return row[len(hyp)], len(ref)


def streaming_quality(segmenter: Segmenter, transcriber, answers: Sequence[DevAnswer], progress=None) -> dict:
    """WER of whole-file and streamed transcription of the same audio, and how far section starts move."""
    from .speech.stream import StreamingTranscriber, transcribe_recording
    from .speech.synth import synthesize_sections

    edits = {"whole": 0, "streamed": 0}
    words = 0
    shifts: list[float] = []
    for k, answer in enumerate(answers):
        voice, rate = VOICES[k % len(VOICES)]
        audio, _ = synthesize_sections(answer.parts, voice=voice, rate=rate)
        reference = " ".join(text for _, text in answer.parts)
        whole = transcribe_recording(transcriber, audio)
        stream = StreamingTranscriber(transcriber)
        for i in range(0, audio.size, 1600):
            stream.insert(audio[i : i + 1600])
        streamed = stream.finish()
        for name, transcript in (("whole", whole), ("streamed", streamed)):
            e, n = word_edits(reference, transcript.text)
            edits[name] += e
        words += n
        starts = [{seg.name: seg.start_s for seg in segmenter.segment(t.words)[2]} for t in (whole, streamed)]
        shifts += [abs(starts[0][name] - starts[1][name]) for name in starts[0].keys() & starts[1].keys()]
        if progress:
            progress(answer, word_edits(reference, whole.text)[0], word_edits(reference, streamed.text)[0], n)
    return {
        "wer_whole": edits["whole"] / words,
        "wer_streamed": edits["streamed"] / words,
        "section_shift_median_s": statistics.median(shifts) if shifts else 0.0,
        "section_shift_max_s": max(shifts, default=0.0),
        "within_1s": sum(s <= 1.0 for s in shifts) / max(len(shifts), 1),
    }


# --- the real-voice set: recordings of real people with human transcripts --------------------------------

@dataclass(frozen=True)
class RealClip:
    name: str
    path: Path | None  # None: built in memory (the two-speaker stereo file)
    reference: str


def reference_text(text: str) -> str:
    """A human transcript as the words a listener hears: cut-off words and tags out, hesitated words in."""
    text = re.sub(r"<cutoff-[^>]+>", " ", text)
    text = re.sub(r"<hes-([^>]+)>", r"\1", text)
    return " ".join(re.sub(r"<[^>]+>|\[[^\]]+\]", " ", text).split())


def real_voice_set(shared_audio: Path) -> list[RealClip]:
    """../shared/audio/mfa (19 disfluent clips), ../shared/audio/more (a speaker with a cold in another
    room, read speech, three short Common Voice clips), JFK, and a two-speaker stereo file built from two
    of them (see two_speaker_stereo)."""
    clips = []
    refs = json.loads((shared_audio / "mfa" / "reference_transcripts.json").read_text())
    mfa = shared_audio / "mfa"
    clips += [RealClip(name, mfa / f"{name}.flac", reference_text(text)) for name, text in sorted(refs.items())]
    for lab in sorted((shared_audio / "more").glob("*.lab")):
        audio = next(p for p in sorted((shared_audio / "more").glob(lab.stem + ".*")) if p.suffix != ".lab")
        clips.append(RealClip(lab.stem, audio, reference_text(lab.read_text())))
    clips.append(RealClip("fw_jfk", shared_audio / "fw_jfk.flac", JFK))
    left, right = clips_named(clips, STEREO_LEFT, STEREO_RIGHT)
    clips.append(RealClip(STEREO_NAME, None, f"{left.reference} {right.reference}"))
    return clips


JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
STEREO_NAME = "stereo: mfa_thoughts left, cold_corpus right from 8 s"
STEREO_LEFT, STEREO_RIGHT, STEREO_OFFSET_S = "mfa_thoughts", "cold_corpus", 8.0


def clips_named(clips: Sequence[RealClip], *names: str) -> list[RealClip]:
    return [next(c for c in clips if c.name == name) for name in names]


def two_speaker_stereo(left: np.ndarray, right: np.ndarray, offset_s: float) -> np.ndarray:
    """(samples, 2): `left` on the left channel from 0 s, `right` on the right from `offset_s`; each channel
    silent elsewhere, as two people recorded on two microphones."""
    from .speech.audio import SAMPLE_RATE

    start = int(offset_s * SAMPLE_RATE)
    out = np.zeros((max(left.size, start + right.size), 2), dtype=np.float32)
    out[: left.size, 0] = left
    out[start : start + right.size, 1] = right
    return out


def clip_audio(clip: RealClip, clips: Sequence[RealClip], workdir: Path) -> Path:
    """The clip's file; the stereo clip is written to `workdir` first."""
    if clip.path is not None:
        return clip.path
    from .speech.audio import load_audio, write_wav

    left, right = clips_named(clips, STEREO_LEFT, STEREO_RIGHT)
    assert left.path is not None and right.path is not None, "the stereo file is built from two recorded clips"
    path = workdir / "two_speakers.wav"
    write_wav(path, two_speaker_stereo(load_audio(left.path), load_audio(right.path), STEREO_OFFSET_S))
    return path


def words_in_order(reference: str, hypothesis: str) -> int:
    """How many reference words the hypothesis holds in order (longest common subsequence)."""
    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    row = [0] * (len(hyp) + 1)
    for a in ref:
        prev_diag = 0
        for j, b in enumerate(hyp):
            prev_diag, row[j + 1] = row[j + 1], prev_diag + 1 if a == b else max(row[j + 1], row[j])
    return row[-1]


@dataclass(frozen=True)
class ClipResult:
    name: str
    reference_words: int
    kept: int  # reference words the pipeline kept, in order
    kept_plain: int  # ... and plain faster-whisper
    edits: int
    fillers_wanted: int
    fillers_kept: int
    pauses_over_speech: int  # long pauses the report shows where plain faster-whisper heard words
    unheard: tuple[tuple[float, float], ...]
    text: str
    plain_text: str

    @property
    def recall(self) -> float:
        return self.kept / max(self.reference_words, 1)

    @property
    def recall_plain(self) -> float:
        return self.kept_plain / max(self.reference_words, 1)


def real_voice_results(transcriber, clips: Sequence[RealClip], workdir: Path, progress=None) -> list[ClipResult]:
    """Each clip through the pipeline (load_audio, stream.transcribe_recording, the delivery measures)
    and through plain faster-whisper (same model, beam 5, no VAD, no prompt), in the same run."""
    from .analysis.timing import delivery
    from .speech.audio import load_audio
    from .speech.stream import transcribe_recording

    results = []
    for clip in clips:
        audio = load_audio(clip_audio(clip, clips, workdir))
        heard = transcribe_recording(transcriber, audio)
        plain = transcriber.plain(audio)
        pauses = delivery(heard.words, not_silent=heard.voice + heard.unheard_speech).long_pauses
        # Two words at least: plain faster-whisper writes a lone "you" onto noise now and then.
        over_speech = sum(sum(p.start_s < (w.start_s + w.end_s) / 2 < p.end_s for w in plain) >= 2 for p in pauses)
        plain_text = " ".join(w.text for w in plain)
        want = reference_fillers(clip.reference)
        results.append(ClipResult(
            clip.name, len(normalized_words(clip.reference)), words_in_order(clip.reference, heard.text),
            words_in_order(clip.reference, plain_text), word_edits(clip.reference, heard.text)[0], want,
            min(len(find_fillers(heard.words)), want), over_speech, heard.unheard_speech, heard.text, plain_text))
        if progress:
            progress(results[-1])
    return results


# --- peak memory of a command ----------------------------------------------------------------------------


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_mb: float


def _high_water_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            line = next((line for line in status if line.startswith("VmHWM:")), None)
    except OSError:
        return None
    return int(line.split()[1]) / 1024 if line else None


def run_measured(args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout_s: float = 900) -> Measured:
    """A command's exit code, output and its own peak resident memory. Read from the kernel's high-water
    mark of the command's memory while it runs, not from getrusage or wait4: those keep the high-water mark
    of the process it was forked from, so a command started by a large test or bench process "peaks" at
    that process's size (a 700 MB pytest made a 330 MB analyze look like 705 MB)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(list(args), stdout=out, stderr=err, cwd=cwd, env=env)
        deadline = time.monotonic() + timeout_s
        peak = 0.0
        while proc.poll() is None:
            # The mark only rises, so the last reading before the exit is the peak, give or take the
            # last 20 ms (the exit itself frees memory, it does not take more).
            peak = max(peak, _high_water_mb(proc.pid) or 0.0)
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise TimeoutError(f"{' '.join(args)} ran over {timeout_s:.0f} s")
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        return Measured(proc.returncode, out.read(), err.read(), peak)
