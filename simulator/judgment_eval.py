"""Measure the judgment (sections, flags, probe choice) on answers written the way people speak.

The set is question_bank/spoken_answers.yaml: every utterance labelled with its true section, every answer
with the exact set of content flags it must raise. It has two splits: `dev` (tune on it; the segmenter's
naive Bayes also learns from its utterances) and `held_back` (never looked at while tuning and never
trained on; only its totals are read).

Each answer is timed at 150 wpm as text. Utterances follow each other with a 0.3 s gap, shorter than the
pause that ends a sentence, so an answer written without punctuation gets no help from the timing.
Figures, all computed for the full analyzer and for the cues-only baseline in the same run:
- section time accuracy: the share of speaking time whose predicted section is the true one;
- the confusion matrix of true against predicted section, in seconds;
- precision and recall of each content flag code;
- probe fit: on answers with at least one true weakness, does the chosen probe aim at one of them?
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .analysis.transcripts import words_from_text
from .bank import FAST_YAML
from .types import SECTION_NAMES, Transcript, Word

SPLITS = ("dev", "held_back")
JUDGED_FLAGS = (
    "missing_situation", "missing_task", "missing_action", "missing_result", "missing_reflection",
    "we_language", "assigned_task", "no_scope_boundary", "handoff", "vague_action",
    "no_metric", "no_business_impact", "generic_reflection",
)
UTTERANCE_GAP_S = 0.3


@dataclass(frozen=True)
class SpokenAnswer:
    id: str
    split: str
    question_id: str
    level: str | None
    flags: frozenset[str]
    parts: tuple[tuple[str, str], ...]  # (true section, utterance) in spoken order
    nopunct: bool = False

    @property
    def shape(self) -> str:  # evaluate.audio_accuracy groups its figures by shape
        return self.split


def load_spoken_set(path: Path) -> list[SpokenAnswer]:
    """Read and check the set; a malformed entry is a ValueError naming the answer."""
    answers = []
    for raw in yaml.load(Path(path).read_text(encoding="utf-8"), Loader=FAST_YAML)["answers"]:
        answer = SpokenAnswer(
            id=raw["id"], split=raw["split"], question_id=raw["question"], level=raw.get("level"),
            flags=frozenset(raw["flags"]), parts=tuple((p[0], p[1]) for p in raw["parts"]),
            nopunct=bool(raw.get("nopunct")),
        )
        problems = [f"split {answer.split!r}"] if answer.split not in SPLITS else []
        problems += [f"flag {f!r}" for f in sorted(answer.flags - set(JUDGED_FLAGS))]
        problems += [f"section {s!r}" for s, _ in answer.parts if s not in SECTION_NAMES]
        if problems:
            raise ValueError(f"{path}: answer {answer.id}: unknown {', '.join(problems)}")
        answers.append(answer)
    return answers


def without_punctuation(text: str) -> str:
    return re.sub(r"[.,?!;:]", "", text.lower())


def timed_words(answer: SpokenAnswer) -> tuple[list[Word], list[str]]:
    """The answer's words timed as speech, and each word's true section."""
    words: list[Word] = []
    truth: list[str] = []
    t = 0.0
    for section, text in answer.parts:
        part = words_from_text(without_punctuation(text) if answer.nopunct else text, start_s=t)
        words += part
        truth += [section] * len(part)
        t = part[-1].end_s + UTTERANCE_GAP_S
    return words, truth


@dataclass
class Tally:
    """Counts over a set of answers; figures are read from it."""

    seconds_right: float = 0.0
    seconds: float = 0.0
    confusion: defaultdict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))  # seconds
    flag_counts: Counter = field(default_factory=Counter)  # (code, "tp"|"fp"|"fn") -> answers
    probe_fit: int = 0
    probe_asked: int = 0
    misses: list[str] = field(default_factory=list)  # "id: what went wrong", to read while tuning dev

    @property
    def time_accuracy(self) -> float:
        return self.seconds_right / max(self.seconds, 1e-9)

    def precision(self, code: str) -> float | None:
        tp, fp = self.flag_counts[code, "tp"], self.flag_counts[code, "fp"]
        return tp / (tp + fp) if tp + fp else None

    def recall(self, code: str) -> float | None:
        tp, fn = self.flag_counts[code, "tp"], self.flag_counts[code, "fn"]
        return tp / (tp + fn) if tp + fn else None


def judge(analyzer, bank, answers: Sequence[SpokenAnswer]) -> Tally:
    tally = Tally()
    for answer in answers:
        words, truth = timed_words(answer)
        question = bank.questions[answer.question_id]
        report = analyzer.analyze(Transcript(tuple(words), words[-1].end_s), question, answer.level)
        _count_sections(tally, answer, report, words, truth)
        raised = {f["code"] for f in report["flags"]} & set(JUDGED_FLAGS)
        for code in JUDGED_FLAGS:
            expected, got = code in answer.flags, code in raised
            if expected or got:
                tally.flag_counts[code, "tp" if expected and got else ("fn" if expected else "fp")] += 1
        for code in sorted(raised - answer.flags):
            tally.misses.append(f"{answer.id}: false {code}")
        for code in sorted(answer.flags - raised):
            tally.misses.append(f"{answer.id}: missed {code}")
        if answer.flags:
            tally.probe_asked += 1
            fit = report["probe"]["targets"] in answer.flags
            tally.probe_fit += fit
            if not fit:
                tally.misses.append(f"{answer.id}: probe aims at {report['probe']['targets']}")
    return tally


CV_FOLDS = 5


def cross_validated(bank, nlp, answers: Sequence[SpokenAnswer], folds: int = CV_FOLDS) -> Tally:
    """The dev answers judged by a naive Bayes that never trained on them: each answer is labelled by a model
    trained on the bank and on the other folds' utterances (folds by position, so every run is the same).
    Tuning a rule on this, not on the dev figures, keeps the naive Bayes's memory of the answers out of it."""
    from .analysis.report import Analyzer

    segmenters = fold_segmenters(bank, nlp, answers, folds)
    tally = Tally()
    for fold in range(folds):
        labelled = [a for k, a in enumerate(answers) if k % folds == fold]
        if not labelled:
            continue
        part = judge(Analyzer(bank, segmenters[labelled[0].id]), bank, labelled)
        tally.seconds_right += part.seconds_right
        tally.seconds += part.seconds
        for key, seconds in part.confusion.items():
            tally.confusion[key] += seconds
        tally.flag_counts.update(part.flag_counts)
        tally.probe_fit += part.probe_fit
        tally.probe_asked += part.probe_asked
        tally.misses += part.misses
    return tally


