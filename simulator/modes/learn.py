"""Learn a question: section by section, the target, the strong exemplar (spoken and shown), the tip and
the common mistake; then the probes with a strong and a weak reply. Nothing is recorded or stored.

In a terminal, Enter moves on to the next step; otherwise (a pipe, a test) it runs straight through.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from ..render import COLORS, clock
from ..speech.protocols import Speaker
from ..types import SECTION_NAMES, Bank, Question


def wait_for_enter(console: Console) -> None:
    if sys.stdin.isatty():
        console.input("[dim]Enter: next[/dim] ")


def learn(question: Question, bank: Bank, level: str | None, speaker: Speaker, console: Console,
          sections: tuple[str, ...] = SECTION_NAMES, pause: Callable[[Console], None] = wait_for_enter) -> dict:
    targets = question.targets_for(level)
    console.rule(f"[bold]Learn: {question.id}")
    console.print(Text(question.text, style="italic"))
    speaker.say(question.text)
    lenses = [bank.lenses[p] for p in question.principles if p in bank.lenses]
    for lens in lenses:
        console.print(f"[bold]{lens.title}[/bold]: stress {lens.emphasize}; play down {lens.downplay}")
    if question.strong.headline:
        console.print(Panel(question.strong.headline, title="Open with the result (headline)", title_align="left"))
    walked = []
    for name in sections:
        guide = bank.sections[name]
        text = question.strong.sections.get(name, "")
        console.rule(Text(f"{name}: target {clock(targets[name])}", style=f"bold {COLORS[name]}"))
        console.print(Panel(Text(text, style=COLORS[name]), title="Strong exemplar", title_align="left"))
        console.print(f"[bold]Listen for:[/bold] {'; '.join(guide.signals)}")
        console.print(f"[bold green]Tip:[/bold green] {guide.tip}")
        console.print(f"[bold red]Common mistake:[/bold red] {guide.mistake}")
        weak = question.weak.sections.get(name)
        if weak:
            console.print(Text(f"Weak version: {weak}", style="dim"))
        if text:
            speaker.say(text)
        walked.append({"section": name, "target_s": targets[name], "exemplar": text, "tip": guide.tip,
                       "mistake": guide.mistake})
        pause(console)
    if question.weak.problems:
        console.print(Panel("\n".join(f"- {p}" for p in question.weak.problems), title="What is wrong with the weak "
                                                                                       "answer",
                            title_align="left"))
    # One block per probe rather than a four-column table: the replies are sentences and stay readable.
    console.rule("[bold]Follow-up probes")
    for probe in question.probes:
        console.print(Text(probe.text, style="bold"))
        console.print(f"[dim]Tests {probe.probes}; asked after {', '.join(probe.triggers) or 'any answer'}[/dim]")
        console.print(Text.assemble(("Strong reply: ", "bold green"), probe.strong_example))
        console.print(Text.assemble(("Weak reply: ", "bold red"), probe.weak_example))
        console.print()
    return {"question": question.id, "sections": walked, "probes": [p.id for p in question.probes]}
