"""Load and strictly validate the question bank under `question_bank/`.

The bank is YAML because it is mostly prose that people edit by hand. PyYAML's composer keeps the line
of every node, which lets validation report each problem as `file:line: problem` (unknown keys, duplicate
keys, unknown weakness codes, unreachable probes) instead of failing at the first one.

Layout:
- `sections.yaml`: what a strong section contains, tips, mistakes, per-level targets;
- `weaknesses.yaml`: every weakness code the analysis can raise, with its generic probe;
- `principles.yaml`: the lens of each leadership principle;
- `quiz.yaml` (optional): written items of the pattern quiz (more are generated from the stories);
- `questions/*.yaml`: `stories` (exemplars and probes, shared by the questions that suit them) and
  `questions` that point at a story. One story per archetype answering several questions mirrors how
  candidates are coached to prepare: a few strong stories that flex across many questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import places
from .errors import BankError
from .types import (
    DEFAULT_TARGETS,
    LEVELS,
    QUIZ_DIFFICULTIES,
    QUIZ_SKILLS,
    SECTION_NAMES,
    Bank,
    Exemplar,
    Lens,
    Probe,
    Question,
    QuizItem,
    SectionGuide,
    StoryTemplate,
    Weakness,
)


def default_bank_dir() -> Path:
    return places.bank_dir()


# --- YAML with line numbers -------------------------------------------------------------------


class LDict(dict):
    """A mapping read from YAML, with the line of each key for file:line problems."""

    line: int = 0

    def __init__(self, *args: Any, line: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines: dict[Any, int] = {key: line for key in self}


class LList(list):
    line: int = 0


# libyaml's parser when PyYAML has it: 15 times faster (0.53 s to 0.03 s for the bank, which is read before
# the question is asked), with the same marks for file:line errors.
FAST_YAML = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(FAST_YAML):  # type: ignore[misc,valid-type]
    duplicates: list[tuple[int, str]]


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode):
    mapping = LDict(line=node.start_mark.line + 1)
    yield mapping
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping.key_lines:
            loader.duplicates.append((key_node.start_mark.line + 1, f"duplicate key '{key}'"))
        mapping.key_lines[key] = key_node.start_mark.line + 1
        mapping[key] = loader.construct_object(value_node, deep=True)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode):
    seq = LList()
    seq.line = node.start_mark.line + 1
    yield seq
    seq.extend(loader.construct_object(child, deep=True) for child in node.value)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class _Reader:
    """Collects problems while turning one file's YAML into typed objects."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.name = str(path)
        self.problems = problems

    def load(self):
        loader = _LineLoader(self.path.read_text(encoding="utf-8"))
        loader.duplicates = []
        try:
            data = loader.get_single_data()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            self.add(line, f"YAML syntax error: {getattr(exc, 'problem', exc)}")
            return None
        finally:
            loader.dispose()
        for line, message in loader.duplicates:
            self.add(line, message)
        return data

    def add(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def mapping(self, value: Any, line: int, what: str, required=(), optional=(), any_keys=False) -> LDict | None:
        if not isinstance(value, dict):
            self.add(line, f"{what} must be a mapping")
            return None
        if not isinstance(value, LDict):  # a default ({}), not read from a file
            value = LDict(value, line=line)
        for key in value:
            if not any_keys and key not in required and key not in optional:
                self.add(value.key_lines[key], f"unknown key '{key}' in {what}")
        for key in required:
            if key not in value:
                self.add(value.line, f"missing key '{key}' in {what}")
        return value

    def text(self, obj: LDict, key: str, default: str = "") -> str:
        value = obj.get(key, default)
        if not isinstance(value, str) or not value.strip():
            if key in obj:
                self.add(obj.key_lines[key], f"'{key}' must be non-empty text")
            return default
        return " ".join(value.split())

    def texts(self, obj: LDict, key: str) -> tuple[str, ...]:
        value = obj.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(obj.key_lines.get(key, obj.line), f"'{key}' must be a list of text")
            return ()
        return tuple(" ".join(v.split()) for v in value)

    def line_of(self, obj, key: str | None = None) -> int:
        if key is not None and isinstance(obj, LDict):
            return obj.key_lines.get(key, obj.line)
        return getattr(obj, "line", 1)

    def targets(self, obj: LDict, key: str) -> dict[str, float]:
        raw = obj.get(key, {})
        if self.mapping(raw, self.line_of(obj, key), key, optional=SECTION_NAMES) is None:
            return {}
        out = {}
        for name, value in raw.items():
            if name in SECTION_NAMES and not (isinstance(value, (int, float)) and value > 0):
                self.add(raw.key_lines[name], f"target for '{name}' must be a positive number")
            elif name in SECTION_NAMES:
                out[name] = float(value)
        return out

    def level_targets(self, obj: LDict, key: str) -> dict[str, dict[str, float]]:
        raw = obj.get(key, {})
        if self.mapping(raw, self.line_of(obj, key), key, optional=LEVELS) is None:
            return {}
        return {level: self.targets(raw, level) for level in raw if level in LEVELS}


PROBE_KEYS = ("id", "text", "probes", "triggers", "strong_markers", "weak_markers", "strong_example", "weak_example")


def _probe(reader: _Reader, raw, line: int) -> Probe | None:
    obj = reader.mapping(raw, line, "probe", required=PROBE_KEYS)
    if obj is None:
        return None
    triggers = reader.texts(obj, "triggers")
    return Probe(
        id=reader.text(obj, "id"),
        text=reader.text(obj, "text"),
        probes=reader.text(obj, "probes"),
        triggers=triggers,
        strong_markers=reader.texts(obj, "strong_markers"),
        weak_markers=reader.texts(obj, "weak_markers"),
        strong_example=reader.text(obj, "strong_example"),
        weak_example=reader.text(obj, "weak_example"),
    )


def _exemplar(reader: _Reader, raw, line: int, weak: bool) -> Exemplar:
    optional = ("headline", *SECTION_NAMES) + (("problems",) if weak else ())
    required = ("problems",) if weak else SECTION_NAMES
    obj = reader.mapping(raw, line, "weak exemplar" if weak else "strong exemplar", required, optional)
    if obj is None:
        return Exemplar(sections={})
    sections = {name: reader.text(obj, name) for name in SECTION_NAMES if name in obj}
    problems = reader.texts(obj, "problems") if weak else ()
    return Exemplar(sections=sections, problems=problems, headline=reader.text(obj, "headline"))


def _load_sections(reader: _Reader, data) -> tuple[dict[str, SectionGuide], dict[str, dict[str, float]]]:
    top = reader.mapping(data, 1, "sections.yaml", required=("sections", "level_targets"))
    if top is None:
        return {}, {}
    guides: dict[str, SectionGuide] = {}
    raw = reader.mapping(top["sections"], reader.line_of(top, "sections"), "sections", required=SECTION_NAMES)
    if raw is None:
        return guides, reader.level_targets(top, "level_targets")
    for name in SECTION_NAMES:
        keys = ("signals", "tip", "mistake")
        obj = reader.mapping(raw.get(name), reader.line_of(raw, name), f"section '{name}'", keys)
        if obj is not None:
            guides[name] = SectionGuide(
                name, reader.texts(obj, "signals"), reader.text(obj, "tip"), reader.text(obj, "mistake")
            )
    return guides, reader.level_targets(top, "level_targets")


def _load_weaknesses(reader: _Reader, data, probe_ids: dict) -> dict[str, Weakness]:
    """Weakness codes, and generic probes that each cover one or more codes through their triggers."""
    top = reader.mapping(data, 1, "weaknesses.yaml", required=("weaknesses", "generic_probes"))
    if top is None:
        return {}
    raw = reader.mapping(top.get("weaknesses"), reader.line_of(top, "weaknesses"), "weaknesses", any_keys=True)
    raw = raw if raw is not None else LDict()
    codes: dict[str, tuple] = {}
    for code, value in raw.items():
        line = raw.key_lines[code]
        obj = reader.mapping(value, line, f"weakness '{code}'", ("kind", "rank", "message"))
        if obj is None:
            continue
        if obj.get("kind") not in ("content", "delivery"):
            reader.add(reader.line_of(obj, "kind"), f"kind of '{code}' must be content or delivery")
        if not isinstance(obj.get("rank"), int):
            reader.add(reader.line_of(obj, "rank"), f"rank of '{code}' must be a whole number")
        codes[code] = (str(obj.get("kind")), obj.get("rank") if isinstance(obj.get("rank"), int) else 0,
                       reader.text(obj, "message"), line)
    generic: dict[str, Probe] = {}
    for raw_probe in top.get("generic_probes") or []:
        line = reader.line_of(raw_probe)
        probe = _probe(reader, raw_probe, line)
        if probe is None:
            continue
        _register(reader, probe_ids, probe.id, line)
        for trigger in probe.triggers:
            if trigger not in codes:
                reader.add(line, f"generic probe '{probe.id}' names unknown weakness code '{trigger}'")
            elif trigger in generic:
                reader.add(line, f"weakness '{trigger}' already has generic probe '{generic[trigger].id}'")
            else:
                generic[trigger] = probe
    out = {}
    for code, (kind, rank, message, line) in codes.items():
        if code not in generic:
            reader.add(line, f"weakness '{code}' has no generic probe")
            continue
        out[code] = Weakness(code, kind, rank, message, generic[code])
    return out


def _load_lenses(reader: _Reader, data) -> dict[str, Lens]:
    top = reader.mapping(data, 1, "principles.yaml", required=("principles",))
    raw = reader.mapping(top.get("principles") if top else None, 1, "principles", any_keys=True)
    raw = raw if raw is not None else LDict()
    out = {}
    for key, value in raw.items():
        line = raw.key_lines[key]
        obj = reader.mapping(value, line, f"principle '{key}'", ("title", "emphasize", "downplay"))
        if obj is not None:
            out[key] = Lens(key, reader.text(obj, "title"), reader.text(obj, "emphasize"), reader.text(obj, "downplay"))
    return out


QUIZ_KEYS = ("id", "kind", "difficulty", "stem", "options", "steps", "hint", "mistake")


def _load_quiz(reader: _Reader, data, archetypes: set[str], lenses: dict[str, Lens]) -> tuple[QuizItem, ...]:
    """Written quiz items: exactly one correct option of two to four, every option non-empty, a known kind
    and difficulty, and an archetype and principles the bank has."""
    top = reader.mapping(data, 1, "quiz.yaml", required=("items",))
    raw = top.get("items") if top else None
    if not isinstance(raw, list):
        reader.add(reader.line_of(top, "items") if top else 1, "'items' must be a list of quiz items")
        return ()
    seen: dict[str, str] = {}
    items = []
    for entry in raw:
        line = reader.line_of(entry)
        obj = reader.mapping(entry, line, "quiz item", QUIZ_KEYS, ("archetype", "principles", "levels"))
        if obj is None:
            continue
        ident = reader.text(obj, "id")
        _register(reader, seen, ident, obj.line)
        options, answer = _quiz_options(reader, obj)
        kind, difficulty = reader.text(obj, "kind"), reader.text(obj, "difficulty")
        if kind not in QUIZ_SKILLS:
            reader.add(obj.key_lines["kind"], f"unknown quiz kind '{kind}' (one of {', '.join(QUIZ_SKILLS)})")
        if difficulty not in QUIZ_DIFFICULTIES:
            reader.add(obj.key_lines["difficulty"], f"difficulty must be one of {', '.join(QUIZ_DIFFICULTIES)}")
        archetype = reader.text(obj, "archetype") or None
        if archetype is not None and archetype not in archetypes:
            reader.add(obj.key_lines["archetype"], f"unknown archetype '{archetype}'")
        principles = reader.texts(obj, "principles")
        for principle in principles:
            if principle not in lenses:
                reader.add(obj.key_lines["principles"], f"unknown principle '{principle}'")
        levels = reader.texts(obj, "levels")
        for level in levels:
            if level not in LEVELS:
                reader.add(obj.key_lines["levels"], f"unknown level '{level}'")
        steps = reader.texts(obj, "steps")
        if not steps:
            reader.add(obj.key_lines["steps"], "'steps' must hold at least one step of the solution")
        items.append(QuizItem(
            id=ident, kind=kind, difficulty=difficulty, stem=reader.text(obj, "stem"), options=options,
            answer=answer, steps=steps, hint=reader.text(obj, "hint"), mistake=reader.text(obj, "mistake"),
            archetype=archetype, principles=principles, levels=levels, source=f"{reader.name}:{obj.line}"))
    return tuple(items)


def _quiz_options(reader: _Reader, obj: LDict) -> tuple[tuple[str, ...], int]:
    raw = obj.get("options")
    line = obj.key_lines["options"]
    if not isinstance(raw, list) or not 2 <= len(raw) <= 4:
        reader.add(line, "'options' must be a list of two to four options")
        return (), 0
    texts, correct = [], []
    for index, entry in enumerate(raw):
        option = reader.mapping(entry, reader.line_of(entry) if isinstance(entry, LDict) else line, "option",
                                ("text",), ("correct",))
        if option is None:
            continue
        text = reader.text(option, "text")  # reports an empty one
        flag = option.get("correct", False)
        if not isinstance(flag, bool):
            reader.add(option.key_lines["correct"], "'correct' must be true or false")
        elif flag:
            correct.append(index)
        texts.append(text)
    if len(correct) != 1:
        reader.add(line, f"a quiz item needs exactly one option with 'correct: true' (found {len(correct)})")
    return tuple(texts), correct[0] if correct else 0


def _register(reader: _Reader, seen: dict, ident: str, line: int) -> None:
    if ident in seen:
        reader.add(line, f"duplicate id '{ident}' (first at {seen[ident]})")
    else:
        seen[ident] = f"{reader.name}:{line}"


STORY_KEYS = ("id", "strong", "weak", "probes")
TEMPLATE_KEYS = ("title", "situation", "task", "action", "result", "tie_in")


def _template(reader: _Reader, top: LDict, archetype: str) -> StoryTemplate | None:
    """The prompts `story new` shows for the archetype: what each field of your own story should hold."""
    if "template" not in top:
        return None
    obj = reader.mapping(top["template"], reader.line_of(top, "template"), "template", required=TEMPLATE_KEYS)
    if obj is None:
        return None
    return StoryTemplate(archetype, **{key: reader.text(obj, key) for key in TEMPLATE_KEYS})
QUESTION_KEYS = ("id", "text", "story", "principles", "competencies", "levels", "targets", "level_targets", "probes")


def _load_question_file(reader: _Reader, data, ids: dict, probe_ids: dict, archetype: str, bank_levels):
    top = reader.mapping(data, 1, reader.path.name, required=("archetype", "stories", "questions"),
                         optional=("template",))
    if top is None:
        return [], [], None
    archetype = reader.text(top, "archetype", archetype)
    template = _template(reader, top, archetype)
    stories: dict[str, tuple] = {}
    for raw in top.get("stories") or []:
        obj = reader.mapping(raw, reader.line_of(raw), "story", required=STORY_KEYS)
        if obj is None:
            continue
        probes = []
        for raw_probe in obj.get("probes") or []:
            probe = _probe(reader, raw_probe, reader.line_of(raw_probe))
            if probe:
                _register(reader, probe_ids, probe.id, reader.line_of(raw_probe))
                probes.append((probe, reader.line_of(raw_probe)))
        story = (
            _exemplar(reader, obj.get("strong"), reader.line_of(obj, "strong"), weak=False),
            _exemplar(reader, obj.get("weak"), reader.line_of(obj, "weak"), weak=True),
            probes,
        )
        stories[reader.text(obj, "id")] = story
    questions = []
    for raw in top.get("questions") or []:
        line = reader.line_of(raw)
        required = ("id", "text", "story", "principles", "levels")
        obj = reader.mapping(raw, line, "question", required=required, optional=QUESTION_KEYS)
        if obj is None:
            continue
        qid = reader.text(obj, "id")
        _register(reader, ids, qid, line)
        found = stories.get(obj.get("story", ""))
        if found is None:
            reader.add(reader.line_of(obj, "story"), f"question '{qid}' names unknown story '{obj.get('story')}'")
            continue
        story = found
        levels = reader.texts(obj, "levels")
        for level in levels:
            if level not in LEVELS:
                reader.add(reader.line_of(obj, "levels"), f"unknown level '{level}' (known: {', '.join(LEVELS)})")
        own = []
        for raw_probe in obj.get("probes") or []:
            probe = _probe(reader, raw_probe, reader.line_of(raw_probe))
            if probe:
                _register(reader, probe_ids, probe.id, reader.line_of(raw_probe))
                own.append((probe, reader.line_of(raw_probe)))
        probes = own + story[2]
        # Most specific wins: defaults, then the bank's level, then this question, then its own level.
        own_targets = reader.targets(obj, "targets")
        own_levels = reader.level_targets(obj, "level_targets")
        targets = {**DEFAULT_TARGETS, **own_targets}
        level_targets = {
            level: {**DEFAULT_TARGETS, **bank_levels.get(level, {}), **own_targets, **own_levels.get(level, {})}
            for level in LEVELS
        }
        question = Question(
            id=qid,
            text=reader.text(obj, "text"),
            archetype=archetype,
            principles=reader.texts(obj, "principles"),
            competencies=reader.texts(obj, "competencies"),
            levels=levels,
            targets=targets,
            level_targets=level_targets,
            probes=tuple(p for p, _ in probes),
            strong=story[0],
            weak=story[1],
            source=f"{reader.name}:{line}",
        )
        questions.append((question, line, probes))
    return questions, [p for s in stories.values() for p in s[2]], template


def _check_probes(reader_for, questions, story_probes, weaknesses, problems) -> None:
    """Every trigger must be a known code, and every probe must be the first choice for some trigger."""
    reachable: set[str] = set()
    for question, line, probes in questions:
        if len(probes) < 3:
            problems.append(Problem(question.source.rsplit(":", 1)[0], line, f"question '{question.id}' has "
                                                                             f"{len(probes)} probes; at least 3 are "
                                                                             f"needed"))
        taken: set[str] = set()
        for probe, _ in probes:
            fresh = [t for t in probe.triggers if t not in taken]
            if fresh:
                reachable.add(probe.id)
            taken.update(probe.triggers)
    checked: set[str] = set()
    for question, _, probes in questions:
        for probe, pline in probes:
            if probe.id in checked or not weaknesses:  # with no codes loaded, the cause is reported already
                continue
            checked.add(probe.id)
            for trigger in probe.triggers:
                if trigger not in weaknesses:
                    problems.append(Problem(reader_for(question), pline, f"probe '{probe.id}' names unknown weakness "
                                                                         f"code '{trigger}'"))
    for probe, pline, name in story_probes:
        if probe.id not in reachable:
            problems.append(Problem(name, pline, f"probe '{probe.id}' can never be asked: no question uses it first "
                                                 f"for any of its triggers"))


_LOADED: dict[tuple, Bank] = {}


def load_bank(root: Path | None = None) -> Bank:
    """Load the bank, raising BankError with every problem found, one `file:line: problem` per line.

    A bank already loaded from the same unchanged files is returned again: a process that runs several
    commands (the test suite, a round) reads and checks the YAML once."""
    root = Path(root) if root else default_bank_dir()
    if not root.is_dir():
        raise BankError(f"question bank not found at {root}: pass a folder with sections.yaml and questions/")
    stamp = (str(root.resolve()), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size)
                                        for p in sorted(root.rglob("*.yaml"))))
    if stamp not in _LOADED:
        _LOADED[stamp] = _load_bank(root)
    return _LOADED[stamp]


