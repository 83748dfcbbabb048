"""The candidate's own stories on disk: one plain YAML file per story in a private folder beside the
recordings (0700, files 0600), never inside the question bank.

The folder is STAR_SIM_STORIES if set, else `stories/` next to the recordings folder. A file is checked as
it is read; a problem is one line naming the file and the field.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from .. import places
from ..errors import BankError, StorageError
from ..types import Bank, Story

STORIES_ENV = "STAR_SIM_STORIES"
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
FIELDS = ("id", "archetype", "title", "situation", "task", "actions", "result", "tie_in", "principles")


def stories_dir() -> Path:
    if os.environ.get(STORIES_ENV):
        return Path(os.environ[STORIES_ENV]).expanduser()
    return places.recordings_dir().parent / "stories"


def slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    return "-".join(words)[:40].strip("-") or "story"


class StoryShelf:
    """Read, check and write stories in one folder."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else stories_dir()

    def path_of(self, story_id: str) -> Path:
        if not ID.match(story_id):
            raise StorageError(f"'{story_id}' is not a story id (lower-case letters, digits and dashes)")
        return self.root / f"{story_id}.yaml"

    def all(self, bank: Bank) -> tuple[list[Story], list[str]]:
        """Every story that reads, and one line for each file that does not: one damaged file (an edit gone
        wrong) must not hide the others."""
        stories: list[Story] = []
        unreadable: list[str] = []
        if not self.root.is_dir():
            return stories, unreadable
        for path in sorted(self.root.glob("*.yaml")):
            try:
                stories.append(self.read(path.stem, bank))
            except (BankError, StorageError) as exc:
                unreadable.append(str(exc))
        return stories, unreadable

    def read(self, story_id: str, bank: Bank) -> Story:
        path = self.path_of(story_id)
        if not path.is_file():
            raise StorageError(f"no story '{story_id}' in {self.root}: see `story list`")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise BankError(f"{path}: cannot read it ({exc.__class__.__name__})") from None
        return checked(data, bank, str(path))

    def write(self, story: Story) -> Path:
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)
        path = self.path_of(story.id)
        data = {"id": story.id, "archetype": story.archetype, "title": story.title, "situation": story.situation,
                "task": story.task, "actions": list(story.actions), "result": story.result, "tie_in": story.tie_in,
                "principles": list(story.principles)}
        tmp = path.with_name(f".{path.name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yaml.safe_dump(data, f, sort_keys=False, allow_unicode=True, width=100)
        os.replace(tmp, path)
        return path

    def free_id(self, title: str) -> str:
        base = slug(title)
        candidate, n = base, 2
        while self.path_of(candidate).exists():
            candidate, n = f"{base}-{n}", n + 1
        return candidate


def checked(data: object, bank: Bank, where: str) -> Story:
    """A story from its YAML mapping, or BankError with every problem, each naming the field."""
    if not isinstance(data, dict):
        raise BankError(f"{where}: a story must be a mapping of {', '.join(FIELDS)}")
    problems = [f"unknown field '{k}'" for k in data if k not in FIELDS]

    def text(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"'{key}' must be non-empty text")
            return ""
        return " ".join(value.split())

    archetypes = sorted({q.archetype for q in bank.questions.values()})
    story_id, archetype, title = text("id"), text("archetype"), text("title")
    if archetype and archetype not in archetypes:
        problems.append(f"unknown archetype '{archetype}' (one of {', '.join(archetypes)})")
    actions = data.get("actions")
    if not isinstance(actions, list) or not all(isinstance(a, str) and a.strip() for a in actions) \
            or not 2 <= len(actions) <= 4:
        problems.append("'actions' must be a list of 2 to 4 bullets")
        actions = []
    principles = data.get("principles") or []
    if not isinstance(principles, list) or any(p not in bank.lenses for p in principles):
        problems.append(f"'principles' must be a list of known principles ({', '.join(sorted(bank.lenses))})")
        principles = []
    story = Story(story_id, archetype, title, text("situation"), text("task"),
                  tuple(" ".join(a.split()) for a in actions), text("result"), text("tie_in"), tuple(principles))
    if problems:
        raise BankError("\n".join(f"{where}: {p}" for p in problems))
    return story
