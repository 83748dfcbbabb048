"""Quiz items that test one pattern: multiple choice, easy to hard, each with its solution in steps.

Two sources. Written items live in question_bank/quiz.yaml (read and checked by bank.py). Generated items
are built here from the bank's exemplars and probes, and an item is kept only if the analysis agrees with
its key: the weakness it names is the one the probe choice ranks first, the sentence it calls the
disqualifier is the one the flag engine quotes, the Result it calls strong raises no `no_metric` where the
others do, and so on. A generated item is therefore never a claim the rest of the tool would contradict.

Generation is lazy: `candidates` builds cheap unchecked items, `confirm` runs the analysis on one; a quiz
of ten items checks about ten, not the whole bank.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from ..types import JSON, QUIZ_DIFFICULTIES, QUIZ_SKILLS, SECTION_NAMES, Bank, Exemplar, Probe, Question, QuizItem
from .report import Analyzer
from .transcripts import transcript_from_text

DIFFICULTIES = QUIZ_DIFFICULTIES
DIFFICULTY_OF = {"signal": "easy", "result_bar": "easy", "task": "medium", "probe_reply": "medium",
                 "weakness": "medium", "disqualifier": "hard", "principle": "hard"}
# Codes a single phrase can give away, in the order an interviewer weighs them.
SIGNAL_CODES = ("handoff", "assigned_task", "we_language", "no_scope_boundary", "vague_action", "no_metric",
                "no_business_impact", "generic_reflection")
OWNERSHIP_CODES = ("handoff", "assigned_task", "we_language")  # what sinks an answer's credibility outright
# Timing codes are left out of weakness items: a written answer read at 150 wpm is always short.
TIMING_PREFIXES = ("short_", "overrun_", "too_")
FOLLOWUP_MARGIN = 15  # a probe_reply key must outscore every other option by this much


Analyze = Callable[[str, Question], JSON]  # answer text -> report
AnalyzeReply = Callable[[str, JSON, Question, str], JSON]  # reply text, main report, question, probe id -> follow-up


@dataclass
class Checker:
    """The analysis the generated items are confirmed against, with reports of the same text reused."""

    analyze_text: Analyze
    analyze_reply: AnalyzeReply
    _reports: dict[tuple[str, str], JSON] = field(default_factory=dict)

    def report(self, text: str, question: Question) -> JSON:
        if (text, question.id) not in self._reports:
            self._reports[text, question.id] = self.analyze_text(text, question)
        return self._reports[text, question.id]

    def codes(self, text: str, question: Question) -> set[str]:
        return {f["code"] for f in self.report(text, question)["flags"]}


@dataclass(frozen=True)
class Candidate:
    """An item before the analysis has confirmed it; `check` returns the item (perhaps refined) or None."""

    item: QuizItem
    check: Callable[[Checker], QuizItem | None]


def letters(n: int) -> str:
    return "ABCD"[:n]


def _shuffled(key: str, others: Sequence[str], rng: random.Random) -> tuple[tuple[str, ...], int]:
    options = [key, *others]
    rng.shuffle(options)
    return tuple(options), options.index(key)


def _stories(bank: Bank) -> dict[str, list[Question]]:
    """The questions of each story (questions sharing a weak exemplar tell the same story)."""
    stories: dict[str, list[Question]] = {}
    for q in bank.questions.values():
        stories.setdefault(f"{q.archetype}:{q.weak.text}", []).append(q)
    return stories


def _item(kind: str, item_id: str, q: Question, stem: str, options: tuple[str, ...], answer: int,
          steps: Sequence[str], hint: str, mistake: str, questions: Sequence[Question]) -> QuizItem:
    return QuizItem(
        id=item_id, kind=kind, difficulty=DIFFICULTY_OF[kind], stem=stem, options=options, answer=answer,
        steps=tuple(steps), hint=hint, mistake=mistake, archetype=q.archetype, question_id=q.id,
        principles=tuple(sorted({p for x in questions for p in x.principles})),
        levels=tuple(sorted({lv for x in questions for lv in x.levels})), source=f"generated from {q.id}")


def _sentences(exemplar: Exemplar) -> list[tuple[str, str]]:
    """(section, sentence) of an exemplar, in the order spoken."""
    out = []
    for name in SECTION_NAMES:
        for sentence in exemplar.sections.get(name, "").replace("? ", "?|").replace(". ", ".|").split("|"):
            if sentence.strip():
                out.append((name, sentence.strip()))
    return out


def _with_section(exemplar: Exemplar, name: str, text: str) -> str:
    """The exemplar's answer with one section replaced (or added in its place)."""
    sections = {**exemplar.sections, name: text}
    return " ".join(sections[n] for n in SECTION_NAMES if sections.get(n))