def fold_segmenters(bank, nlp, answers: Sequence[SpokenAnswer], folds: int = CV_FOLDS) -> dict[str, Any]:
    """For each dev answer, a segmenter whose naive Bayes trained on the bank and on the other folds only (the
    folds of `cross_validated`): the live guess replayed over dev answers without the model's memory of them."""
    from .analysis.report import SPOKEN_REPEAT, spoken_text, training_examples
    from .analysis.segment import NaiveBayes, Segmenter, SentenceParses

    written = list(training_examples(bank))
    parses = SentenceParses(nlp) if nlp is not None else None  # one store: the folds parse the same sentences
    chosen: dict[str, Any] = {}
    for fold in range(folds):
        taught = [a for k, a in enumerate(answers) if k % folds != fold]
        spoken = [(spoken_text(text, a.nopunct), section)
                  for a in taught for section, text in a.parts for _ in range(SPOKEN_REPEAT)]
        segmenter = Segmenter(NaiveBayes(written + spoken), parses)
        chosen.update({a.id: segmenter for k, a in enumerate(answers) if k % folds == fold})
    return chosen


def _count_sections(tally: Tally, answer: SpokenAnswer, report: dict, words: list[Word], truth: list[str]) -> None:
    predicted = _section_of_each_word(report, words)
    for word, true, guess in zip(words, truth, predicted, strict=True):
        seconds = word.end_s - word.start_s
        tally.seconds += seconds
        tally.seconds_right += seconds * (true == guess)
        tally.confusion[true, guess] += seconds
    wrong = [i for i, (a, b) in enumerate(zip(truth, predicted, strict=True)) if a != b]
    if wrong:
        tally.misses.append(f"{answer.id}: {len(wrong)}/{len(words)} words in the wrong section, first at "
                            f"\"{' '.join(w.text for w in words[wrong[0]:wrong[0] + 6])}\" "
                            f"({truth[wrong[0]]} read as {predicted[wrong[0]]})")


def _section_of_each_word(report: dict, words: list[Word]) -> list[str]:
    """The role of the sentence each word sits in (a headline is a Result)."""
    roles = []
    sentences = report["sentences"]
    k = 0
    for word in words:
        while k + 1 < len(sentences) and word.start_s >= sentences[k + 1]["start_s"] - 1e-6:
            k += 1
        role = sentences[k]["role"]
        roles.append("result" if role == "headline" else role)
    return roles


