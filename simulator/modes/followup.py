"""A probe reply on its own: which probe was picked and why, how the reply is scored, and the report
that keeps it. Shared by probe practice and rescore.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.report import SCHEMA
from ..types import Probe, Question


@dataclass(frozen=True)
class Pick:
    probe: Probe
    question: Question | None
    targets: str | None  # the weakness code the reply should repair
    story: str  # the answer the probe follows up on ("" when practised on its own)
    why: str


def report_for(pick: Pick, followup: dict) -> dict:
    question = {"id": pick.question.id, "text": pick.question.text} if pick.question else None
    return {"schema": SCHEMA, "mode": "probe", "question": question,
            "probe": {"id": pick.probe.id, "text": pick.probe.text, "targets": pick.targets, "why": pick.why,
                      "probes": pick.probe.probes},
            "followup": followup}


def score_reply(analyzer, pick: Pick, reply) -> dict:
    """The reply scored as a follow-up to the picked probe (the story, when known, counts as context)."""
    context = {"probe": {"id": pick.probe.id, "targets": pick.targets}, "transcript": pick.story}
    return analyzer.analyze_followup(reply, context, pick.question)
