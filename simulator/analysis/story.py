"""The candidate's own stories, judged as written and as told: coverage, fit, the written check, and what
a spoken telling kept or dropped.

A story is written as bullets (types.Story). Written, it gets the same flags as a spoken answer (its text
timed at 150 words a minute) and an estimate of each section's spoken length against its target. Told,
the transcript is compared fact by fact with the story: each number, the scope boundary (the Task), each
Action bullet and the tie-in is "said" when enough of its content words (or its number) were heard. Very
close to the written words throughout reads as recited, which interviewers hear and mark down.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..types import JSON, SECTION_NAMES, Bank, Question, Story
from .transcripts import TEXT_WPM

SAID_SHARE = 0.5  # a fact is said when half its content words were heard (people paraphrase)
# The share of the story's three-word runs heard verbatim above which the telling sounds read out. Measured:
# the story read out by espeak-ng, one bullet left out, through tiny.en (its misreadings included): 0.51; a
# spoken paraphrase of the same story: 0.08.
RECITED_SHARE = 0.4
TOO_MANY_PRINCIPLES = 4  # one story stretched over more principles than this is over-used
TOLD_OFTEN = 3  # ... and so is one told in more attempts than this, while other archetypes have no story
STOP = frozenset(
    "a an and are as at be but by did do for from had has have he her his i in into is it its me my of on "
    "or our out she so than that the their them then there they this to up was we were what when which who "
    "with would you your about after all also any because been before being both each few more most no not "
    "only other over same some such very just".split())
# Anyone else credited anywhere in the story: a person, a team, "we", thanks. Without any, it is told as
# the lone hero, which interviewers read as poor judgement of how work gets done.
CREDIT = re.compile(
    r"\b(we|we'?ve|our|us|together|team(s|mates?)?|colleagues?|peers?|partner(ed|s)?|paired|helped|thanks?"
    r"|credit|with (the|my|our|two|three|a|an|his|her|their) \w+|(he|she|they) (found|suggested|built|wrote|ran))\b",
    re.IGNORECASE)

_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


def content_words(text: str) -> list[str]:
    """Not flags.py's content words: those drop "team", "own", "people" as words every lesson shares, and
    here they carry the fact ("not my team", "I decided to own it"): with them a spoken paraphrase of the
    scope boundary kept 0.4 of its words and read as not said."""
    return [_stem(w) for w in re.findall(r"[a-z][a-z'-]+", text.lower()) if w not in STOP and len(w) > 2]


def _stem(word: str) -> str:
    """Enough to match "migrated" with "migrate" and "teams" with "team" across a paraphrase."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def written_numbers(text: str) -> set[float]:
    """The numbers written in digits: "38%", "$90,000", "12 teams"."""
    return {float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def spoken_numbers(text: str) -> set[float]:
    """Every number in a transcript, in digits or said in words ("thirty eight", "ninety thousand",
    "two hundred and forty")."""
    found = written_numbers(text)
    total, current, inside = 0, 0, False
    tokens = [*re.findall(r"[a-z]+|[.,;:!?]", text.lower()), ""]  # punctuation ends a number
    for i, token in enumerate(tokens):
        if token == "a" and not inside and tokens[i + 1] in _SCALES:  # "a thousand" is one thousand
            current, inside = 1, True
        elif token in _UNITS or token in _TENS:
            current += _UNITS.get(token, 0) + _TENS.get(token, 0)
            inside = True
        elif token == "hundred" and inside:
            current *= 100
        elif token in ("thousand", "million") and inside:
            total, current = total + current * _SCALES[token], 0
        elif token != "and" or not inside:
            if inside:
                found.add(float(total + current))
            total, current, inside = 0, 0, False
    return found


def spoken_seconds(text: str, wpm: float = TEXT_WPM) -> float:
    return len(text.split()) * 60.0 / wpm


def lone_hero(text: str) -> bool:
    return CREDIT.search(text) is None


def written_check(story: Story, report: JSON, targets: dict[str, float]) -> JSON:
    """The written story's flags (from the analysis of its text), each section's estimated spoken length
    against its target, and what to fix first."""
    sections: list[JSON] = []
    for name in SECTION_NAMES:
        seconds = spoken_seconds(story.sections[name])
        target = targets[name]
        verdict = "missing" if not seconds else "short" if seconds < 0.5 * target else \
            "long" if seconds > 1.5 * target else "ok"
        sections.append({"name": name, "words": len(story.sections[name].split()), "seconds": round(seconds, 1),
                         "target_s": target, "verdict": verdict})
    flags = [f for f in report["flags"] if not f["code"].startswith(("short_", "too_short"))]
    fixes = [f"{f['message']} (\"{f['evidence']}\")" for f in flags]
    fixes += [f"The {s['name']} would take about {s['seconds']:.0f} s spoken against its {s['target_s']:.0f} s "
              f"target: trim it." for s in sections if s["verdict"] == "long"]
    thin = [s["name"] for s in sections if s["verdict"] in ("short", "missing")]
    if thin:
        fixes.append(f"Told as written it would take about {sum(float(s['seconds']) for s in sections):.0f} s, "
                     f"and the {', '.join(thin)} would each run under half their target: the bullets are the "
                     "skeleton; say more in those sections when you tell it.")
    if lone_hero(story.text):
        fixes.append("Nobody else appears anywhere in the story: credit who helped, in one clause, so the "
                     "interviewer does not hear a lone hero.")
    total = sum(float(s["seconds"]) for s in sections)
    return {"story": story.id, "sections": sections, "total_s": round(total, 1), "flags": flags, "fixes": fixes,
            "lone_hero": lone_hero(story.text), "probe": report.get("probe")}


def coverage(stories: Sequence[Story], bank: Bank, told: dict[str, int] | None = None) -> JSON:
    """Archetypes x stories and principles x stories, with the gaps and the over-used stories."""
    told = told or {}
    archetypes = sorted({q.archetype for q in bank.questions.values()})
    by_archetype = {a: [s.id for s in stories if s.archetype == a] for a in archetypes}
    by_principle = {p: [s.id for s in stories if p in s.principles] for p in bank.lenses}
    gaps = [a for a, ids in by_archetype.items() if not ids]
    overused = []
    for s in stories:
        if len(s.principles) > TOO_MANY_PRINCIPLES:
            overused.append({"story": s.id, "why": f"claims {len(s.principles)} principles; one story cannot show "
                             f"them all well"})
        elif told.get(s.id, 0) > TOLD_OFTEN and gaps:
            overused.append({"story": s.id, "why": f"told in {told[s.id]} attempts while {len(gaps)} archetype(s) "
                             "have no story"})
    return {"archetypes": by_archetype, "principles": by_principle, "gaps": gaps,
            "principle_gaps": [p for p, ids in by_principle.items() if not ids], "overused": overused,
            "told": {s.id: told.get(s.id, 0) for s in stories}}


def fit(stories: Sequence[Story], question: Question) -> list[JSON]:
    """Which stories answer the question, best first: the question's archetype first (as the playbooks'
    table maps a question to its archetype), then the principles the story shares with it."""
    ranked = []
    for s in stories:
        shared = [p for p in question.principles if p in s.principles]
        same = s.archetype == question.archetype
        if not same and not shared:
            continue
        why = (["same archetype (" + s.archetype + ")"] if same else []) + \
              ([f"shows {', '.join(shared)}"] if shared else [])
        ranked.append({"story": s.id, "title": s.title, "score": 10 * same + len(shared), "why": "; ".join(why)})
    return sorted(ranked, key=lambda r: (-r["score"], r["story"]))


def _said(fact: str, heard: set[str]) -> tuple[bool, float]:
    words = set(content_words(fact))
    share = len(words & heard) / len(words) if words else 0.0
    return share >= SAID_SHARE, round(share, 2)


def compare_telling(story: Story, transcript: str) -> JSON:
    """Which of the story's key facts the spoken answer kept and which it dropped, and whether it sounds
    read out."""
    heard = set(content_words(transcript))
    heard_numbers = spoken_numbers(transcript)
    facts = []
    for number in sorted(written_numbers(story.text)):
        facts.append({"kind": "number", "text": f"{number:g}", "said": number in heard_numbers})
    for kind, text in [("scope", story.task), *[(f"action {i}", a) for i, a in enumerate(story.actions, 1)],
                       ("tie-in", story.tie_in)]:
        said, share = _said(text, heard)
        facts.append({"kind": kind, "text": text, "said": said, "heard_share": share})
    recited = _verbatim_share(story.text, transcript)
    return {
        "story": story.id,
        "facts": facts,
        "dropped": [f for f in facts if not f["said"]],
        "verbatim_share": recited,
        "sounds_read_out": recited >= RECITED_SHARE,
        "lone_hero": lone_hero(transcript),
    }


def _verbatim_share(written: str, spoken: str) -> float:
    """The share of the story's three-word runs that were said word for word."""
    def runs(text: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", text.lower())
        return {tuple(words[i:i + 3]) for i in range(len(words) - 2)}

    written_runs = runs(written)
    return round(len(written_runs & runs(spoken)) / len(written_runs), 2) if written_runs else 0.0
