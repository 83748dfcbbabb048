"""`bank list`, `bank show ID`, `bank validate [PATH]`."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..bank import default_bank_dir, load_bank, pick_question
from ..types import SECTION_NAMES


def run_bank(args, console: Console) -> dict | None:
    if args.bank_command == "validate":
        root = args.path or args.bank or default_bank_dir()
        bank = load_bank(root)
        probes = sum(len(q.probes) for q in bank.questions.values())
        console.print(f"{root}: ok - {len(bank.questions)} questions, {probes} question probes, "
                      f"{len(bank.weaknesses)} weakness codes with generic probes, {len(bank.lenses)} principle "
                      f"lenses, {len(bank.quiz)} written quiz items, {len(bank.templates)} story templates")
        return None
    bank = load_bank(args.bank)
    if args.bank_command == "list":
        questions = [q for q in bank.questions.values()
                     if (args.tag is None or args.tag in q.tags) and (args.level is None or args.level in q.levels)]
        table = Table(title=f"{len(questions)} questions")
        for col in ("id", "levels", "archetype", "principles", "question"):
            table.add_column(col)
        for q in sorted(questions, key=lambda q: q.id):
            table.add_row(q.id, ",".join(q.levels), q.archetype, ",".join(q.principles), q.text)
        console.print(table)
        return None
    q = pick_question(bank, question_id=args.id)
    console.rule(f"[bold]{q.id}")
    console.print(f"[italic]{q.text}[/italic]")
    console.print(f"tags: {', '.join(q.tags)} · levels: {', '.join(q.levels)}")
    for lens in (bank.lenses[p] for p in q.principles):
        console.print(f"[bold]{lens.title}[/bold] lens - emphasize: {lens.emphasize} Downplay: {lens.downplay}")
    table = Table(title="Strong exemplar, section by section")
    for col in ("section", "target", "exemplar", "tip"):
        table.add_column(col)
    targets = q.targets_for(None)
    for name in SECTION_NAMES:
        table.add_row(name, f"{targets[name]:.0f}s", q.strong.sections.get(name, "-"), bank.sections[name].tip)
    console.print(table)
    if q.strong.headline:
        console.print(f"Headline: {q.strong.headline}")
    console.print(f"[bold]Weak exemplar:[/bold] {q.weak.text}")
    for problem in q.weak.problems:
        console.print(f"  - {problem}")
    for p in q.probes:
        console.print(f"\n[bold]{p.id}[/bold] ({p.probes}; triggered by {', '.join(p.triggers)}): {p.text}")
        console.print(f"  strong: {p.strong_example}")
        console.print(f"  weak:   {p.weak_example}")
    return None
