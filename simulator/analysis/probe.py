"""Pure choice of the follow-up probe from the weaknesses found.

The probe aims at the most important weakness: content before delivery, then by the rank the bank gives
each code. The question's own probe for that weakness is preferred; the bank's generic probe for the code
is the fall-back. Timing flags are weaknesses too, so a 4-second Result (short_result) calls for the
impact probe just as a Result without a number does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..types import JSON, Bank, Flag, Probe, Question


@dataclass(frozen=True)
class ProbeChoice:
    probe: Probe
    targets: str | None  # the weakness code aimed at; None when the answer had no weakness
    why: str

    def to_json(self) -> JSON:
        return {"id": self.probe.id, "text": self.probe.text, "targets": self.targets, "why": self.why,
                "probes": self.probe.probes}


def rank_weaknesses(flags: Sequence[Flag], bank: Bank) -> list[Flag]:
    """Flags the bank knows, most important first: content before delivery, then by rank."""
    known = [f for f in flags if f.code in bank.weaknesses]

    def key(flag: Flag) -> tuple[bool, int]:
        w = bank.weaknesses[flag.code]
        return (w.kind != "content", w.rank)

    return sorted(known, key=key)


def find_probe(probe_id: str, question: Question | None, bank: Bank) -> Probe | None:
    for probe in question.probes if question else ():
        if probe.id == probe_id:
            return probe
    for weakness in bank.weaknesses.values():
        if weakness.probe.id == probe_id:
            return weakness.probe
    for q in bank.questions.values():
        for probe in q.probes:
            if probe.id == probe_id:
                return probe
    return None


def choose_probe(flags: Sequence[Flag], question: Question | None, bank: Bank) -> ProbeChoice:
    ranked = rank_weaknesses(flags, bank)
    for flag in ranked:
        own = next((p for p in question.probes if flag.code in p.triggers), None) if question else None
        weakness = bank.weaknesses[flag.code]
        probe = own or weakness.probe
        heard = f" (heard: \"{flag.evidence}\")" if flag.evidence else ""
        source = "this question's probe" if own else "the generic probe"
        kind = "content" if weakness.kind == "content" else "delivery"
        why = (f"Most important {kind} weakness: {flag.code} - {flag.message}{heard} "
               f"Asking {source} for it, which tests {probe.probes}.")
        return ProbeChoice(probe, flag.code, why)
    if question and question.probes:
        probe = question.probes[0]
        return ProbeChoice(probe, None, f"No weakness found; asking this question's first probe to test "
                                        f"{probe.probes} in depth.")
    weakness = bank.weaknesses[sorted(bank.weaknesses)[0]]
    return ProbeChoice(weakness.probe, None, "No weakness found and no question given; asking a generic probe.")