# --- generators: one function per kind of item ---------------------------------------------------------------

def weakness_items(bank: Bank, q: Question, story: Sequence[Question], rng: random.Random) -> Iterator[Candidate]:
    """The primary weakness of the story's weak answer: the one the probe choice would go after first."""
    content = [c for c, w in bank.weaknesses.items() if w.kind == "content" and not c.startswith(TIMING_PREFIXES)]
    stem = f"Asked \"{q.text}\", a candidate answers:\n\"{q.weak.text}\"\nWhat is the primary weakness?"

    def check(checker: Checker) -> QuizItem | None:
        report = checker.report(q.weak.text, q)
        key = report["probe"]["targets"]
        raised = checker.codes(q.weak.text, q)
        if key not in content:
            return None
        others = [c for c in content if c not in raised]
        if len(others) < 3:
            return None
        picked = rng.sample(others, 3)
        options, answer = _shuffled(bank.weaknesses[key].message, [bank.weaknesses[c].message for c in picked], rng)
        evidence = next(f["evidence"] for f in report["flags"] if f["code"] == key)
        steps = [f"The answer raises {len(raised)} weakness codes; the others offered here are not raised at all.",
                 f"Ranked as the follow-up choice ranks them, '{key}' comes first: \"{evidence}\".",
                 f"So the interviewer's next question goes after it: \"{report['probe']['text']}\""]
        return _item("weakness", f"weakness:{q.id}", q, stem, options, answer, steps,
                     "Ask what an interviewer cannot see past: a missing Action or Result, then whose work it was.",
                     "Picking the most visible flaw (length, filler) instead of the one that hides ownership.", story)

    yield Candidate(_placeholder("weakness", q, story), check)


def disqualifier_items(bank: Bank, q: Question, story: Sequence[Question],
                       rng: random.Random) -> Iterator[Candidate]:
    """Which sentence of the weak answer disqualifies it: the one the flag engine quotes for hand-off,
    an assigned task or "we"."""
    sentences = _sentences(q.weak)
    stem = (f"Asked \"{q.text}\", which sentence of this answer would make an interviewer doubt the work was "
            f"the candidate's own?")

    def check(checker: Checker) -> QuizItem | None:
        flags = [f for f in checker.report(q.weak.text, q)["flags"] if f["code"] in OWNERSHIP_CODES]
        if not flags:
            return None
        flags.sort(key=lambda f: OWNERSHIP_CODES.index(f["code"]))
        quoted = [s for _, s in sentences if any(_overlaps(f["evidence"], s) for f in flags)]
        key = next((s for _, s in sentences if _overlaps(flags[0]["evidence"], s)), None)
        others = [s for _, s in sentences if s not in quoted]
        if key is None or len(others) < 2:
            return None
        options, answer = _shuffled(key, rng.sample(others, min(3, len(others))), rng)
        steps = [f"The flag engine raises '{flags[0]['code']}' on \"{flags[0]['evidence']}\".",
                 f"{bank.weaknesses[flags[0]['code']].message}",
                 "The other sentences are thin, but none of them says the work was someone else's."]
        return _item("disqualifier", f"disqualifier:{q.id}", q, stem, options, answer, steps,
                     "Look for the sentence that moves the work away from the speaker.",
                     "Choosing the vague Result: weak, but it does not say someone else did the work.", story)

    yield Candidate(_placeholder("disqualifier", q, story), check)


