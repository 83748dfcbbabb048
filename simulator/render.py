"""The rich view of a report: what was heard, where each section ran, what was flagged and why.

Everything is drawn from the report dict (the same JSON that is saved and printed by --json), so a stored
attempt renders exactly as it did live. Every function takes the console to draw on.
"""

from __future__ import annotations

from datetime import datetime

from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .analysis.timing import answer_band, clock, missed_speech_note
from .types import Probe

COLORS = {"situation": "cyan", "task": "magenta", "action": "green", "result": "yellow", "reflection": "bright_blue",
          "headline": "yellow"}
VERDICT_STYLE = {"ok": "green", "short": "yellow", "long": "red", "missing": "red"}


def legend() -> Text:
    text = Text("Sections: ")
    for name in ("situation", "task", "action", "result", "reflection"):
        text.append(f" {name} ", style=f"bold black on {COLORS[name]}")
        text.append(" ")
    return text


def transcript_view(report: dict) -> Text:
    """The sentences in their section colours, with any stretch of possibly missed speech in its place."""
    text = Text()
    missed = sorted(tuple(span) for span in report.get("unheard_speech", ()))
    for sentence in report["sentences"]:
        while missed and missed[0][0] <= sentence["start_s"]:
            text.append(missed_marker(missed.pop(0)), style="bold yellow")
        role = sentence["role"]
        text.append(f"[{clock(sentence['start_s'])}] ", style="dim")
        text.append(sentence["text"] + " ", style=COLORS.get(role, "white"))
    for span in missed:
        text.append(missed_marker(span), style="bold yellow")
    return text


def missed_marker(span: tuple[float, float]) -> str:
    return f"[{clock(span[0])}-{clock(span[1])} possibly missed speech, not transcribed] "


class SectionBar:
    """A section's time as a bar, with its target marked: as wide as the table can give it (30 characters in a
    wide terminal, fewer in an 80-column one), so the table is never cropped."""

    WIDEST, NARROWEST = 30, 10

    def __init__(self, name: str, duration_s: float, target_s: float, scale_s: float):
        self.name, self.duration_s, self.target_s, self.scale_s = name, duration_s, target_s, scale_s

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.NARROWEST, self.WIDEST)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(self.NARROWEST, min(self.WIDEST, options.max_width))
        filled = int(round(width * self.duration_s / self.scale_s)) if self.scale_s else 0
        mark = int(round(width * self.target_s / self.scale_s)) if self.scale_s else 0
        bar = Text(no_wrap=True)
        for i in range(width):
            char = "|" if i == mark else ("#" if i < filled else " ")
            bar.append(char, style=COLORS[self.name] if i < filled else "dim")
        yield bar


def timeline_table(report: dict, title: str = "Sections against their targets") -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    for col in ("section", "from", "to", "time", "target", "verdict"):
        table.add_column(col, justify="right" if col in ("from", "to", "time", "target") else "left")
    table.add_column("")
    sections = report["sections"]
    scale = max(max(s["duration_s"] for s in sections), max(s["target_s"] for s in sections) * 1.5)
    for s in sections:
        table.add_row(
            Text(s["name"], style=COLORS[s["name"]]), clock(s["start_s"]), clock(s["end_s"]),
            f"{s['duration_s']:.0f}s", f"{s['target_s']:.0f}s",
            Text(s["verdict"], style=VERDICT_STYLE[s["verdict"]]),
            SectionBar(s["name"], s["duration_s"], s["target_s"], scale),
        )
    low, high = report.get("band_s", answer_band(None))
    answer = report.get("answer_s", report["duration_s"])
    table.caption = f"whole answer {clock(answer)} (target band {clock(low)} to {clock(high)}); | marks each target"
    return table


