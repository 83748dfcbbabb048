"""Looking back at attempts: list, show, replay, compare, trends, rescore and delete.

Everything is read from the attempt folders through the index (index.py); a damaged or incomplete attempt
is shown for what it is instead of breaking the listing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..archive.index import Index, Row
from ..archive.store import Attempt, Store
from ..errors import SetupError, SimulatorError, StorageError
from ..render import (
    COLORS,
    VERDICT_STYLE,
    clock,
    render_closing,
    render_quiz,
    render_report,
    show_reply,
    sparkline,
    when,
)
from ..speech.audio import SAMPLE_RATE, load_audio
from ..types import SECTION_NAMES

# What a replay plays, in the order the interview happened: (file, who, what to say if the file is absent).
REPLAY_ORDER = (("question.wav", "Interviewer", "question"), ("answer.wav", "Candidate", None),
                ("probe.wav", "Interviewer", "probe"), ("followup.wav", "Candidate", None),
                ("closing.wav", "Candidate", None))  # a closing attempt: the question, then your questions


LIST_COLUMNS = ("id", "date", "mode", "length", "score", "status", "question")
QUESTION_MIN = 12


def list_view(rows: list[Row], width: int = 80) -> Table | Group:
    """Ids are what the user types next: they and the short columns keep their whole width at 80 columns
    or in a pipe, and the question, last, is what gets shortened. A terminal too narrow even for that
    gets each attempt on two lines, the question under its id."""
    cells = []
    for r in rows:
        question = r.question_id or "-"
        if r.section_focus:
            question += f" ({r.section_focus})"
        score = "-" if r.score is None else f"{r.score:.0f}"
        if r.mode == "probe" and r.followup_score is not None:
            score = f"{r.followup_score:.0f}"
        cells.append((r.id, when(r.created), r.mode, clock(r.answer_s), score, r.status, question))
    widths = [max([len(column), *(len(row[k]) for row in cells)]) for k, column in enumerate(LIST_COLUMNS)]
    title = f"{len(rows)} attempt(s)"
    if sum(widths[:-1]) + len(widths) - 1 + QUESTION_MIN > width:
        lines = [Text(title)]
        for row in cells:
            lines += [Text(f"{row[0]}  {row[1]}", style="bold"),
                      Text(f"    {row[2]} {row[3]}, score {row[4]}, {row[5]}: "
                           f"{row[6]}", overflow="ellipsis", no_wrap=True)]
        return Group(*lines)
    table = Table(title=title, title_justify="left", box=None, padding=(0, 1), collapse_padding=True,
                  pad_edge=False, header_style="bold")
    for column, widest in zip(LIST_COLUMNS, widths, strict=True):
        if column == "question":
            table.add_column(column, overflow="ellipsis", min_width=min(widest, QUESTION_MIN))
        else:
            table.add_column(column, justify="right" if column in ("length", "score") else "left", no_wrap=True,
                             min_width=widest)
    for row in cells:
        table.add_row(*row[:5], Text(row[5], style="green" if row[5] == "complete" else "yellow"),
                      Text(row[6], overflow="ellipsis", no_wrap=True))
    return table


def show(store: Store, attempt_id: str, console: Console, render: bool = True) -> dict | None:
    attempt = store.open(attempt_id)
    report = attempt.read("report.json")
    if report is None:
        files = ", ".join(sorted(p.name for p in attempt.folder.iterdir() if not p.name.startswith("."))) or "none"
        console.print(f"Attempt {attempt.id} is [bold yellow]{attempt.status()}[/bold yellow]: no report yet. "
                      f"Files kept: {files}.")
        console.print(f"Analyze what was recorded with: python -m simulator review {attempt.id} --rescore")
        return None
    report.setdefault("attempt", attempt.record())
    if render and report.get("mode") == "quiz":
        render_quiz(report, console)
    elif render and report.get("mode") == "closing":
        render_closing(report["closing"], console)
    elif render and "sections" in report:
        render_report(report, console)
    elif render:  # a probe practice: the reply only
        from ..analysis.probe import find_probe

        probe = find_probe(report["probe"]["id"], None, load_bank_for_review())
        show_reply(report, probe, console)
    return report


def load_bank_for_review():
    from ..bank import load_bank

    return load_bank()


# --- replay --------------------------------------------------------------------------------------

Player = Callable[[np.ndarray, int], None]


def sounddevice_player(audio: np.ndarray, rate: int) -> None:
    import sounddevice as sd

    try:
        sd.play(audio, rate, blocking=True)
    except Exception as exc:  # PortAudioError, or no output device at all
        raise SimulatorError(f"cannot play audio: {str(exc).splitlines()[0][:80]}") from None


def section_span(report: dict, section: str) -> tuple[float, float]:
    for s in report["sections"]:
        if s["name"] == section:
            if s["start_s"] is None:
                raise SimulatorError(f"the {section} is missing in this answer: nothing to play")
            return s["start_s"], s["end_s"]
    raise SimulatorError(f"no section '{section}'")


def replay(attempt: Attempt, section: str | None, console: Console, play: Player,
           speak: Callable[[str, Path], None] | None = None) -> list[tuple[str, float, float]]:
    """Play the interview back in order; returns what was played as (file, from_s, to_s)."""
    report = attempt.read("report.json") or {}
    played = []
    if section:
        if not report:
            raise SimulatorError(f"attempt {attempt.id} has no report yet: rescore it to find its sections")
        start, end = section_span(report, section)
        audio = load_audio(attempt.file("answer.wav"))
        console.print(f"[bold]Candidate[/bold] ({section}, {clock(start)} to {clock(end)})")
        play(audio[int(start * SAMPLE_RATE):int(end * SAMPLE_RATE)], SAMPLE_RATE)
        return [("answer.wav", start, end)]
    for name, who, spoken_key in REPLAY_ORDER:
        path = attempt.file(name)
        if not path.exists() and spoken_key and speak:
            text = (report.get(spoken_key) or {}).get("text")
            if text:  # the question was printed (--no-speak), not spoken: speak it now
                speak(text, path)
        if not path.exists():
            continue
        audio = load_audio(path)
        console.print(f"[bold]{who}[/bold] ({name}, {clock(audio.size / SAMPLE_RATE)})")
        play(audio, SAMPLE_RATE)
        played.append((name, 0.0, audio.size / SAMPLE_RATE))
    if not played:
        raise StorageError(f"attempt {attempt.id} holds no audio")
    return played


# --- compare ---------------------------------------------------------------------------------------

def _cell(section: dict | None) -> Text:
    if section is None or section["verdict"] == "missing":
        return Text("missing", style="red")
    text = Text(f"{section['duration_s']:.0f}s/{section['target_s']:.0f}s {section['verdict']}  ",
                style=VERDICT_STYLE[section["verdict"]])
    words = section["text"].split()
    text.append(" ".join(words[:24]) + (" ..." if len(words) > 24 else ""), style=COLORS[section["name"]])
    return text


def compare_view(a: dict, b: dict, id_a: str, id_b: str) -> Table:
    table = Table(title="Side by side, section by section", title_justify="left", show_lines=True)
    table.add_column("")
    table.add_column(id_a, ratio=1)
    table.add_column(id_b, ratio=1)
    for key in ("question",):
        table.add_row(key, (a.get(key) or {}).get("id", "-"), (b.get(key) or {}).get("id", "-"))
    by_name = lambda report: {s["name"]: s for s in report["sections"]}  # noqa: E731
    sa, sb = by_name(a), by_name(b)
    for name in SECTION_NAMES:
        table.add_row(Text(name, style=COLORS[name]), _cell(sa.get(name)), _cell(sb.get(name)))
    table.add_row("length", clock(a.get("answer_s")), clock(b.get("answer_s")))
    table.add_row("score", f"{a['score']['overall']} "
                           f"{a['score']['verdict']}", f"{b['score']['overall']} {b['score']['verdict']}")
    codes_a, codes_b = {f["code"] for f in a["flags"]}, {f["code"] for f in b["flags"]}
    table.add_row("flags", _codes(codes_a, codes_b), _codes(codes_b, codes_a))
    return table


def _codes(mine: set[str], other: set[str]) -> Text:
    text = Text()
    for code in sorted(mine):
        text.append(code + " ", style="bold red" if code not in other else "")
    return text or Text("none", style="green")


def compare(store: Store, id_a: str, id_b: str, console: Console) -> dict:
    reports = []
    for attempt_id in (id_a, id_b):
        report = store.open(attempt_id).read("report.json")
        if not report or "sections" not in report:
            raise StorageError(f"attempt {attempt_id} has no answer report to compare (rescore it first)")
        reports.append(report)
    console.print(compare_view(reports[0], reports[1], id_a, id_b))
    console.print("[dim]Flags in bold red are found in one attempt only.[/dim]")
    return {"a": id_a, "b": id_b}


# --- trends ----------------------------------------------------------------------------------------

def trend_data(rows: list[Row]) -> dict:
    """Scores per question and section durations per section, in attempt order."""
    questions: dict[str, list[tuple[str, float]]] = {}
    quizzes: dict[str, list[tuple[str, float]]] = {}
    sections: dict[str, list[tuple[str, float, float]]] = {name: [] for name in SECTION_NAMES}
    for r in rows:
        if r.mode == "quiz":
            if r.score is not None and r.question_id:
                quizzes.setdefault(r.question_id, []).append((r.id, r.score))
            continue
        if r.score is not None and r.question_id:
            questions.setdefault(r.question_id, []).append((r.id, r.score))
        for name, s in r.sections.items():
            if r.section_focus and name != r.section_focus:
                continue
            sections[name].append((r.id, s["duration_s"], s["target_s"]))
    return {"questions": questions, "quizzes": quizzes, "sections": sections}


def trend_view(data: dict) -> Group:
    per_question = Table(title="Score per question (0-100, oldest first)", title_justify="left")
    for column in ("question", "attempts", "chart", "first", "last", "best"):
        per_question.add_column(column)
    for qid, points in data["questions"].items():
        scores = [s for _, s in points]
        per_question.add_row(qid, str(len(scores)), Text(sparkline(scores, 100), style="cyan"),
                             f"{scores[0]:.0f}", f"{scores[-1]:.0f}", f"{max(scores):.0f}")
    per_quiz = Table(title="Quiz score, percent right (oldest first)", title_justify="left")
    for column in ("quiz", "runs", "chart", "first", "last", "best"):
        per_quiz.add_column(column)
    for key, points in data.get("quizzes", {}).items():
        scores = [s for _, s in points]
        per_quiz.add_row(key, str(len(scores)), Text(sparkline(scores, 100), style="magenta"),
                         f"{scores[0]:.0f}", f"{scores[-1]:.0f}", f"{max(scores):.0f}")
    per_section = Table(title="Seconds per section against its target (oldest first)", title_justify="left")
    for column in ("section", "target", "chart", "last", "median", "over target"):
        per_section.add_column(column)
    for name, points in data["sections"].items():
        if not points:
            continue
        durations = [d for _, d, _ in points]
        target = points[-1][2]
        over = sum(d > t for _, d, t in points)
        per_section.add_row(Text(name, style=COLORS[name]), f"{target:.0f}s",
                            Text(sparkline(durations, max(max(durations), 1.5 * target)), style=COLORS[name]),
                            f"{durations[-1]:.0f}s", f"{float(np.median(durations)):.0f}s", f"{over} of {len(points)}")
    return Group(per_question, *([per_quiz] if data.get("quizzes") else []), per_section)


def trend_figure(data: dict):
    """Scores per question above, section durations against targets below; attempts on a whole-number axis."""
    try:
        import matplotlib
    except ImportError:
        raise SetupError("--plot needs matplotlib: pip install 'star-interview[plot]' (the terminal charts need "
                         "nothing more)") from None

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 7), constrained_layout=True)
    most = 1
    for qid, points in data["questions"].items():
        top.plot(range(1, len(points) + 1), [s for _, s in points], marker="o", label=qid)
        most = max(most, len(points))
    for key, points in data.get("quizzes", {}).items():  # dashed: percent right, not a spoken score
        top.plot(range(1, len(points) + 1), [s for _, s in points], marker="s", linestyle="--", label=key)
        most = max(most, len(points))
    top.set(title="Score per question (dashed: quiz, percent right)", xlabel="attempt", ylabel="score",
            ylim=(0, 100))
    if data["questions"] or data.get("quizzes"):
        top.legend(fontsize="small")
    for name, points in data["sections"].items():
        if points:
            line = bottom.plot(range(1, len(points) + 1), [d for _, d, _ in points], marker="o", label=name)[0]
            bottom.axhline(points[-1][2], color=line.get_color(), linestyle=":", linewidth=1)
            most = max(most, len(points))
    bottom.set(title="Seconds per section (dotted: target)", xlabel="attempt", ylabel="seconds")
    bottom.legend(fontsize="small")
    for axes in (top, bottom):  # attempt 1, 2, 3: never 0.96 to 1.04 around a single attempt
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
        axes.set_xlim(0.5, most + 0.5)
    return fig


def plot_png(data: dict, path: Path) -> None:
    fig = trend_figure(data)
    import matplotlib.pyplot as plt  # after trend_figure chose the Agg backend
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise StorageError(f"cannot write {path} ({exc.strerror or exc})") from None
    finally:
        plt.close(fig)


def trend(index: Index, console: Console, question: str | None, plot: Path | None) -> dict:
    rows = index.rows(question=question)
    data = trend_data(rows)
    if not rows:
        console.print("No attempts yet.")
    console.print(trend_view(data))
    if plot:
        plot_png(data, plot)
        console.print(f"Plot written to {plot}")
    return data