def signal_items(bank: Bank, q: Question, story: Sequence[Question], rng: random.Random) -> Iterator[Candidate]:
    """What one phrase of the weak answer tells the interviewer, one item per sentence the engine quotes."""
    for index, (_, sentence) in enumerate(_sentences(q.weak)):

        def check(checker: Checker, sentence: str = sentence, index: int = index) -> QuizItem | None:
            flags = [f for f in checker.report(q.weak.text, q)["flags"]
                     if f["code"] in SIGNAL_CODES and _overlaps(f["evidence"], sentence)]
            if not flags:
                return None
            codes = {f["code"] for f in flags}
            key = min(codes, key=SIGNAL_CODES.index)
            others = [c for c in SIGNAL_CODES if c not in codes and not _looks_like(c, sentence)]
            picked = rng.sample(others, 3)
            options, answer = _shuffled(bank.weaknesses[key].message, [bank.weaknesses[c].message for c in picked],
                                        rng)
            evidence = next(f["evidence"] for f in flags if f["code"] == key)
            steps = [f"The words \"{evidence}\" raise '{key}'.", bank.weaknesses[key].message,
                     "The other readings name weaknesses this sentence does not have."]
            return _item("signal", f"signal:{q.id}:{index}", q, f"A candidate says: \"{sentence}\"\nWhat does "
                         "that tell the interviewer?", options, answer, steps,
                         "Read it as the interviewer does: whose work, how concrete, how measured?",
                         "Hearing only the tone (modest, confident) and missing what the words give away.", story)

        yield Candidate(_placeholder("signal", q, story, f":{index}"), check)


def _weak_sections(section: str, q: Question, others: Sequence[Question], key: str) -> list[str]:
    """The weak exemplars' versions of one section, this story's first, without repeats or the key."""
    weak = [x.weak.sections.get(section, "") for x in (q, *others)]
    return [w for w in dict.fromkeys(weak) if w and w != key]


def _section_bar_item(kind: str, section: str, q: Question, story: Sequence[Question], carrier: Exemplar,
                      key: str, distractors: list[str], key_clear: set[str], wrong_raises: set[str],
                      rng: random.Random, stem: str, steps: list[str], hint: str, mistake: str) -> Candidate:
    """Which version of one section meets the bar. Each option is put in the carrier answer's place for
    that section and analyzed: the key must raise none of `key_clear`, every distractor one of `wrong_raises`."""
    def check(checker: Checker) -> QuizItem | None:
        def codes(text: str) -> set[str]:
            return checker.codes(_with_section(carrier, section, text), q)

        if codes(key) & key_clear or not all(codes(d) & wrong_raises for d in distractors):
            return None
        options, answer = _shuffled(key, distractors, rng)
        return _item(kind, f"{kind}:{q.id}", q, stem, options, answer, steps, hint, mistake, story)

    return Candidate(_placeholder(kind, q, story), check)


def result_bar_items(bank: Bank, q: Question, story: Sequence[Question], others: Sequence[Question],
                     rng: random.Random) -> Iterator[Candidate]:
    """Which Result meets the bar: the strong one, against weak Results of this and other stories."""
    key = q.strong.sections.get("result", "")
    weak = _weak_sections("result", q, others, key)
    if not key or len(weak) < 3:
        return
    steps = ["A Result meets the bar with a number, what it meant to the business, and what followed.",
             "The flag engine finds a number and business terms in this one, and raises 'no_metric' on each of "
             "the others.", f"The strong Result: \"{key}\""]
    yield _section_bar_item(
        "result_bar", "result", q, story, q.weak, key, [weak[0], *rng.sample(weak[1:], 2)],
        {"no_metric", "no_business_impact", "missing_result"}, {"no_metric"}, rng,
        f"Asked \"{q.text}\", which Result meets the bar?", steps,
        "Look for a measured change, not a feeling about it.",
        "Taking an enthusiastic Result (everyone loved it) for a measured one.")


def task_items(bank: Bank, q: Question, story: Sequence[Question], others: Sequence[Question],
               rng: random.Random) -> Iterator[Candidate]:
    """What the Task must contain: whose job it was and that the speaker chose to take it on."""
    key = q.strong.sections.get("task", "")
    weak = _weak_sections("task", q, others, key)
    if not key or len(weak) < 3:
        return
    scope_codes = {"no_scope_boundary", "assigned_task", "missing_task"}
    steps = ["A Task states the boundary (whose job it was, that nobody asked) and that you chose to own it.",
             "In this story the flag engine raises none of no_scope_boundary, assigned_task or missing_task "
             "for this Task, and at least one of them for each other option.", f"The strong Task: \"{key}\""]
    yield _section_bar_item(
        "task", "task", q, story, q.strong, key, rng.sample(weak, 3), scope_codes, scope_codes, rng,
        f"Asked \"{q.text}\", which Task says what a Task must?", steps,
        "Whose job was it officially, and who decided you would do it?",
        "Choosing a Task that says what was done: that belongs in the Action.")