def flags_table(flags: list[dict], title: str = "What an interviewer would hear") -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column("flag", style="bold red")
    table.add_column("section")
    table.add_column("at", justify="right")
    table.add_column("heard")
    table.add_column("why")
    for f in flags:
        table.add_row(f["code"], f["section"] or "-", clock(f["start_s"]),
                      f"\u201c{f['evidence']}\u201d" if f["evidence"] else "-", f["message"])
    if not flags:
        table.add_row("none", "", "", "", "No weakness found.")
    return table


def score_view(score: dict, title: str) -> Panel:
    table = Table.grid(padding=(0, 2))
    table.add_row(Text(f"{score['overall']}/100", style="bold"), Text(score["verdict"], style="bold"))
    for name, value in score["dimensions"].items():
        lost = [d for d in score["deductions"] if d["dimension"] == name]
        reasons = "; ".join(f"-{d['points']:g} {d['flag']}" for d in lost) or "full marks"
        table.add_row(name, f"{value:g}", Text(reasons, style="red" if lost else "green"))
    return Panel(table, title=title, title_align="left")


def delivery_view(delivery: dict) -> Text:
    fillers = ", ".join(f"{f['text']}@{clock(f['start_s'])}" for f in delivery["fillers"][:12]) or "none"
    pauses = ", ".join(f"{p['duration_s']:.1f}s@{clock(p['start_s'])}" for p in delivery["long_pauses"][:8]) or "none"
    return Text(f"Pace {delivery['wpm']:.0f} wpm · fillers {len(delivery['fillers'])} "
                f"({delivery['fillers_per_min']:.1f}/min): {fillers} · long pauses: {pauses}")


def render_report(report: dict, console: Console) -> None:
    q = report.get("question") or {}
    console.rule(f"[bold]{q.get('id', 'answer')}[/bold]")
    if q:
        console.print(Text(q["text"], style="italic"))
    console.print(legend())
    console.print(Panel(transcript_view(report), title="What the simulator heard", title_align="left"))
    if report.get("unheard_speech"):
        console.print(Text("Note: " + missed_speech_note(report["unheard_speech"]), style="bold yellow"))
    console.print(timeline_table(report))
    console.print(delivery_view(report["delivery"]))
    console.print(flags_table(report["flags"]))
    console.print(score_view(report["score"], "Answer score"))
    probe = report["probe"]
    console.print(Panel(Group(Text(probe["text"], style="bold"), Text(probe["why"], style="dim")),
                        title=f"Follow-up probe {probe['id']}", title_align="left"))
    follow = report.get("followup")
    if follow:
        repaired = follow["repaired"]
        status = "repaired" if repaired["repaired"] else "not repaired"
        console.print(Panel(Text(follow["transcript"]), title=f"Follow-up reply ({follow['duration_s']:.0f}s)",
                            title_align="left"))
        if follow.get("unheard_speech"):
            console.print(Text("Note: " + missed_speech_note(follow["unheard_speech"]), style="bold yellow"))
        console.print(f"Weakness {repaired['code'] or '-'}: [bold]{status}[/bold] ({repaired['evidence']})")
        if follow["strong_markers_heard"]:
            console.print("Strong marks heard: " + "; ".join(follow["strong_markers_heard"]))
        console.print(flags_table(follow["flags"], "Follow-up reply"))
        console.print(score_view(follow["score"], "Follow-up score"))
    if report.get("story"):
        console.print(telling_view(report["story"]))
    if report.get("attempt"):
        console.print(f"Saved in {report['attempt']['folder']}", style="dim")


SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float], top: float | None = None) -> str:
    if not values:
        return ""
    top = top or max(values) or 1.0
    return "".join(SPARKS[min(len(SPARKS) - 1, int(len(SPARKS) * max(v, 0) / top))] if v == v else " " for v in values)


def when(created: str) -> str:
    """The local date and time, without the year when it is this year's (a narrow column)."""
    try:
        moment = datetime.fromisoformat(created).astimezone()
    except ValueError:
        return created[:16] or "?"
    return moment.strftime("%m-%d %H:%M" if moment.year == datetime.now().year else "%Y-%m-%d")