@dataclass
class FollowupTally:
    """Follow-up scores by the weakness the probe aims at: the bank's strong and weak replies, an off-topic
    reply (a strong reply written for another story's probe), and a reply to another probe of the same story
    (its strong reply: on the story, but not what was asked)."""

    strong: dict[str, list[int]] = field(default_factory=dict)
    weak: dict[str, list[int]] = field(default_factory=dict)
    off_topic: list[int] = field(default_factory=list)
    off_topic_repaired: int = 0
    sibling: list[int] = field(default_factory=list)
    sibling_answering: int = 0  # ... heard as answering the probe asked

    def margin(self, code: str) -> float:
        pairs = zip(self.strong[code], self.weak[code], strict=True)
        return sum(s - w for s, w in pairs) / len(self.strong[code])


def judge_followups(analyzer, bank) -> FollowupTally:
    """Each story's weak answer is analyzed as the main answer; each of its probes is then answered with
    the probe's strong reply, its weak reply, and an off-topic strong reply from another archetype."""
    tally = FollowupTally()
    stories = list({q.strong.text: q for q in bank.questions.values()}.values())
    for k, question in enumerate(stories):
        words = words_from_text(question.weak.text)
        report = analyzer.analyze(Transcript(words, words[-1].end_s), question)
        other = next(q for q in stories[k + 1:] + stories[:k] if q.archetype != question.archetype)
        for n, probe in enumerate(question.probes):
            if not probe.triggers:
                continue
            code = probe.triggers[0]
            reply_to = (analyzer, report, question, probe.id)
            tally.strong.setdefault(code, []).append(_reply(*reply_to, probe.strong_example)["score"]["overall"])
            tally.weak.setdefault(code, []).append(_reply(*reply_to, probe.weak_example)["score"]["overall"])
            elsewhere = _reply(*reply_to, other.probes[n % len(other.probes)].strong_example)
            tally.off_topic.append(elsewhere["score"]["overall"])
            tally.off_topic_repaired += elsewhere["repaired"]["repaired"]
            sibling = next((p for p in question.probes[n + 1:] + question.probes[:n] if p.probes != probe.probes), None)
            if sibling is not None:
                beside = _reply(*reply_to, sibling.strong_example)
                tally.sibling.append(beside["score"]["overall"])
                tally.sibling_answering += not any(f["code"] == "followup_off_topic" for f in beside["flags"])
    return tally


REPLY_KINDS = ("strong", "weak", "dodge")


@dataclass(frozen=True)
class SpokenReply:
    split: str
    question_id: str
    probe_id: str
    kind: str  # strong: answers and repairs; weak: on the subject, repairs nothing; dodge: answers something else
    text: str


def load_spoken_replies(path: Path) -> list[SpokenReply]:
    """Read question_bank/spoken_replies.yaml; a malformed entry is a ValueError naming it."""
    replies = []
    for n, raw in enumerate(yaml.load(Path(path).read_text(encoding="utf-8"), Loader=FAST_YAML)["replies"]):
        reply = SpokenReply(raw["split"], raw["question"], raw["probe"], raw["kind"], raw["text"])
        if reply.split not in SPLITS or reply.kind not in REPLY_KINDS:
            raise ValueError(f"{path}: reply {n + 1}: unknown split {reply.split!r} or kind {reply.kind!r}")
        replies.append(reply)
    return replies


@dataclass
class ReplyTally:
    """Spoken-style replies: how often each kind was heard as answering the probe and as repairing it."""

    answered: Counter = field(default_factory=Counter)  # kind -> replies not flagged off-topic
    repaired: Counter = field(default_factory=Counter)  # kind -> replies that repaired the weakness
    count: Counter = field(default_factory=Counter)  # kind -> replies
    scores: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # kind -> scores
    misses: list[str] = field(default_factory=list)


def judge_spoken_replies(analyzer, bank, replies: Sequence[SpokenReply]) -> ReplyTally:
    """Each reply follows its question's weak exemplar, probed with its probe. A miss is a strong reply heard
    as off-topic or as repairing nothing, or a weak or dodging reply heard as a repair."""
    tally = ReplyTally()
    answers: dict[str, dict] = {}  # question id -> the report of its weak answer, analyzed once
    for reply in replies:
        question = bank.questions[reply.question_id]
        if reply.question_id not in answers:
            words = words_from_text(question.weak.text)
            answers[reply.question_id] = analyzer.analyze(Transcript(words, words[-1].end_s), question)
        judged = _reply(analyzer, answers[reply.question_id], question, reply.probe_id, reply.text)
        answered = not any(f["code"] == "followup_off_topic" for f in judged["flags"])
        ok = judged["repaired"]["repaired"]
        tally.count[reply.kind] += 1
        tally.answered[reply.kind] += answered
        tally.repaired[reply.kind] += ok
        tally.scores[reply.kind].append(judged["score"]["overall"])
        if reply.kind == "strong" and not (answered and ok):
            tally.misses.append(f"{reply.probe_id} strong: {judged['repaired']['evidence']}")
        elif reply.kind != "strong" and ok:
            tally.misses.append(f"{reply.probe_id} {reply.kind}: repaired by {judged['repaired']['evidence']}")
    return tally


