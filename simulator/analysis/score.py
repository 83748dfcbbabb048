"""Pure scoring: every point lost is a deduction tied to a flag.

Main answer: seven dimensions whose full marks add up to 100. Each flag takes points from one or more
dimensions; the level scales what is expected (a junior is not docked much for a missing business
translation, a staff engineer is docked more for a generic reflection). Verdicts follow the overall.

Follow-up reply: five dimensions (answers the probe, specifics, first person, follow-through, length), each
loss tied to a follow-up flag, plus whether the reply repaired the weakness the probe aimed at.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import Deduction, Flag, Probe, Score, Word
from .flags import NUMBER, REFLECT_CUE, says_we, we_and_i
from .story import STOP

DIMENSIONS = {
    "structure": 15.0,
    "timing": 10.0,
    "ownership": 20.0,
    "specificity": 15.0,
    "impact": 20.0,
    "reflection": 10.0,
    "delivery": 10.0,
}

# flag code -> [(dimension, points)] at the mid level.
PENALTIES: dict[str, list[tuple[str, float]]] = {
    "missing_situation": [("structure", 5)],
    "missing_task": [("structure", 5), ("ownership", 4)],
    "missing_action": [("structure", 5), ("specificity", 15)],
    "missing_result": [("structure", 5), ("impact", 20)],
    "missing_reflection": [("structure", 3), ("reflection", 10)],
    "overrun_situation": [("timing", 4)],
    "overrun_task": [("timing", 2)],
    "overrun_action": [("timing", 3)],
    "overrun_result": [("timing", 1)],
    "overrun_reflection": [("timing", 2)],
    "short_situation": [("timing", 1)],
    "short_task": [("timing", 1)],
    "short_action": [("timing", 2), ("specificity", 4)],
    "short_result": [("timing", 2), ("impact", 4)],
    "short_reflection": [("timing", 1)],
    "too_long": [("timing", 5)],
    "too_short": [("timing", 5)],
    "we_language": [("ownership", 10)],
    "assigned_task": [("ownership", 6)],
    "no_scope_boundary": [("ownership", 4)],
    "handoff": [("ownership", 10), ("specificity", 3)],
    "vague_action": [("specificity", 8)],
    "no_metric": [("impact", 8)],
    "no_business_impact": [("impact", 6)],
    "generic_reflection": [("reflection", 6)],
    "fillers": [("delivery", 4)],
    "pace_fast": [("delivery", 3)],
    "pace_slow": [("delivery", 3)],
    "long_pauses": [("delivery", 3)],
}

# What each level is expected to show: multipliers on the mid-level penalties.
LEVEL_FACTORS: dict[str, dict[str, float]] = {
    "junior": {"no_business_impact": 0.5, "generic_reflection": 0.6, "no_scope_boundary": 0.75, "assigned_task": 0.6,
               "missing_reflection": 0.7},
    "mid": {},
    "senior": {"no_business_impact": 1.3, "generic_reflection": 1.3, "no_scope_boundary": 1.25, "we_language": 1.1,
               "missing_reflection": 1.2},
    "staff": {"no_business_impact": 1.6, "generic_reflection": 1.6, "no_scope_boundary": 1.5, "we_language": 1.2,
              "assigned_task": 1.3, "missing_reflection": 1.4},
}

VERDICTS = ((85, "strong hire"), (70, "hire"), (50, "lean no hire"), (0, "no hire"))


def _verdict(overall: float) -> str:
    return next(name for floor, name in VERDICTS if overall >= floor)


def _apply(dimensions: dict[str, float], flags: Sequence[Flag], penalties: dict[str, list[tuple[str, float]]],
           factors: dict[str, float]) -> tuple[dict[str, float], list[Deduction]]:
    left = dict(dimensions)
    deductions = []
    for flag in flags:
        for dimension, points in penalties.get(flag.code, ()):
            points = min(points * factors.get(flag.code, 1.0), left[dimension])
            if points > 0:
                left[dimension] -= points
                deductions.append(Deduction(dimension, points, flag.code, flag.message))
    return left, deductions


def score_answer(flags: Sequence[Flag], level: str | None = None) -> Score:
    left, deductions = _apply(DIMENSIONS, flags, PENALTIES, LEVEL_FACTORS.get(level or "mid", {}))
    overall = round(sum(left.values()))
    return Score(overall, _verdict(overall), left, tuple(deductions))


# --- follow-up reply ---------------------------------------------------------------------------

FOLLOWUP_DIMENSIONS = {"answers_probe": 30.0, "specifics": 20.0, "first_person": 20.0, "follow_through": 15.0,
                       "length": 15.0}
FOLLOWUP_PENALTIES: dict[str, list[tuple[str, float]]] = {
    # A reply about something else earns nothing for answering, and its details are not about the probe.
    "followup_off_topic": [("answers_probe", 30), ("specifics", 10), ("follow_through", 10)],
    "followup_weak_marker": [("answers_probe", 10)],
    "followup_vague": [("specifics", 14)],
    "followup_we": [("first_person", 14)],
    "followup_no_follow_through": [("follow_through", 12)],
    "followup_short": [("length", 12)],
    "followup_long": [("length", 8)],
    "followup_not_repaired": [("answers_probe", 10)],
}
FOLLOWUP_MIN_S, FOLLOWUP_MAX_S = 20.0, 60.0

_FOLLOW_THROUGH = re.compile(
    r"\b(followed up|follow up|made sure|checked|double-checked|until|verified|confirmed|merged|deployed|shipped"
    r"|rolled out|stayed on|tracked|monitored|weeks later|the next (day|week)|closed the loop|got it merged|walked "
    r"them|checked in|(a|one|two|three|six) (week|month|year)s? later|months later|in batches|one (\w+ )?at a time"
    r"|made (it )?mandatory|released|kept|stuck|ever since|since then|every (day|week|sprint|release))\b"
)
# Follow-through is asked for when the probe is about carrying the work to its end: getting others to take it up,
# a migration or a fix landing, a change that sticks. "What would you do differently?" does not ask for it.
_ASKS_FOLLOW_THROUGH = re.compile(
    r"\bhow (exactly )?did you (get|migrate|transfer|roll|ship|deploy|land|keep|make)\b"
    r"|\b(adopt|accept|deploy|stuck|stick|happen again|roll(ed)? out|see it through)\b"
)
# A number, a reason or a concrete detail: "because", "so nobody chased other leads", "which meant", "explained why".
_SPECIFIC = re.compile(r"(\d|\$|%|\b(because|by|specifically|for example|instead of|so that"
                       r"|so (nobody|no one|i|we|they|she|he|the|it|our|my)|which meant|since|otherwise|to avoid"
                       r"|in order to|explained why|the reason)\b)")
_STEM = re.compile(r"(ing|ed|es|s|ly)$")
_FILLER_WORDS = set("i me my we our the a an and or but so to of in on at for with that this it is was were be "
                    "just".split())


def _stems(text: str) -> set[str]:
    return {_STEM.sub("", w)[:7] for w in re.findall(r"[a-z']+", text.lower()) if w not in _FILLER_WORDS and len(w) > 2}


# Words every probe and story share, which say nothing about what the probe is after: the probes' frame,
# function words, and the verbs any story is told with ("asked", "took", "went"). With those counted, a
# reply about another story matched the answer on "had" and "once" and was scored as answering it.
_PROBE_FRAME = (_stems("how did you get what why would tell about time thing other team make know happen again today "
                       "differently your work people have has been does they them one")
                | _stems(" ".join(STOP))
                | _stems("ask asked went took start started once while first real made build built could "
                         "change changed bad still even got said told")
                # Talk that carries no subject: "a lot", "the end", "everything", "kind of", "honestly".
                | _stems("lot lots thing things stuff kind sort way really pretty honest honestly actual actually "
                         "basically well good great end everything everyone everybody something someone anyway "
                         "yeah okay right mean like say think"))

# What candidates say when they answer something other than the probe: another story ("a similar thing
# happened on my previous team"), another subject ("the part I'm proudest of", "the most interesting part
# was"), the general case ("in general"), no memory of it, or praise of the question before a speech.
_DEFLECTION = re.compile(
    r"\b(a similar thing|something similar|on (my|a|another) (previous|last|old|other|different) (team|job|project)"
    r"|another (time|project|example|story)|a (different|better) (example|story|project)"
    r"|the (thing|part|project) i'm (most )?proud(est)? of|the (most interesting|bigger|biggest) (part|lesson|problem"
    r"|thing|story)|in general|generally speaking|(don't|do not|can't|cannot) (really )?remember|a (long )?while ago"
    r"|that's a (good|great|really good|interesting) question)\b"
)
# A probe about now or next time ("what do you do differently now?", "what would you have done?") is
# answered only by a reply that speaks about now or a next time, not one that tells the story again.
_ASKS_AHEAD = re.compile(r"\b(now|differently|since (this|that|then)|would you|if you (faced|did|built|had)"
                         r"|from day one|again today)\b")
_SPEAKS_AHEAD = re.compile(r"\b(i'd have|i would have|i always|i never|i usually|always|whenever|from day one)\b")


_ASKS_FOR_NUMBERS = re.compile(r"\bin numbers\b")


def relevance(probe: Probe, reply_text: str, story_text: str) -> tuple[list[str], list[str]]:
    """The probe's own words the reply takes up, and the answer's words (people, systems, numbers) it
    shares: a reply that has neither, and none of a strong reply's marks, did not answer the probe."""
    reply = _stems(reply_text)
    on_probe = sorted((_stems(probe.text) - _PROBE_FRAME) & reply)
    same_story = sorted((_stems(story_text) - _PROBE_FRAME) & reply)
    # A probe that asks for numbers is taken up by numbers, whatever words come with them; so is one aimed at
    # the answer's missing number ("how did you know it was worth it?"), when the numbers are about the same
    # story ("undoing a bad flag went from forty minutes to under one"), not another one's.
    aims_at_number = probe.triggers[:1] == ("no_metric",) and bool(same_story)
    numbers = len(NUMBER.findall(reply_text.lower()))
    if (_ASKS_FOR_NUMBERS.search(probe.text.lower()) or aims_at_number) and numbers >= 2:
        on_probe.append("numbers")
    return on_probe, same_story


