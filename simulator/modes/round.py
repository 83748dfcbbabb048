"""A round: several questions in a row, like an interview loop, then what repeats across the answers.

A single answer can be an off day; the same flag in three of four answers is a habit, and that is what
the summary puts first.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analysis.story import lone_hero
from ..render import clock
from ..types import SECTION_NAMES, Bank


def round_summary(reports: list[dict], bank: Bank) -> dict:
    n = len(reports)
    codes = Counter(code for r in reports for code in {f["code"] for f in r["flags"]})
    patterns = [{"code": code, "answers": count, "of": n,
                 "message": bank.weaknesses[code].message if code in bank.weaknesses else code}
                for code, count in codes.most_common() if count >= 2]
    verdicts = Counter((s["name"], s["verdict"]) for r in reports for s in r["sections"] if s["verdict"] != "ok")
    timing = [{"section": name, "verdict": verdict, "answers": count, "of": n}
              for (name, verdict), count in verdicts.most_common() if count >= 2]
    scores = [r["score"]["overall"] for r in reports]
    heroes = [i for i, r in enumerate(reports, 1) if lone_hero(r["transcript"])]
    return {
        "answers": [{"question": (r.get("question") or {}).get("id"), "attempt": (r.get("attempt") or {}).get("id"),
                     "answer_s": r["answer_s"], "score": r["score"]["overall"], "verdict": r["score"]["verdict"],
                     "followup_score": (r.get("followup") or {}).get("score", {}).get("overall")} for r in reports],
        "mean_score": round(sum(scores) / n, 1) if n else None,
        "patterns": patterns,
        "timing_patterns": sorted(timing, key=lambda t: SECTION_NAMES.index(t["section"])),
        # Answers that credit nobody else; in every answer of a round it is the "hero in every story" pattern.
        "lone_hero_answers": heroes,
        "hero_in_every_story": n >= 2 and len(heroes) == n,
    }


def render_round(summary: dict, console: Console) -> None:
    table = Table(title="The round", title_justify="left")
    for column in ("#", "question", "length", "score", "verdict", "follow-up"):
        table.add_column(column)
    for i, a in enumerate(summary["answers"], 1):
        table.add_row(str(i), a["question"] or "-", clock(a["answer_s"]), f"{a['score']:.0f}", a["verdict"],
                      "-" if a["followup_score"] is None else f"{a['followup_score']:.0f}")
    table.caption = f"mean score {summary['mean_score']}"
    console.print(table)
    if not summary["patterns"] and not summary["timing_patterns"]:
        console.print("No weakness repeats across the answers.")
    for p in summary["patterns"]:
        console.print(Text.assemble(("Repeats: ", "bold"), (p["code"], "bold red"),
                                    f" in {p['answers']} of {p['of']} answers. {p['message']}"))
    if summary.get("closing"):
        closing = summary["closing"]
        console.print(Text.assemble(("Your questions at the end: ", "bold"), closing["verdict"],
                                    f" (\"{closing['evidence']}\")" if closing["evidence"] else ""))
    if summary.get("hero_in_every_story"):
        console.print(Text.assemble(("Pattern: ", "bold"), ("the hero in every story", "bold red"),
                                    ": no answer credits anyone else. Name who helped, in a clause, and still say "
                                    "what you did."))
    for t in summary["timing_patterns"]:
        console.print(Text.assemble(("Timing: ", "bold"), (f"{t['section']} {t['verdict']}", "bold yellow"),
                                    f" in {t['answers']} of {t['of']} answers."))
