"""Plain, frozen data shared by every stage.

Stages pass these around instead of library objects (faster-whisper segments, spaCy docs), so the
pure stages (timing, probe, score) can be tested with hand-written values and no model at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]  # a report, or any part of one, as written to report.json

SECTION_NAMES: tuple[str, ...] = ("situation", "task", "action", "result", "reflection")
DEFAULT_TARGETS: dict[str, float] = {
    "situation": 30.0,
    "task": 20.0,
    "action": 90.0,
    "result": 20.0,
    "reflection": 15.0,
}
LEVELS: tuple[str, ...] = ("junior", "mid", "senior", "staff")


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float
    probability: float = 1.0

    def to_json(self) -> JSON:
        return {"text": self.text, "start_s": round(self.start_s, 3), "end_s": round(self.end_s, 3)}


@dataclass(frozen=True)
class Transcript:
    """What the transcriber heard: words on the answer's clock, plus the audio's length."""

    words: tuple[Word, ...]
    duration_s: float
    # Stretches that may hold speech the model did not read: voice with no words, or words set apart as
    # not English. Shown to the user with their times, never as a pause.
    unheard_speech: tuple[tuple[float, float], ...] = ()
    # Where voice activity detection heard voice: a gap in the words inside it is not a pause.
    voice: tuple[tuple[float, float], ...] = ()
    # Where the decoder was unsure of what it wrote (low log-prob and word probabilities): a long run of
    # it is speech the model could not read, set apart like unheard speech (speech/unheard.py).
    unsure: tuple[tuple[float, float], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    def to_json(self) -> JSON:
        return {
            "duration_s": round(self.duration_s, 3),
            "text": self.text,
            "words": [w.to_json() for w in self.words],
            "unheard_speech": [list(span) for span in self.unheard_speech],
            "voice": [[round(s, 2), round(e, 2)] for s, e in self.voice],
        }



@dataclass(frozen=True)
class Sentence:
    """A run of words that ends at sentence punctuation; the unit that gets a STAR role."""

    index: int
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def start_s(self) -> float:
        return self.words[0].start_s

    @property
    def end_s(self) -> float:
        return self.words[-1].end_s


@dataclass(frozen=True)
class Segment:
    """One spoken run of a section. A headline result and the later result are two segments."""

    name: str
    start_s: float
    end_s: float
    sentences: tuple[Sentence, ...]
    headline: bool = False

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


@dataclass(frozen=True)
class SectionTiming:
    name: str
    start_s: float | None
    end_s: float | None
    duration_s: float
    target_s: float
    verdict: str  # ok | short | long | missing
    text: str


@dataclass(frozen=True)
class Flag:
    code: str
    section: str | None
    evidence: str
    start_s: float | None
    message: str

    def to_json(self) -> JSON:
        return {
            "code": self.code,
            "section": self.section,
            "evidence": self.evidence,
            "start_s": None if self.start_s is None else round(self.start_s, 2),
            "message": self.message,
        }


@dataclass(frozen=True)
class Deduction:
    dimension: str
    points: float
    flag: str
    reason: str


@dataclass(frozen=True)
class Score:
    overall: int
    verdict: str
    dimensions: dict[str, float]
    deductions: tuple[Deduction, ...] = ()

    def to_json(self) -> JSON:
        return {
            "overall": self.overall,
            "verdict": self.verdict,
            "dimensions": {k: round(v, 1) for k, v in self.dimensions.items()},
            "deductions": [
                {"dimension": d.dimension, "points": round(d.points, 1), "flag": d.flag, "reason": d.reason}
                for d in self.deductions
            ],
        }


@dataclass(frozen=True)
class Probe:
    id: str
    text: str
    probes: str  # what it tests: ownership, influence, impact, ...
    triggers: tuple[str, ...]  # weakness codes that call for it
    strong_markers: tuple[str, ...]
    weak_markers: tuple[str, ...]
    strong_example: str
    weak_example: str


@dataclass(frozen=True)
class Exemplar:
    sections: dict[str, str]  # section name -> text, in STAR order
    problems: tuple[str, ...] = ()  # what is wrong with it (weak exemplars only)
    headline: str = ""  # an optional one-sentence result spoken first

    @property
    def text(self) -> str:
        parts = [self.headline] if self.headline else []
        parts += [self.sections[name] for name in SECTION_NAMES if self.sections.get(name)]
        return " ".join(parts)


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    archetype: str
    principles: tuple[str, ...]
    competencies: tuple[str, ...]
    levels: tuple[str, ...]
    targets: dict[str, float]
    level_targets: dict[str, dict[str, float]]
    probes: tuple[Probe, ...]
    strong: Exemplar
    weak: Exemplar
    source: str = ""

    @property
    def tags(self) -> tuple[str, ...]:
        return (self.archetype, *self.principles, *self.competencies)

    def targets_for(self, level: str | None) -> dict[str, float]:
        return dict(self.level_targets.get(level or "", self.targets))


@dataclass(frozen=True)
class SectionGuide:
    name: str
    signals: tuple[str, ...]
    tip: str
    mistake: str


@dataclass(frozen=True)
class Lens:
    principle: str
    title: str
    emphasize: str
    downplay: str


@dataclass(frozen=True)
class Weakness:
    code: str
    kind: str  # content | delivery
    rank: int  # lower is more important within its kind
    message: str
    probe: Probe  # the generic probe


QUIZ_DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
QUIZ_SKILLS: dict[str, str] = {  # the kinds of quiz item, and the skill each one tests
    "signal": "what a phrase signals",
    "result_bar": "a Result that meets the bar",
    "task": "what the Task must contain",
    "probe_reply": "a follow-up reply that holds",
    "weakness": "the primary weakness",
    "disqualifier": "the disqualifying sentence",
    "principle": "which principle a behaviour shows",
}


@dataclass(frozen=True)
class QuizItem:
    """One multiple-choice question of the pattern quiz, written in quiz.yaml or generated (analysis/quiz.py)."""

    id: str
    kind: str  # what it tests: signal, result_bar, task, probe_reply, weakness, disqualifier, principle
    difficulty: str  # easy | medium | hard
    stem: str
    options: tuple[str, ...]  # two to four, shown as A to D
    answer: int  # the index of the one correct option
    steps: tuple[str, ...]  # the solution, step by step
    hint: str
    mistake: str  # the common mistake
    archetype: str | None = None  # None: any archetype
    question_id: str | None = None
    principles: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()  # empty: every level
    source: str = ""  # file:line of a written item, or the question it was generated from

    def to_json(self) -> JSON:
        return {"id": self.id, "kind": self.kind, "difficulty": self.difficulty, "stem": self.stem,
                "options": list(self.options), "answer": "ABCD"[self.answer], "source": self.source}


@dataclass(frozen=True)
class StoryTemplate:
    """What each field of the candidate's own story for one archetype should hold (`story new`)."""

    archetype: str
    title: str
    situation: str
    task: str
    action: str
    result: str
    tie_in: str


@dataclass(frozen=True)
class Story:
    """One of the candidate's own stories, written as bullets (`story new`; kept outside the bank)."""

    id: str
    archetype: str
    title: str
    situation: str
    task: str
    actions: tuple[str, ...]  # two to four bullets
    result: str
    tie_in: str  # the closing line that ties the story to the role
    principles: tuple[str, ...] = ()

    @property
    def sections(self) -> dict[str, str]:
        """The story as the five sections an answer is timed in; the tie-in closes it, as a Reflection does."""
        return {"situation": self.situation, "task": self.task, "action": " ".join(self.actions),
                "result": self.result, "reflection": self.tie_in}

    @property
    def text(self) -> str:
        return " ".join(part for part in self.sections.values() if part)


@dataclass(frozen=True)
class Bank:
    questions: dict[str, Question]
    sections: dict[str, SectionGuide]
    weaknesses: dict[str, Weakness]
    lenses: dict[str, Lens]
    quiz: tuple[QuizItem, ...] = ()  # the written items of quiz.yaml
    templates: dict[str, StoryTemplate] = field(default_factory=dict)  # archetype -> its story template