def off_topic_reason(probe: Probe, reply_text: str, on_probe: list[str], same_story: list[str]) -> str | None:
    """Why the reply is about something other than the probe, or None: it shares neither the probe's
    words nor the answer's story; it turns away ("a similar thing happened on my previous team") and
    shares little else; or the probe asks about now or a next time and the reply only tells the past."""
    low = reply_text.lower()
    turn = _DEFLECTION.search(low)
    # A turn away may still repeat one of the probe's words about the other thing ("on a different project, the
    # search service, ..." after "how did you keep the service safe"): one word is no answer.
    if turn and len(on_probe) <= 1 and len(same_story) < 3:
        return f"turns to something else (\"{turn.group(0)}\")"
    if not on_probe and len(same_story) < 2:
        return f"takes up {', '.join(same_story) or 'none'} of its words or the answer's"
    if _ASKS_AHEAD.search(probe.text.lower()) and not (REFLECT_CUE.search(low) or _SPEAKS_AHEAD.search(low)):
        return "tells what happened, not what you would do or do now"
    return None


def marker_hits(markers: Sequence[str], text: str) -> list[str]:
    """Markers whose content words are mostly present in the text (stemmed), so paraphrases count."""
    have = _stems(text)
    hits = []
    for marker in markers:
        want = _stems(marker)
        if want and len(want & have) / len(want) >= 0.6:
            hits.append(marker)
    return hits