def probe_reply_items(bank: Bank, q: Question, story: Sequence[Question], rng: random.Random) -> Iterator[Candidate]:
    """Which reply to one of the story's probes holds up: its strong example against weak ones."""
    weak_replies = [p.weak_example for p in q.probes]
    for probe in q.probes:
        others = [w for w in weak_replies if w != probe.weak_example]
        if len(others) < 2:
            continue
        distractors = [probe.weak_example, *rng.sample(others, 2)]

        def check(checker: Checker, probe: Probe = probe, distractors: list[str] = distractors) -> QuizItem | None:
            main = checker.report(q.strong.text, q)
            score = {text: checker.analyze_reply(text, main, q, probe.id)["score"]["overall"]
                     for text in (probe.strong_example, *distractors)}
            best_other = max(score[d] for d in distractors)
            if score[probe.strong_example] < best_other + FOLLOWUP_MARGIN:
                return None
            options, answer = _shuffled(probe.strong_example, distractors, rng)
            steps = [f"The probe tests {probe.probes}; the interviewer listens for: {', '.join(probe.strong_markers)}.",
                     f"Scored as a follow-up reply, this one gets {score[probe.strong_example]:.0f}; the best of the "
                     f"others {best_other:.0f}.", "The others dodge, or answer a different question."]
            return _item("probe_reply", f"probe_reply:{probe.id}", q, f"The interviewer follows up: \"{probe.text}\"\n"
                         "Which reply holds up?", options, answer, steps,
                         f"The probe is about {probe.probes}: answer that, with a specific.",
                         "Picking the polite, agreeable reply that adds no new fact.", story)

        yield Candidate(_placeholder("probe_reply", q, story, f":{probe.id}"), check)


def principle_items(bank: Bank, q: Question, story: Sequence[Question], rng: random.Random) -> Iterator[Candidate]:
    """Which principle an emphasis shows, from the bank's lenses (no analysis involved: the key is the
    bank's own pairing of lens and principle)."""
    if not q.principles or len(bank.lenses) < 4:
        return
    principle = q.principles[0]
    lens = bank.lenses[principle]
    others = [lens_.title for p, lens_ in bank.lenses.items() if p not in q.principles]
    options, answer = _shuffled(lens.title, rng.sample(others, 3), rng)
    steps = [f"The question \"{q.text}\" is asked under {lens.title}.", f"That lens says: {lens.emphasize}",
             f"And keeps brief: {lens.downplay}"]
    item = _item("principle", f"principle:{q.id}", q, f"An answer to \"{q.text}\" puts its weight here: "
                 f"{lens.emphasize}\nWhich principle is the interviewer scoring?", options, answer, steps,
                 "Each principle has one thing it wants brought forward; match the emphasis, not the topic.",
                 "Matching the topic of the story instead of what the answer stresses.", story)
    yield Candidate(item, lambda _checker: item)


def _looks_like(code: str, sentence: str) -> bool:
    """A wrong option must not be one a careful reader could defend: "we" in a Result sentence is not the
    Action told as "we", but offering it as a wrong reading would be a trick."""
    words = set(sentence.lower().replace(",", " ").replace(".", " ").split())
    return code == "we_language" and bool(words & {"we", "we're", "we've", "our", "us"})


def _placeholder(kind: str, q: Question, story: Sequence[Question], suffix: str = "") -> QuizItem:
    """The shape of an item not yet confirmed (its options come from the analysis)."""
    return _item(kind, f"{kind}:{q.id}{suffix}", q, "", (), 0, (), "", "", story)


def _overlaps(evidence: str, sentence: str) -> bool:
    """Evidence is a window of words that can run across a sentence end ("happy. I learned that..."): it
    belongs to the sentence holding its longest part."""
    parts = [p.strip(" .?!").lower() for p in re.split(r"[.?!]\s+", evidence)]
    longest = max(parts, key=len, default="")
    return bool(longest) and longest in sentence.lower()


