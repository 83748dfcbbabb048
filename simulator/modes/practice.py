"""Probe practice: follow-up probes asked directly, the reply scored against the probe's markers.

The probe comes from, in this order of precedence: an earlier attempt (`--from ATTEMPT`: the probe that
attempt asked, with its answer as the story), a weakness code (`--weakness CODE`: the question's own
probe for it, else the generic one), a question (`--question ID`, optionally `--probe PID`), or, with
none of these, the weakness the candidate shows most often across stored attempts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from ..analysis.probe import find_probe
from ..archive.index import Index
from ..archive.store import Store
from ..errors import BankError, SimulatorError
from ..render import show_reply
from ..speech.protocols import Microphone, Speaker
from ..types import Bank, Probe, Question
from .followup import Pick, report_for, score_reply
from .turn import Background, Turn, kept_on_failure


def most_frequent_weakness(index: Index, bank: Bank) -> tuple[str, int, int]:
    """(code, attempts showing it, attempts) over stored answers; content weaknesses before delivery."""
    rows = [r for r in index.rows() if r.flags]
    counts = Counter(code for r in rows for code in set(r.flags) if code in bank.weaknesses)
    if not counts:
        raise SimulatorError("no weaknesses in stored attempts yet: pass --question, --weakness or --from")
    code = max(counts, key=lambda c: (counts[c], bank.weaknesses[c].kind == "content", -bank.weaknesses[c].rank))
    return code, counts[code], len(rows)


def probe_for_weakness(code: str, question: Question | None, bank: Bank) -> Probe:
    if code not in bank.weaknesses:
        raise BankError(f"unknown weakness code '{code}': see question_bank/weaknesses.yaml")
    own = next((p for p in question.probes if code in p.triggers), None) if question else None
    return own or bank.weaknesses[code].probe


def pick_probe(bank: Bank, index: Index, store: Store, *, question_id: str | None = None, probe_id: str | None = None,
               weakness: str | None = None, from_attempt: str | None = None, rng=None) -> Pick:
    question = None
    if question_id:
        if question_id not in bank.questions:
            raise BankError(f"unknown question '{question_id}': see `python -m simulator bank list`")
        question = bank.questions[question_id]
    if from_attempt:
        attempt = store.open(from_attempt)
        meta, report = attempt.meta(), attempt.read("report.json") or {}
        asked = meta.get("probe_id") or (report.get("probe") or {}).get("id")
        if not asked:
            raise SimulatorError(f"attempt {from_attempt} asked no probe")
        question = bank.questions.get(meta.get("question_id") or "")
        probe = find_probe(asked, question, bank)
        if probe is None:
            raise BankError(f"attempt {from_attempt} asked probe '{asked}', which the bank no longer has")
        targets = (report.get("probe") or {}).get("targets") or (probe.triggers[0] if probe.triggers else None)
        return Pick(probe, question, targets, report.get("transcript", ""),
                    f"The probe attempt {from_attempt} asked, again.")
    if weakness:
        probe = probe_for_weakness(weakness, question, bank)
        return Pick(probe, question, weakness, "", f"Practising the weakness {weakness}.")
    if question:
        if probe_id:
            probe = next((p for p in question.probes if p.id == probe_id), None)
            if probe is None:
                raise BankError(f"question {question.id} has no probe '{probe_id}': see `bank show {question.id}`")
        else:
            import random

            probe = (rng or random).choice(question.probes)
        return Pick(probe, question, probe.triggers[0] if probe.triggers else None, "",
                    f"A probe of {question.id}, testing {probe.probes}.")
    code, seen, total = most_frequent_weakness(index, bank)
    return Pick(probe_for_weakness(code, None, bank), None, code, "",
                f"Your most frequent weakness: {code}, in {seen} of {total} stored attempts.")


@dataclass
class ProbePractice:
    pick: Pick
    speaker: Speaker
    turn: Turn
    analyzer: Background
    store: Store
    console: Console
    mic: Callable[[], Microphone]

    def run(self) -> dict:
        pick = self.pick
        meta = {"mode": "probe", "question_id": pick.question.id if pick.question else None,
                "question_text": pick.question.text if pick.question else None,
                "probe_id": pick.probe.id, "probe_text": pick.probe.text, "targets": pick.targets}
        attempt = self.store.new_attempt(meta)
        self.console.print(f"[dim]Attempt {attempt.id} in {attempt.folder}[/dim]")
        with kept_on_failure(attempt):
            self.console.rule(f"[bold]Probe practice: {pick.probe.id}")
            self.console.print(Text(pick.why, style="dim"))
            if pick.question:
                self.console.print(Text(f"The story is your answer to: {pick.question.text}", style="italic"))
            self.speaker.say(pick.probe.text, save_to=attempt.file("probe.wav"))
            rec, reply, _ = self.turn.record(attempt, "followup", self.mic(), lambda s, q, _: f"● REC {s:.1f} s")
            analyzer = self.analyzer.get()
            report = report_for(pick, score_reply(analyzer, pick, reply))
            report["attempt"] = attempt.record(reply_ended_by=rec.ended_by)
            attempt.write("report.json", report)
            attempt.update_meta(status="complete", answer_s=report["followup"]["duration_s"],
                                followup_score=report["followup"]["score"]["overall"])
        show_reply(report, pick.probe, self.console)
        return report