ANSWERED_INSTEAD_MARKS = 2


def answered_instead(probe: Probe, siblings: Sequence[Probe], reply_text: str) -> tuple[Probe, list[str]] | None:
    """Another probe of the same story two or more of whose strong marks the reply has, when it has none of the
    asked probe's: asked why you spent your time on another team's service, the reply told how you handed the
    knowledge over. On the story, but not an answer to the question. (One mark is not enough: a strong reply
    to "what would you do differently?" may well name "minutes" or "replay" from a sibling's marks; on the
    spoken dev replies, one mark flagged 6 of 44 strong replies, two marks none.)"""
    if marker_hits(probe.strong_markers, reply_text):
        return None
    for other in siblings:
        hits = marker_hits(other.strong_markers, reply_text) if other.probes != probe.probes else []
        if len(hits) >= ANSWERED_INSTEAD_MARKS:
            return other, hits
    return None


def followup_flags(probe: Probe, words: Sequence[Word], duration_s: float, story_text: str = "",
                   siblings: Sequence[Probe] = ()) -> list[Flag]:
    text = " ".join(w.text for w in words)
    low = text.lower()
    start = words[0].start_s if words else None
    quote = " ".join(w.text for w in words[:12])
    flags = []
    strong = marker_hits(probe.strong_markers, text)
    weak = marker_hits(probe.weak_markers, text)
    # Answering means taking up the probe's subject ("reject", "deploy") or staying in the answer's story
    # (two of its people, systems or numbers); a reply with neither, and none of a strong reply's marks,
    # is about something else.
    on_probe, same_story = relevance(probe, text, story_text)
    reason = None if strong else off_topic_reason(probe, text, on_probe, same_story)
    # ...and one that takes up none of the probe's own words but two marks of another probe's strong reply.
    instead = None if reason or on_probe else answered_instead(probe, siblings, text)
    if instead:
        other, hits = instead
        reason = f"answers another question instead, \"{other.text}\" (heard: {'; '.join(hits)})"
    if reason:
        flags.append(Flag("followup_off_topic", None, quote, start,
                          f"Did not answer: the probe asked \"{probe.text}\", and the reply {reason}."))
    if len(weak) > len(strong):  # "nobody asked" carries the weak mark "was asked" and the strong "nobody had asked"
        flags.append(Flag("followup_weak_marker", None, "; ".join(weak), start,
                          f"The reply sounds like the weak reply: {', '.join(repr(w) for w in weak)}."))
    if not (_SPECIFIC.search(low) or NUMBER.search(low)):
        flags.append(Flag("followup_vague", None, quote, start, "No number, reason or concrete detail in the reply."))
    we, i = we_and_i(low)
    if says_we(we, i):
        flags.append(Flag("followup_we", None, quote, start, f"'we' {we} times and 'I' {i} times in the reply."))
    if _ASKS_FOLLOW_THROUGH.search(probe.text.lower()) and not _FOLLOW_THROUGH.search(low):
        flags.append(Flag("followup_no_follow_through", None, quote, start,
                          "The reply never says how you saw it through (followed up, verified, merged, shipped)."))
    if duration_s < FOLLOWUP_MIN_S:
        flags.append(Flag("followup_short", None, f"{duration_s:.0f} s", None,
                          f"{duration_s:.0f} s is too short; a follow-up reply needs 20 to 60 s."))
    elif duration_s > FOLLOWUP_MAX_S:
        flags.append(Flag("followup_long", None, f"{duration_s:.0f} s", None,
                          f"{duration_s:.0f} s is too long; a follow-up reply fits in 20 to 60 s."))
    return flags


def score_followup(flags: Sequence[Flag]) -> Score:
    left, deductions = _apply(FOLLOWUP_DIMENSIONS, flags, FOLLOWUP_PENALTIES, {})
    overall = round(sum(left.values()))
    return Score(overall, _verdict(overall), left, tuple(deductions))