def candidates(bank: Bank, seed: int | None = None) -> list[Candidate]:
    """Every generated item of the bank, unchecked: one story's worth per archetype."""
    rng = random.Random(seed)
    stories = _stories(bank)
    out: list[Candidate] = []
    for questions in stories.values():
        first = questions[0]
        others = [qs[0] for qs in stories.values() if qs[0].archetype != first.archetype]
        out += [*signal_items(bank, first, questions, rng), *result_bar_items(bank, first, questions, others, rng),
                *task_items(bank, first, questions, others, rng), *weakness_items(bank, first, questions, rng),
                *probe_reply_items(bank, first, questions, rng), *disqualifier_items(bank, first, questions, rng)]
        seen: set[str] = set()
        for q in questions:
            if q.principles and q.principles[0] not in seen:
                seen.add(q.principles[0])
                out += principle_items(bank, q, questions, rng)
    return out


def matches(item: QuizItem, archetype: str | None = None, principle: str | None = None,
            level: str | None = None) -> bool:
    return ((archetype is None or item.archetype in (None, archetype))
            and (principle is None or principle in item.principles)
            and (level is None or not item.levels or level in item.levels))


def _round_robin(pool: list[Candidate], rng: random.Random) -> Iterator[Candidate]:
    """The pool one kind at a time in turn, so a quiz is not ten items of the same kind."""
    by_kind: dict[str, list[Candidate]] = {}
    for candidate in pool:
        by_kind.setdefault(candidate.item.kind, []).append(candidate)
    queues = list(by_kind.values())
    rng.shuffle(queues)
    for queue in queues:
        rng.shuffle(queue)
    while any(queues):
        for queue in queues:
            if queue:
                yield queue.pop()


def choose(written: Sequence[QuizItem], generated: Sequence[Candidate], checker: Checker, n: int,
           rng: random.Random) -> list[QuizItem]:
    """n items, easy first, then medium, then hard, the kinds taken in turn. Written items are taken as
    they are; a generated one only once the analysis confirms it. A level short of items passes what it
    lacks on to the next one."""
    quota = {d: n // 3 + (1 if i < n % 3 else 0) for i, d in enumerate(DIFFICULTIES)}
    chosen: list[QuizItem] = []
    want = 0
    for difficulty in DIFFICULTIES:
        want += quota[difficulty]  # cumulative: a shortfall of easy items is made up with medium ones
        pool = [Candidate(w, _as_is(w)) for w in written if w.difficulty == difficulty]
        pool += [c for c in generated if c.item.difficulty == difficulty]
        for candidate in _round_robin(pool, rng):
            if len(chosen) >= want:
                break
            confirmed = candidate.check(checker)
            if confirmed is not None:
                chosen.append(confirmed)
    return chosen


def _as_is(item: QuizItem) -> Callable[[Checker], QuizItem | None]:
    return lambda _checker: item


def confirm_all(generated: Sequence[Candidate], checker: Checker) -> tuple[list[QuizItem], list[QuizItem]]:
    """(kept, dropped) over every generated item: what `bank validate` counts and the tests check."""
    kept, dropped = [], []
    for candidate in generated:
        confirmed = candidate.check(checker)
        if confirmed is None:
            dropped.append(candidate.item)
        else:
            kept.append(confirmed)
    return kept, dropped


def score(items: Sequence[QuizItem], answers: Sequence[int]) -> JSON:
    """Percent right overall, by difficulty and by skill, over the items answered (option indexes)."""
    def pct(pairs: list[tuple[QuizItem, int]]) -> JSON:
        right = sum(item.answer == given for item, given in pairs)
        return {"right": right, "asked": len(pairs), "percent": round(100 * right / len(pairs)) if pairs else None}

    pairs = list(zip(items, answers, strict=True))
    return {"overall": pct(pairs)["percent"], **pct(pairs),
            "by_difficulty": {d: pct([p for p in pairs if p[0].difficulty == d]) for d in DIFFICULTIES
                              if any(p[0].difficulty == d for p in pairs)},
            "by_skill": {QUIZ_SKILLS.get(k, k): pct([p for p in pairs if p[0].kind == k])
                         for k in dict.fromkeys(p[0].kind for p in pairs)}}


def checker_for(analyzer: Analyzer) -> Checker:
    """The Analyzer's two entry points, on written text timed at a speaking pace."""
    def analyze_text(text: str, question: Question) -> JSON:
        return analyzer.analyze(transcript_from_text(text), question)

    def analyze_reply(text: str, report: JSON, question: Question, probe_id: str) -> JSON:
        return analyzer.analyze_followup(transcript_from_text(text), report, question, probe_id)

    return Checker(analyze_text, analyze_reply)
