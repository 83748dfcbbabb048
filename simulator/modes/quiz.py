"""`quiz`: test one pattern with multiple-choice items, easy first, then medium, then hard.

Each item is answered with one key (A to D; q stops). After each answer the solution is shown in steps,
with a hint and the common mistake. The run is an attempt in the archive like any other (mode `quiz`),
written after every answer so that stopping half-way keeps what was answered; `review --trend` charts the
quiz scores next to the spoken ones.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from ..analysis.quiz import letters, score
from ..analysis.report import SCHEMA
from ..archive.store import Store
from ..render import render_quiz
from ..speech.protocols import Speaker
from ..types import QUIZ_SKILLS, QuizItem
from .turn import Interrupted

KeyReader = Callable[[Console, str], str | None]  # (console, prompt) -> one key, or None at the end of input


def read_key(console: Console, prompt: str) -> str | None:
    """One key: at a terminal without Enter (cbreak mode, so Ctrl-C still interrupts), from a pipe the first
    character of a line. None when the input has ended."""
    console.print(prompt, end="")
    if sys.stdin.isatty():
        import termios
        import tty

        fd = sys.stdin.fileno()
        saved = termios.tcgetattr(fd)
        try:
            # TCSANOW, not setcbreak's default TCSAFLUSH: that threw away a key pressed while the solution
            # was still being printed, and the quiz sat waiting for a key already given.
            tty.setcbreak(fd, termios.TCSANOW)
            key = sys.stdin.read(1)
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        console.print(key if key.isprintable() else "")
        return None if key in ("", "\x04") else key
    line = sys.stdin.readline()
    if not line:
        console.print()
        return None
    return line.strip()[:1] or " "


def shuffled_options(item: QuizItem, rng: random.Random) -> QuizItem:
    """The same item with its options in a new order, so the key is not always the same letter."""
    order = list(range(len(item.options)))
    rng.shuffle(order)
    return replace(item, options=tuple(item.options[i] for i in order), answer=order.index(item.answer))


@dataclass
class Quiz:
    items: list[QuizItem]
    store: Store
    console: Console
    scope: dict
    speaker: Speaker | None = None
    keys: KeyReader = read_key

    def run(self) -> dict:
        label = ", ".join(f"{k} {v}" for k, v in self.scope.items() if v) or "all patterns"
        attempt = self.store.new_attempt({"mode": "quiz", "question_id": quiz_key(self.scope),
                                          "question_text": f"Pattern quiz: {label}", "level": self.scope.get("level")})
        answers: list[int] = []
        asked: list[QuizItem] = []
        stopped = None
        try:
            for number, item in enumerate(self.items, 1):
                given = self.ask(number, item)
                if given is None:
                    stopped = "ended with the input"
                    break
                if given == "q":
                    stopped = "stopped with q"
                    break
                asked.append(item)
                answers.append("ABCD".index(given))
                self.show_solution(item, answers[-1])
                attempt.write("report.json", self.report(attempt.record(), asked, answers, label, complete=False))
        except KeyboardInterrupt:
            stopped = "interrupted"
        report = self.report(attempt.record(), asked, answers, label, complete=stopped is None)
        attempt.write("report.json", report)
        attempt.update_meta(status="complete" if stopped is None else "interrupted", answered=len(asked))
        if stopped:
            self.console.print(f"[yellow]Quiz {stopped} after {len(asked)} of {len(self.items)} items; "
                               f"the answers so far are kept in {attempt.id}.[/yellow]")
        render_quiz(report, self.console)
        if stopped == "interrupted":  # Ctrl-C exits as it does everywhere else (130), after the answers are kept
            raise Interrupted(f"stopped; the {len(asked)} answer(s) given so far are kept in {attempt.folder}")
        return report

    def ask(self, number: int, item: QuizItem) -> str | None:
        """The item's key (A to D), or "q", or None when the input has ended."""
        self.console.rule(f"[bold]{number} of {len(self.items)}[/bold] · {item.difficulty} · {QUIZ_SKILLS[item.kind]}")
        self.console.print(Text(item.stem))
        for letter, option in zip(letters(len(item.options)), item.options, strict=True):
            self.console.print(Text.assemble((f"  {letter}. ", "bold"), option))
        if self.speaker is not None:
            self.speaker.say(" ".join([item.stem, *(f"{letter}. {option}" for letter, option
                                                    in zip(letters(len(item.options)), item.options, strict=True))]))
        allowed = letters(len(item.options))
        while True:
            key = self.keys(self.console, f"Your answer ({'/'.join(allowed)}, q to stop): ")
            if key is None:
                return None
            key = key.upper()
            if key in allowed:
                return key
            if key == "Q":
                return "q"
            self.console.print(f"[yellow]Press one of {', '.join(allowed)} (or q to stop).[/yellow]")

    def show_solution(self, item: QuizItem, given: int) -> None:
        right = given == item.answer
        verdict = ("[bold green]Right.[/bold green]" if right else
                   f"[bold red]Not quite:[/bold red] the answer is {'ABCD'[item.answer]}.")
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(item.steps, 1))
        body = Text.from_markup(f"{verdict}\n")
        body.append(steps)
        body.append_text(Text.from_markup("\n[bold]Hint:[/bold] "))
        body.append(item.hint)
        body.append_text(Text.from_markup("\n[bold]Common mistake:[/bold] "))
        body.append(item.mistake)
        self.console.print(Panel(body, title="Solution", title_align="left", border_style="green" if right else "red"))

    def report(self, record: dict, asked: list[QuizItem], answers: list[int], label: str,
               complete: bool) -> dict:
        result = score(asked, answers) if asked else {"overall": None, "right": 0, "asked": 0}
        return {
            "schema": SCHEMA,
            "mode": "quiz",
            "question": {"id": quiz_key(self.scope), "text": f"Pattern quiz: {label}"},
            "quiz": {
                "scope": self.scope, "planned": len(self.items), "complete": complete,
                "items": [{**item.to_json(), "given": "ABCD"[given],
                           "right": given == item.answer} for item, given in zip(asked, answers, strict=True)],
            },
            "score": {**result, "verdict": verdict(result["overall"])},
            "attempt": record,
        }


def quiz_key(scope: dict) -> str:
    """What the archive lists and charts a quiz under: quiz, or quiz:<archetype or principle or question>."""
    narrowed = scope.get("question") or scope.get("archetype") or scope.get("principle")
    return f"quiz:{narrowed}" if narrowed else "quiz"


def verdict(percent: float | None) -> str:
    if percent is None:
        return "no answers"
    return "strong" if percent >= 80 else "getting there" if percent >= 50 else "study the pattern again"
