"""The candidate's questions at the end of the interview, judged by the delivery rules: have questions
ready, and make them about the team's real work rather than only pay and perks.

The reply is split into sentences; a question is a sentence ending in "?" or opening as one does ("what",
"how", "could you", "I was wondering"). Each question is sorted by its words into the team's real work
(incidents, on-call, evaluations, decisions in flight, what success looks like), pay and perks, or
general. The verdict quotes the question it rests on.
"""

from __future__ import annotations

import re

from ..types import JSON

OPENERS = re.compile(
    r"^(what|what's|how|who|when|where|why|which|is|are|do|does|did|can|could|would|will|have|has|should"
    r"|i was wondering|i'd like to know|i would like to know|tell me|i'm curious|i am curious)\b", re.IGNORECASE)
NONE = re.compile(r"^\s*(no|nope|not really|i think i'?m (good|fine|all set)|no questions|i don'?t have (any|one))\b",
                  re.IGNORECASE)
REAL_WORK = re.compile(
    r"\b(incidents?|on-?call|outages?|post-?mortems?|evals?|evaluations?|decisions?|roadmap|priorit\w*|success"
    r"|first (90|ninety|hundred) days|(six|6|three|3) months|challeng\w*|problems?|hardest|tech(nical)? debt"
    r"|architecture|deploy\w*|releases?|ship\w*|working on|metrics?|customers?|migrations?|biggest|goals?"
    r"|trade-?offs?|code review|reliability|in flight|struggl\w*|blocker\w*|measure\w*)\b", re.IGNORECASE)
PAY_AND_PERKS = re.compile(
    r"\b(salary|salaries|pay|paid|compensation|bonus\w*|equity|stock|options|vacation|holidays?|pto|time off"
    r"|benefits|perks|remote|work from home|wfh|relocation|raise|stipend|gym|lunch|snacks|hours)\b", re.IGNORECASE)


# Speech runs questions together ("...right now, and is the role remote."), and Whisper does not always
# write a question mark: a new question also starts at "and" or "also" followed by a question word.
_SPLIT = re.compile(r"(?<=[.?!])\s+|,?\s+\b(?:and|also)\s+(?=(?:what|what's|how|who|when|where|why|which|is|are|do"
                    r"|does|can|could|would|will)\b)", re.IGNORECASE)
LEAD_IN_WORDS = 4  # "Yes, two. So, um, what is..." : a question word this early makes the sentence a question


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if s and s.strip()]


def is_question(sentence: str) -> bool:
    if sentence.rstrip().endswith("?"):
        return True
    words = re.findall(r"[\w']+", sentence)
    return any(OPENERS.match(" ".join(words[i:])) for i in range(min(LEAD_IN_WORDS, len(words))))


def kind_of(question: str) -> str:
    if REAL_WORK.search(question):
        return "real work"
    if PAY_AND_PERKS.search(question):
        return "pay and perks"
    return "general"


def judge_closing(text: str) -> JSON:
    """The questions asked, each with its kind, and a verdict with the question it rests on."""
    questions = [{"text": s, "kind": kind_of(s)} for s in sentences(text) if is_question(s)]
    kinds = {q["kind"] for q in questions}
    if not questions:
        said = "said nothing" if not text.strip() else f"said \"{text.strip()[:80]}\""
        verdict, advice = "no questions", (f"You {said}. Always have two or three questions ready: ask what the "
                                           "team is working on, or what success looks like in the first months.")
        evidence = text.strip()[:120]
    elif kinds == {"pay and perks"}:
        verdict, evidence = "only pay and perks", questions[0]["text"]
        advice = ("Pay and perks matter, but as your only questions they say what you want from the job, not "
                  "what you would do in it; ask about the team's work first and leave pay for the recruiter.")
    elif "real work" in kinds:
        verdict = "about the real work"
        evidence = next(q["text"] for q in questions if q["kind"] == "real work")
        advice = "Good: a question about the team's actual work shows you are already thinking about doing it."
    else:
        verdict, evidence = "general", questions[0]["text"]
        advice = ("A general question (culture, a typical day) is safe but forgettable; ask about a decision the "
                  "team has in flight, its last incident, or what success looks like in six months.")
    return {"questions": questions, "verdict": verdict, "evidence": evidence, "advice": advice,
            "transcript": text, "none_said": bool(NONE.match(text)) and not questions}
