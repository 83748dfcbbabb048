"""`story`: the candidate's own story bank. `new` writes one from the archetype's template (in $EDITOR, or
field by field), `list` maps the stories onto the archetypes and principles, `check` judges a written
story, `for` finds the stories that answer a question.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analysis.story import coverage, fit, written_check
from ..archive.stories import StoryShelf, checked
from ..errors import BankError, SimulatorError
from ..render import clock, flags_table
from ..types import Bank, Question, Story, StoryTemplate

Ask = Callable[[str], str | None]  # prompt -> the line typed, or None at the end of input


def ask_line(console: Console) -> Ask:
    def ask(prompt: str) -> str | None:
        console.print(prompt, end="")
        line = sys.stdin.readline()
        return None if not line else line.rstrip("\n")
    return ask


def new_story(bank: Bank, archetype: str, shelf: StoryShelf, console: Console, ask: Ask,
              editor: str | None = None) -> Story:
    template = bank.templates.get(archetype)
    if template is None:
        known = ", ".join(sorted(bank.templates))
        raise BankError(f"no story template for archetype '{archetype}' (one of {known})")
    console.rule(f"[bold]Your story: {template.title}[/bold] ({archetype})")
    data = from_editor(template, editor) if editor else from_fields(template, bank, console, ask)
    data.setdefault("id", shelf.free_id(str(data.get("title") or archetype)))
    data["archetype"] = archetype
    story = checked(data, bank, "the new story")
    if shelf.path_of(story.id).exists():
        raise BankError(f"a story '{story.id}' already exists in {shelf.root}: pick another title or id")
    path = shelf.write(story)
    console.print(f"Saved {path} (only you can read it). Check it with: story check {story.id}")
    return story


def from_fields(template: StoryTemplate, bank: Bank, console: Console, ask: Ask) -> dict:
    """Each field asked in turn, its template prompt shown first. Two to four Action bullets; an empty line
    after the second ends them."""
    def field(name: str, prompt: str) -> str:
        console.print(Text(f"{name}: {prompt}", style="dim"))
        value = ask(f"{name}> ")
        if value is None:
            raise SimulatorError("the input ended before the story was complete: nothing was saved")
        return value.strip()

    data: dict = {"title": field("Title", template.title), "situation": field("Situation", template.situation),
                  "task": field("Task", template.task), "actions": []}
    console.print(Text(f"Action: {template.action} (2 to 4 bullets; an empty line ends them after 2)", style="dim"))
    while len(data["actions"]) < 4:
        bullet = ask(f"Action {len(data['actions']) + 1}> ")
        if bullet is None or (not bullet.strip() and len(data["actions"]) >= 2):
            break
        if bullet.strip():
            data["actions"].append(bullet.strip())
    data["result"] = field("Result", template.result)
    data["tie_in"] = field("Tie-in", template.tie_in)
    principles = field("Principles", f"comma-separated, from: {', '.join(sorted(bank.lenses))}")
    data["principles"] = [p.strip() for p in principles.split(",") if p.strip()]
    return data


def from_editor(template: StoryTemplate, editor: str) -> dict:
    """The template as a YAML file in $EDITOR; the prompts are comments to replace."""
    q = json.dumps  # a JSON string is a YAML string, whatever quotes or colons the prompt holds
    text = (f"# {template.title}. Replace each prompt with your own words; keep the keys.\n"
            f"title: {q(template.title)}\nsituation: {q(template.situation)}\ntask: {q(template.task)}\n"
            f"actions:\n  - {q(template.action)}\n  - {q('(a second step; up to four)')}\n"
            f"result: {q(template.result)}\ntie_in: {q(template.tie_in)}\nprinciples: []\n")
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False, encoding="utf-8") as f:
        f.write(text)
    path = Path(f.name)
    try:
        os.chmod(path, 0o600)
        try:
            finished = subprocess.run([*shlex.split(editor), str(path)])
        except FileNotFoundError:
            raise SimulatorError(f"the editor '{editor}' was not found: set $EDITOR, or pass --fields") from None
        if finished.returncode != 0:
            raise SimulatorError(f"the editor ({editor}) failed: nothing was saved")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BankError(f"cannot read the story back ({exc.__class__.__name__}): nothing was saved") from None
    finally:
        path.unlink(missing_ok=True)
    if not isinstance(data, dict):
        raise BankError("the story must stay a mapping of its fields: nothing was saved")
    return data


def list_stories(stories: list[Story], bank: Bank, told: dict[str, int], console: Console) -> dict:
    cover = coverage(stories, bank, told)
    table = Table(title=f"Your {len(stories)} stories across the 10 archetypes", title_justify="left")
    table.add_column("archetype", no_wrap=True)
    table.add_column("stories", no_wrap=True)
    table.add_column("told")
    for archetype, ids in cover["archetypes"].items():
        table.add_row(archetype, ", ".join(ids) if ids else Text("gap: no story yet", style="bold red"),
                      ", ".join(str(cover["told"][i]) for i in ids) or "-")
    console.print(table)
    principles = Table(title="... and the 16 principles", title_justify="left")
    for column in ("principle", "stories"):
        principles.add_column(column)
    for principle, ids in cover["principles"].items():
        principles.add_row(bank.lenses[principle].title, ", ".join(ids) if ids else Text("gap", style="red"))
    console.print(principles)
    for entry in cover["overused"]:
        console.print(Text.assemble(("Over-used: ", "bold yellow"), f"{entry['story']} {entry['why']}"))
    return cover


def check_story(story: Story, question: Question, report: dict, console: Console) -> dict:
    result = written_check(story, report, question.targets_for(None))
    table = Table(title=f"{story.id}: estimated spoken length at 150 words a minute", title_justify="left")
    for column in ("section", "words", "spoken", "target", ""):
        table.add_column(column)
    for s in result["sections"]:
        style = "green" if s["verdict"] == "ok" else "red"
        table.add_row(s["name"], str(s["words"]), clock(s["seconds"]), clock(s["target_s"]), Text(s["verdict"], style))
    table.caption = f"whole answer about {clock(result['total_s'])}"
    console.print(table)
    console.print(flags_table(result["flags"], "The written story"))
    if result["fixes"]:
        console.print("[bold]What to fix:[/bold]")
        for fix in result["fixes"]:
            console.print(f"  - {fix}")
    else:
        console.print("[green]Nothing to fix: tell it from the bullets, not from memory word for word.[/green]")
    return result


def stories_for(stories: list[Story], question: Question, console: Console) -> list[dict]:
    ranked = fit(stories, question)
    console.print(Text(question.text, style="italic"))
    if not ranked:
        console.print(f"None of your stories fits: write one with `story new --archetype {question.archetype}`.")
        return ranked
    table = Table(title="Your stories for this question, best first", title_justify="left")
    table.add_column("story", no_wrap=True)  # the id is what the user types next: never cut
    for column in ("title", "why"):
        table.add_column(column)
    for r in ranked:
        table.add_row(r["story"], r["title"], r["why"])
    console.print(table)
    return ranked