def _reply(analyzer, report: dict, question, probe_id: str, text: str) -> dict:
    said = words_from_text(text)
    return analyzer.analyze_followup(Transcript(said, said[-1].end_s), report, question, probe_id)


@dataclass
class LiveTally:
    """The drill's live guess and its "past its target" cues, against the labelled section times."""

    lags: list[float] = field(default_factory=list)  # true start of a section -> first guess naming it
    never_guessed: int = 0  # true sections the live guess never named while they were spoken
    cues_right: int = 0
    cues: list[str] = field(default_factory=list)  # every section_over cue, "id: text (right|wrong)"
    # Baseline: the same cues timed on the clock (a section runs until now), as the drill did before.
    clock_cues_right: int = 0
    clock_cues: int = 0
    # Baseline: a cue on any single guess, before two guesses in a row had to agree (CueWatch.steady) on where
    # the section began and on its time past the target.
    unsteady_cues_right: int = 0
    unsteady_cues: int = 0
    overruns: int = 0  # true sections that ran past their target by more than one guess interval
    overruns_cued: int = 0  # ... and got a right cue
    # The steady rule with other margins past the target: margin -> [right cues, cues, overruns cued].
    by_margin: dict[float, list[int]] = field(default_factory=dict)

    @property
    def cue_precision(self) -> float | None:
        return self.cues_right / len(self.cues) if self.cues else None


@dataclass(frozen=True)
class LiveRecord:
    """What the drill's stream heard of one answer, every LIVE_GUESS_EVERY_S of audio: the decoded words are
    the slow part, and they do not depend on the analysis, so they are kept and the guess replayed over them."""

    answer_id: str
    spans: list[tuple[str, float, float]]  # the true sections: (name, start_s, end_s)
    steps: list[tuple[float, list[Word]]]  # (seconds of audio fed, the stream's live words then)


def live_record(transcriber, answer: SpokenAnswer, rate: int, cache: Path | None = None) -> LiveRecord:
    """Speak the answer (espeak-ng, utterance times known) and stream it, settled every LIVE_GUESS_EVERY_S as
    `drill --fast` does; with `cache`, read the record made before for the same words, rate and model."""
    path = record_path(cache, transcriber, answer, rate) if cache else None
    if path and path.exists():
        return load_record(path, answer.id)
    from .modes.turn import LIVE_GUESS_EVERY_S
    from .speech.audio import SAMPLE_RATE
    from .speech.stream import StreamingTranscriber
    from .speech.synth import synthesize_sections

    audio, spans = synthesize_sections(_merged(answer.parts), rate=rate)
    stream = StreamingTranscriber(transcriber, drafts=True)
    step = int(LIVE_GUESS_EVERY_S * SAMPLE_RATE)
    steps: list[tuple[float, list[Word]]] = []
    for fed in range(step, audio.size + step, step):
        stream.insert(audio[fed - step : fed])
        stream.settle()
        steps.append((min(fed, audio.size) / SAMPLE_RATE, list(stream.live_words())))
    stream.finish()
    record = LiveRecord(answer.id, spans, steps)
    if path:
        save_record(path, record)
    return record


def record_path(cache: Path, transcriber, answer: SpokenAnswer, rate: int) -> Path:
    """One file per answer, named by what the words depend on: the answer's words, the rate and the model."""
    key = hashlib.sha1(json.dumps([answer.parts, rate, getattr(transcriber, "model_ref", "")]).encode()).hexdigest()
    return cache / f"{answer.id}-{key[:12]}.json"


def save_record(path: Path, record: LiveRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"spans": record.spans, "steps": [
        (now, [(w.text, w.start_s, w.end_s, w.probability) for w in words]) for now, words in record.steps]}))


def load_record(path: Path, answer_id: str) -> LiveRecord:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return LiveRecord(answer_id, [(name, start, end) for name, start, end in raw["spans"]],
                      [(now, [Word(*w) for w in words]) for now, words in raw["steps"]])