def _load_bank(root: Path) -> Bank:
    problems: list[Problem] = []
    probe_ids: dict[str, str] = {}

    def read(name: str):
        path = root / name
        reader = _Reader(path, problems)
        if not path.is_file():
            reader.add(1, "file is missing")
            return reader, None
        return reader, reader.load()

    reader, data = read("sections.yaml")
    guides, bank_levels = _load_sections(reader, data) if data is not None else ({}, {})
    reader, data = read("weaknesses.yaml")
    weaknesses = _load_weaknesses(reader, data, probe_ids) if data is not None else {}
    reader, data = read("principles.yaml")
    lenses = _load_lenses(reader, data) if data is not None else {}

    ids: dict[str, str] = {}
    questions, story_probes = [], []
    templates: dict[str, StoryTemplate] = {}
    for path in sorted((root / "questions").glob("*.yaml")):
        reader = _Reader(path, problems)
        data = reader.load()
        if data is None:
            continue
        found, probes, template = _load_question_file(reader, data, ids, probe_ids, path.stem, bank_levels)
        if template is not None:
            templates[template.archetype] = template
        questions += found
        story_probes += [(p, line, reader.name) for p, line in probes]
        for question, line, _ in found:
            for principle in question.principles:
                if principle not in lenses:
                    reader.add(line, f"question '{question.id}' names unknown principle '{principle}'")
    if not questions:
        problems.append(Problem(str(root / "questions"), 1, "no questions found"))
    _check_probes(lambda q: q.source.rsplit(":", 1)[0], questions, story_probes, weaknesses, problems)
    quiz: tuple[QuizItem, ...] = ()
    if (root / "quiz.yaml").is_file():
        reader, data = read("quiz.yaml")
        if data is not None:
            quiz = _load_quiz(reader, data, {q.archetype for q, _, _ in questions}, lenses)
    if problems:
        raise BankError("\n".join(str(p) for p in problems))
    return Bank(
        questions={q.id: q for q, _, _ in questions},
        sections=guides,
        weaknesses=weaknesses,
        lenses=lenses,
        quiz=quiz,
        templates=templates,
    )


def pick_question(bank: Bank, question_id=None, tag=None, level=None, rng=None):
    """Choose a question by id, or at random among those matching a tag and a level."""
    import random

    if question_id:
        if question_id not in bank.questions:
            raise BankError(f"unknown question '{question_id}': see `python -m simulator bank list`")
        return bank.questions[question_id]
    pool = [
        q
        for q in bank.questions.values()
        if (tag is None or tag in q.tags) and (level is None or level in q.levels)
    ]
    if not pool:
        raise BankError(f"no question matches tag={tag!r} level={level!r}: see `python -m simulator bank list`")
    return (rng or random).choice(sorted(pool, key=lambda q: q.id))