# --- a probe reply ---------------------------------------------------------------------------------

def strong_reply_view(probe: Probe) -> Panel:
    body = Group(
        Text("A strong reply has: " + "; ".join(probe.strong_markers), style="green"),
        Text(f"\u201c{probe.strong_example}\u201d", style="italic green"),
        Text("A weak reply has: " + "; ".join(probe.weak_markers), style="red"),
        Text(f"\u201c{probe.weak_example}\u201d", style="italic red"),
    )
    return Panel(body, title=f"What a strong reply to {probe.id} contains", title_align="left")


def show_reply(report: dict, probe: Probe | None, console: Console) -> None:
    follow = report["followup"]
    title = f"Your reply ({follow['duration_s']:.0f}s)"
    console.print(Panel(Text(follow["transcript"]), title=title, title_align="left"))
    repaired = follow["repaired"]
    if repaired["code"]:
        console.print(f"Weakness {repaired['code']}: [bold]{'repaired' if repaired['repaired'] else 'not repaired'}"
                      f"[/bold] ({repaired['evidence']})")
    console.print("Strong marks heard: " + ("; ".join(follow["strong_markers_heard"]) or "none"))
    console.print("Weak marks heard: " + ("; ".join(follow["weak_markers_heard"]) or "none"))
    console.print(flags_table(follow["flags"], "Follow-up reply"))
    console.print(score_view(follow["score"], "Reply score"))
    if probe is not None:
        console.print(strong_reply_view(probe))


def render_quiz(report: dict, console: Console) -> None:
    result = report["score"]
    if not result.get("asked"):
        console.print("No item was answered.")
        return
    console.print(f"[bold]Quiz score: {result['right']} of {result['asked']} ({result['overall']}%)[/bold] · "
                  f"{result['verdict']}")
    table = Table(title="By difficulty and by skill", title_justify="left")
    for column in ("", "right", "of", "percent"):
        table.add_column(column)
    for group in ("by_difficulty", "by_skill"):
        for name, part in result.get(group, {}).items():
            table.add_row(name, str(part["right"]), str(part["asked"]), f"{part['percent']}%")
    console.print(table)
    wrong = [i for i in report["quiz"]["items"] if not i["right"]]
    if wrong:
        console.print("Missed: " + ", ".join(f"{i['id']} ({i['kind']}, {i['difficulty']})" for i in wrong))


def telling_view(telling: dict) -> Group:
    """The spoken answer against the written story: each key fact said or dropped, and a read-out warning."""
    table = Table(title=f"Your story '{telling['story']}': what the telling kept", title_justify="left")
    for column in ("fact", "", "written"):
        table.add_column(column)
    for fact in telling["facts"]:
        # "not heard" rather than "dropped": the transcriber may have misread a fact that was said.
        mark = Text("said", style="green") if fact["said"] else Text("not heard", style="bold red")
        table.add_row(fact["kind"], mark, fact["text"])
    notes = []
    if telling["sounds_read_out"]:
        notes.append(Text(f"{telling['verbatim_share']:.0%} of the story's three-word runs were said word for word: it "
                          "sounds read out. Tell it from the bullets, in your own words.", style="bold yellow"))
    if telling["lone_hero"]:
        notes.append(Text("Nobody else is credited anywhere in the answer (the lone hero).", style="yellow"))
    return Group(table, *notes)


def render_closing(judged: dict, console: Console) -> None:
    """The candidate's questions for the interviewer, each with its kind, and the verdict with its evidence."""
    style = {"about the real work": "bold green", "general": "bold yellow"}.get(judged["verdict"], "bold red")
    lines = [Text.assemble(("Your questions: ", "bold"), (judged["verdict"], style))]
    lines += [Text(f"  - {q['text']} ({q['kind']})") for q in judged["questions"]]
    lines.append(Text(judged["advice"], style="dim"))
    console.print(Panel(Group(*lines), title="The end of the interview", title_align="left"))