def judge_live(segmenter, transcriber, bank, answers: Sequence[SpokenAnswer], progress=None,
               rate: int = 160, margins: Sequence[float] = (), cache: Path | None = None,
               segmenter_for=None) -> LiveTally:
    """Speak each answer, stream it, and every LIVE_GUESS_EVERY_S of audio guess the section as the drill does
    and run the drill's cues (`live_record`, then `replay_live`). `segmenter_for(answer)`, when given, picks the
    segmenter per answer (cross-validation: one whose naive Bayes never trained on that answer).

    The stream drafts as the drill's does and is settled before each guess (as `drill --fast` does): this
    measures what the guess makes of the words, not the second or so a draft takes in real time."""
    tally = LiveTally()
    for answer in answers:
        record = live_record(transcriber, answer, rate, cache)
        replay_live(tally, segmenter_for(answer) if segmenter_for else segmenter, bank, answer, record, margins)
        if progress:
            progress(answer)
    return tally


def replay_live(tally: LiveTally, segmenter, bank, answer: SpokenAnswer, record: LiveRecord,
                margins: Sequence[float] = ()) -> None:
    """The drill's live guess and cues over one answer's recorded live words, added to `tally`."""
    from .modes.drill import CueWatch
    from .modes.turn import LIVE_GUESS_EVERY_S, current_section

    spans = record.spans
    question = bank.questions[answer.question_id]
    targets = question.targets_for(answer.level)
    watch = CueWatch(targets, (1e9, 1e9))  # section cues only; band cues follow the clock
    # Baselines, as the drill cued before: on the clock, and on any single guess, with no margin.
    on_the_clock = CueWatch(targets, (1e9, 1e9), steady=False, margin_s=0.0)
    unsteady = CueWatch(targets, (1e9, 1e9), steady=False, margin_s=0.0)
    other_margins = {m: CueWatch(targets, (1e9, 1e9), margin_s=m) for m in margins}
    cued_with: dict[float, set[str]] = {m: set() for m in margins}
    guesses: list[tuple[float, str]] = []
    cued_right: list[str] = []
    for now, words in record.steps:
        guess = current_section(segmenter, words, now, sum(targets.values()))
        if guess:
            guesses.append((now, guess[0]))
        for cue, right in _section_cues(watch, now, guess, spans, targets):
            tally.cues_right += right
            if right:
                cued_right.append(cue.text.split()[0])
            tally.cues.append(f"{answer.id}: {cue.text} at {cue.at_s:.0f} s ({'right' if right else 'wrong'})")
        for _, right in _section_cues(unsteady, now, guess, spans, targets):
            tally.unsteady_cues += 1
            tally.unsteady_cues_right += right
        for m, other in other_margins.items():
            counts = tally.by_margin.setdefault(m, [0, 0, 0])
            for cue, right in _section_cues(other, now, guess, spans, targets):
                counts[0] += right
                counts[1] += 1
                if right:
                    cued_with[m].add(cue.text.split()[0])
        for _, right in _section_cues(on_the_clock, now, guess and (guess[0], guess[1], now), spans, targets):
            tally.clock_cues += 1
            tally.clock_cues_right += right
    for name in dict.fromkeys(label for label, _, _ in spans):
        if _time_in(spans, name, math.inf) >= targets[name] + LIVE_GUESS_EVERY_S:
            tally.overruns += 1
            tally.overruns_cued += name in cued_right
            for m in margins:
                tally.by_margin[m][2] += name in cued_with[m]
    for name, start, end in spans:
        named = [t for t, guessed in guesses if guessed == name and t >= start]
        if named and named[0] <= end + LIVE_GUESS_EVERY_S:
            tally.lags.append(named[0] - start)
        else:
            tally.never_guessed += 1


def _merged(parts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Consecutive utterances of one section spoken as one part, so each section has one span."""
    merged: list[tuple[str, str]] = []
    for section, text in parts:
        if merged and merged[-1][0] == section:
            merged[-1] = (section, merged[-1][1] + " " + text)
        else:
            merged.append((section, text))
    return merged


def _section_cues(watch, now: float, guess, spans, targets: dict[str, float]) -> list[tuple[Any, bool]]:
    """The "past its target" cues the watch fires now, each with whether it was right."""
    return [(cue, _past_target(spans, cue.text.split()[0], cue.at_s, targets))
            for cue in watch.update(now, guess) if cue.kind == "section_over"]


def _past_target(spans, name: str, at_s: float, targets: dict[str, float]) -> bool:
    """A cue for `name` at `at_s` is right when the true `name` section had run its target by then, its runs
    added up as the report adds them (a headline and the result proper, a situation stepped back to)."""
    return _time_in(spans, name, at_s) >= targets[name]


def _time_in(spans, name: str, until_s: float) -> float:
    """Seconds spent in the true `name` section up to `until_s`, over all its runs."""
    return sum(max(0.0, min(end, until_s) - start) for label, start, end in spans if label == name)
