"""Transcript -> STAR sections.

Method: every sentence gets a score for each of the five roles, then an ordered dynamic program (Viterbi
over the states situation -> task -> action -> result -> reflection, each optional, never going back)
picks the best labelling. An optional first state, a one-sentence result "headline", covers answers that
lead with the outcome and then tell the story.

Why this and not a plain per-sentence classifier: spoken answers are ordered, and a single sentence that
looks like another role ("we shipped it in May" in the middle of the Action) must not split a section in
two. The ordering constraint absorbs such a sentence into the section around it unless enough of what
follows agrees with it. The DP is exact, costs O(sentences x states), and leaves no tuning to chance.

Role scores combine two sources, both cheap and explainable:
- cue phrases, tense, pronouns and spaCy's entities (money, percent, dates) from en_core_web_sm;
- a multinomial naive Bayes over words and word pairs, trained at start-up on the bank's labelled
  exemplars (strong and weak) and on the dev split of the spoken-style set, so both the bank's language
  and the way people actually talk teach the segmenter.

Spoken answers need three more things, each measured on the spoken-style set (judgment_eval.py): a
sentence that goes on with "and", "which" or "because" pays to start a new section; only an opening
that states a change can be a result headline; and a transcript without punctuation is cut into clauses.
"""

from __future__ import annotations

import math
import re
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

from ..types import SECTION_NAMES, Segment, Sentence, Word
from .timing import SINGLE_FILLERS

# A pause this long ends a sentence even without punctuation (transcripts of run-on speech).
SENTENCE_PAUSE_S = 1.5
MAX_SENTENCE_WORDS = 45
# Who stands above the speaker, named the ways people name them: an ask from them is the work handed down
# (flags.py), and in a run-on it opens the Task ("...and the coordinator asked if I could").
ABOVE_WORDS = (r"manager|boss|lead|director|vp|skip|cto|ceo|pm|mentor|supervisor|professor|teacher|lecturer|tutor"
               r"|instructor|client|founder|skip-level"
               # ...and who runs the place outside a company: "the coordinator asked if I could make it simpler"
               r"|coordinator|organi[sz]er|chair|president|principal"
               r"|head of (the |our )?\w+")  # "the head of the office asked if I could help"
# Where a spoken clause starts, for transcripts that come without punctuation.
_CLAUSE_START = re.compile(
    r"^(so (i|we|first|then|basically|that)|and then|then i|but i|first i|after that|eventually"
    r"|i learned|what i learned|looking back|next time|now i|i think|the (result|outcome|lesson)"
    r"|(it|this|that) (was|wasn't) (my|not|nobody)|it was (a|one|last) \w+day\b"
    # ("...about twice that it wasn't my promise": "that" ends the clause before, "it" opens this one)
    r"|(that|this|the) (?!(it|he|she|they|we|i)\b)\w+ (wasn'?t|was not) (really |even )?(mine|ours|my|our)"
    r"|i (wasn't|was not|had no)|i (didn't|did not) (wait|bother|ask|think twice)|my (manager|lead|mentor|job"
    r"|goal)"
    # A run-on answer moves on with a first-person step or a change: "i added logging", "after my fix", "releases
    # went from four hours to".
    # ("and i kind of went off and built it": the "and" and a hedge before the step, five words read ahead)
    r"|(and )?i (kind of |sort of )?(added|wrote|built|changed|found|fixed|started|set|ran|moved|asked|talked"
    r"|decided|rewrote|put|got|said"
    r"|took|broke|told|sent|kept|spent|gave|brought|went|looked|noticed|pulled|called|sorted|listed|counted|timed"
    r"|measured|mapped|traced|profiled|diffed|lined|sat|showed|paired|walked|reviewed|tested|read|picked|chose|cut"
    # ...and stopping what was going wrong: "...not the junior who wrote it i killed the migration"
    r"|killed|stopped|rolled"
    # ("...so i said i'd take it on i reran the failing tests on my laptop")
    r"|reran|reproduced|reverted|checked|compared|tried|replayed|copied|paused|capped|disabled|restarted"
    # ...and what the digging found: "...because i'd built the tracking i figured out that apple mail loads it"
    r"|figured out)"
    # ...and being the one on duty ("and i was on support rotation that week so it was mine").
    r"|i was on (call|support|rotation|duty|the rota)|i was (the|an) on\b"
    # ...and the first step or the fix told as a cleft: "first thing was getting", "what i ended up doing was"
    r"|(the )?first thing (was|i did)|what i ended up"
    # ...the times after the fix, and a lesson opened with "what I'd say": "the next two incidents were picked up
    # in under three minutes", "we haven't had one since", "what i'd say is a postmortem with two actions"
    r"|the next (\w+ )?(incidents?|times?|weeks?|months?|releases?|quarters?|sprints?)\b"
    # ...and a lesson opened with what the speaker would repeat: "what i'd repeat is making the other person drive"
    r"|we (haven't|have not|never) (had|seen)|what i('d| would) (say|repeat)"
    # ...and what the outcome cost or spared: "...locks a table we lost about three hundred orders"
    r"|we (lost|saved) (about|around|roughly|maybe|only|just|\w+ (hundred|thousand))"
    # ...or got back: "...checking each batch against the row counts we had the table back in about four hours"
    r"|we had (it|them|everything|the \w+) back"
    # ...and a lesson opened with the thing done since: "...and lost no rows the thing i changed after that was"
    r"|the (one |main |big )?thing i (changed|learned|learnt|took|keep|kept|do|did)"
    # ...and the outcome after the last step: "i rewrote the data layer over one weekend we demoed it on time", "they
    # were building by hand we built the export first in two weeks"
    r"|we (demoed|shipped|launched|presented|released|built)"
    # ...a launch and a lesson said plainly: "it went live on time", "if i did it again i'd pair with them".
    r"|(it|we|they|the \w+) went (live|out)\b|if i (did it|did this|did that|had to|were to|could do)\b"
    # ...or news that sets the clock running ("i was going on leave in two months"), and the time after the work
    # ("while i was away it broke four times").
    r"|i was (going|leaving|moving|starting|about to)|i was (the|a|an) (\w+ )?(senior|lead|only|most|staff|principal"
    r"|owner|junior|intern|reviewer|approver)"
    r"|while i was (away|out|off|gone)"
    r"|after (my|the|that|this) (fix|change)"
    # ...a lesson opened the usual ways, a scope said in passing ("he wasn't my report", "it wasn't assigned"), an
    # outcome ("in the end").
    r"|what i('d| would)? (took|take|learned|learnt|realized|do|did|change|changed|keep)|so by (the|then|\w+day)\b"
    r"|(he|she|they|it|this|that) (wasn'?t|was not"
    r"|weren'?t) (really |actually |even |on )?(my|our|anyone|assigned|given|asked)"
    # ...what became of the person helped ("he was running the app that afternoon"), and a habit since ("now
    # whenever i hit a broken doc").
    # ...and what the others lost or kept ("they lost about half a day instead of two").
    r"|(he|she|they) (finished|shipped|started|stopped|got|lost|saved|missed|went with|used the|adopted|switched"
    r"|took over)"
    r"|(he|she|they) (was|were) (running|up|able|back|using)"
    r"|now (whenever|when|every|each|if|any time)"
    r"|in the end|as a result|by the end|(it|this|that) was on"
    # ...whose it was by right: "technically it belonged to the data team but they were swamped"
    r"|technically (it|this|that|the \w+) (belonged|was|sat|lived)"
    r"|after (about|around|a|an|one|two|three|four|five|six)\b"
    # ...the aim or the assignment ("and i wanted her to", "and our professor split the project"), and what became
    # of the work ("the club still uses it", "the front desk stopped").
    # ...("and it got dumped in my lap", the work handed over said of the work)
    r"|(and )?(it|this|that|the \w+) (got|was) (dumped|handed|given|passed|dropped|assigned|routed)\b"
    r"|(and )?(our|my|the) (" + ABOVE_WORDS + r") "
    r"(split|asked|told|gave|wanted|said|put|assigned)"
    # ...and a student's outcome: "and we handed it in on time" (five words are read ahead).
    r"|and we (handed|turned) (it|them|everything)|we (handed|turned) (it|them|everything|the \w+) in"
    # ...and what happened when the others met the work: "and when they pulled it in nothing matched".
    r"|and (then )?when (they|we|he|she|everyone|the others) (pulled|merged|tried|ran|used|saw|opened|tested)"
    r"|(the|our|my|their) \w+ (still|now|no longer|stopped|started))\b"
)
CLAUSE_MIN_WORDS = 8
TASK_CLAUSE_MIN_WORDS = 4
# ...and the clause before a lesson announced as such: "...two releases on time she got promoted the following year
# what i'd say is handing over decisions is harder" (the outcome is six words).
LESSON_AFTER_WORDS = 5
_LESSON_SAID = re.compile(r"^what i('d| would)? (say|learned|learnt|took away|keep|'d keep) (is|was)\b")
# A punctuated run-on that turns from the aim to the first step after a comma ("...and I wanted to find out
# why, so I ran it in a loop overnight") is cut there once it is this long.
LONG_RUN_WORDS = 14
# ("so I took it" is the Task taken on, not a step, so "took" is not among them.)
_TO_A_STEP = re.compile(r"^(so|and so|and then|then) i (ran|wrote|built|pulled|added|started|went|set|put|made"
                        r"|rewrote|checked|opened|called|moved|spent|dug|sat|tested|looked)\b")
# ...or, in the opening breath, turns from the scene to taking it on (or to whose it was not): "our deploys were
# failing one in five and nobody owned the pipeline, so I took it on" is a Situation and a Task in one sentence.
# (Later on, "..., so I said I'd fix it" is a step of the Action and stays whole.)
_TO_THE_TASK = re.compile(r"^(and )?so,? i (took it on|took it|picked it up|said i'?d|offered|volunteered"
                          r"|figured i'?d|stepped (in|up)|just (took|picked|did) it)\b"
                          # ...or to whose it was not: "..., and nobody had asked me to, it wasn't an
                          # engineering thing at all, but I thought I could get rid of it".
                          r"|^(and |but )?((nobody|no one) (had )?(asked|told) me"
                          r"|it (wasn't|was not) (even )?(my|our)"
                          r" (team|job|area|call|code|system|project|service|problem|responsibility|decision)"
                          # ...or whose the person helped was not: "..., and she wasn't on my project"
                          r"|(he|she|they) (wasn't|was not|weren't|were not) (even )?(on|in) (my|our))\b"
                          # ...or to the ask, the aim or the speaker's part: "..., and my lead asked me to find out
                          # why", "..., so my job was to get it built", "..., and I wanted to get her to lead one",
                          # "..., and I wasn't on call", "..., but I thought it would stall every feature".
                          r"|^(and |so |but )?(my|our|the) (\w+ )?(" + ABOVE_WORDS + r") (asked|told|wanted|gave|put"
                          r"|assigned)\b"
                          r"|^(and|so) (i (was|got) (asked|told|tasked|given)|my (job|task|goal|role|aim) was)\b"
                          r"|^(and|so) i (wanted|needed|had|decided|chose|set out) to\b"
                          r"|^(and |but )?i (wasn't|was not) (even )?(on call|on-call|asked|the owner|responsible)\b"
                          r"|^but i (thought|felt|wanted|disagreed)\b")
# ...or, as often, turns from the last step to the outcome with a date: "...with me just sitting in, in about
# three months his pull requests went from a thousand lines to under two hundred". Said without a full stop,
# the outcome was timed as Action, or the last step as Result (a live "result has run 0:24" cue, 13 s in).
_DATED_OUTCOME = re.compile(
    r"^(in|within|after|over|by) ((about|around|roughly|under|less than|just|only|like) )?"
    r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|a couple( of)?|\d+) "
    r"(days?|weeks?|months?|quarters?|years?|sprints?|hours?|minutes?)\b")

_CUES: dict[str, list[tuple[str, float]]] = {
    "situation": [
        (r"\b(while|when) (i was )?(working|i worked|i joined|i was)\b", 2.5),
        # How things always went is the scene: "every release needed me to run a set of manual checks".
        (r"^(so,? )?(every|each) (single )?[\w-]+( [\w-]+)? (needed|had to|took|required|went|failed|broke|waited)\b",
         2.0),
        # A peer's request is how the story starts, not the work handed down (flags.py reads no ask in it either):
        # "a designer on my team asked me to help her figure out why the sign-up page converted so badly".
        (r"^(so,? )?(a|one|another) ([\w-]+ ){0,2}(colleague|teammate|designer|engineer|developer|coworker"
         r"|co-worker|friend|peer|analyst)( (on|from|in) (my|our|another|a different|the) ([\w-]+ )?(team|group))? "
         r"asked me\b", 3.0),
        (r"\bi was (a|an|the|on|working|leading|one of)\b", 1.5),
        (r"\b(at|in) (my|our) (last|previous|old|current|former)\b", 2.0),
        (r"\b(back in|at the time|a few (years|months) ago|last year|years ago)\b", 1.5),
        (r"\b(there was|there were|we had|our team had|the team had|it was)\b", 1.0),
        (r"\b(was|were) (failing|struggling|broken|slow|down|behind|dropping|flaky|missing|stuck)\b", 1.5),
        # What the company did, as the scene of the story: "we ran the class booking site for a few hundred gyms".
        (r"^(so,? |okay,? |well,? |and )*(we|our team|our company|the company) (ran|run|make|made|sold|sell|built"
         r"|build) (the|a|an|our) [\w -]{1,40}? (for|used by) (a few |about |around |over |some )?(\w+ )?"
         r"(hundred|thousand|dozen|million|\d+)", 1.5),
        # ...and what had been done before the story starts, told in the past perfect: "we'd built a saved searches
        # feature and almost nobody used it" (not "I'd build", what the speaker would do).
        (r"^(so,? |okay,? |well,? |and |um,? )*(we|i|our team|the team)('d| had) (built|made|launched|shipped|written"
         r"|released|added|rolled out|spent)\b", 2.0),
        # ...and where things sat, hard to find: "the orders page was buried three taps deep".
        (r"\b(was|were) (buried|hidden|tucked away|scattered|spread) (\w+ ){0,3}(in|across|under|over|behind|deep"
         r"|among)\b", 1.5),
        (r"\b(context|background|setup|set up was)\b", 1.0),
        (r"\b(company|startup|team of|org|organization|platform team|customers were)\b", 0.8),
        (r"\b(so|okay|well),? (this was|the story|it was)\b", 1.0),
        # How people open a story out loud: where they worked, when, and their remit there.
        (r"\bi (worked|was working|was interning|interned|was volunteering) (at|for|in|on)\b", 2.5),
        (r"\b(in|during) my (internship|first|second|third|final|last|previous|capstone|senior|junior"
         r"|freshman)\b", 2.0),
        (r"\b(this|it) was (at|in|during|back|right before|on a)\b", 1.5),
        (r"\bmy (responsibilities|duties) (were|was|included)|\bmy (job|role) was (mostly|basically|just"
         r"|really)\b", 3.5),
        # Ongoing or habitual states set the scene: "refunds were taking ten days", "it would fall over".
        (r"\b(was|were) (getting|taking|failing|crashing|sitting|running|losing|using|sending|asking)\b", 1.0),
        (r"\b(kept|keep) [a-z]+ing\b|(?<!\bi )(?<!\bi')\bwould (go|fall|take|show|come|sometimes|just|disappear|get"
         r"|crash|fail|break|back up)\b", 1.2),
        # The speaker's own slip as the scene of an incident story: "I changed a cleanup job and I got the where
        # clause wrong" opens the story; the steps come after it.
        (r"\bi (got|had) (the|a|an|my) ([\w-]+ ){0,2}wrong\b|\bi (made|had made) (a|one|the) (\w+ )?mistake\b", 1.5),
    ],
    "task": [
        (r"\b(not my team|wasn'?t my|was not my|outside (of )?my|nobody asked|no one asked|no ticket|not assigned"
         r"|nobody owned|no one owned|no clear owner|no owner|(nobody|no one) was (really )?(in charge|responsible)"
         # "I wasn't on the team that had the outage, but I ran the review": not one's own, as the flags hear it
         r"|i (wasn'?t|was not) (even )?on (the|that|their|his|her) ([\w-]+ ){0,2}(team|project|rota"
         r"|rotation))\b", 3.5),
        (r"\b(my (goal|job|task|role|responsibility|aim|mandate)|the (goal|task|challenge|ask) was)\b"
         r"|\bi (set|gave) myself (a|the|one) (goal|target|deadline|rule)\b", 3.0),
        (r"\b(i (needed|had|wanted|decided|set out|chose)( us| them| him| her| it)? to|i took (it on|ownership"
         r"|responsibility))\b", 2.0),
        (r"\bi'?ll (find|sort|take|fix|handle|look|own|get)\b|\b(agreed|decided) i'?d\b|\bi ran the (postmortem"
         r"|project|incident)\b", 3.0),
        # A sentence that is only the speaker's role ("I led the review afterwards.") is the Task; its past-tense
        # "I led" otherwise reads as the first Action step.
        (r"^(so |and |um |uh )*i (ran|led|owned|chaired|coordinated) the (\w+ )?(postmortem|post-mortem|review|retro"
         r"|retrospective|project|incident|investigation|effort|rollout|migration|launch)( afterwards| after that"
         r"| for (it|that|this))?[.!]?$", 5.0),
        (r"\b(gave|handed) (it|this) to me\b|\bi was (put )?in charge\b", 2.5),
        (r"\b(told|asked) us (we|that we) (had|needed) to\b|\bi ended up (running|leading|owning|in charge)\b"
         r"|\b(pitched|proposed|offered|suggested)( to [a-z]+( [a-z]+)?)? that i'?d\b"
         r"|\bown (it|this|the \w+) end to end\b", 3.0),
        (r"\b(i was (asked|assigned|tasked|told|responsible)|(asked|told|assigned) me to)\b"
         # the ask by message, and what it asked: "my manager messaged me and said can you take a look"
         r"|\b(messaged|pinged|called|texted|emailed|slacked) me,?( and)? (said|asked)\b"
         r"|\bcan you (take a look|look into|handle|own|deal with|sort out)\b", 2.5),
        # someone else's by right, and the ask: "technically the export sat with the data team", "the ask I got"
        (r"\b(technically|strictly speaking),? (the|it|this|that)\b|\bthe ask (i got |we got )?was\b", 2.0),
        # ...and the remit said sideways: "not anything in my backlog", "so I asked if I could have a go at it"
        (r"\bnot (anything |something )?(in|on) my (backlog|list|plate)\b|\basked if i could (have a go|take|try"
         r"|look|own|pick)\b"
         # ...or asked of the one above: "so I asked our supervisor if I could run a short check-in"
         r"|\basked (my|our|the) (\w+ )?(" + ABOVE_WORDS + r") (if|whether) i could\b", 2.5),
        # ("I volunteered as the tech lead for a food charity" is where the story is set, not an offer.)
        (r"\b(i owned|it fell to me|i volunteered(?! (as|at|for|with|in)\b)|i stepped in|i made it my)\b", 2.0),
        # A remit said in passing, often as an aside back to the Task: "part of what I owned was the cleanup".
        (r"\b(part of )?what i (owned|was responsible for|signed up for|was on the hook for) (was|were|is)\b", 3.0),
        # ...and the aim said as a cleft: "so what I wanted was to stop the plan", "what I needed to do was".
        (r"\bwhat i (wanted|needed|was trying|set out|had)( to do)? (was|is)\b", 3.0),
        (r"\b(had to (decide|figure out|find|get|make|deliver|fix|ship))\b", 1.2),
        # The aim as curiosity: "I got curious why so many people phoned in", "I wondered why it only failed here".
        (r"\bi (got|was|became) (really |so |kind of )?curious\b|\bi (wondered|started wondering) (why|how|what"
         r"|whether|if)\b", 2.0),
        # Scope said the way people say it: "nobody's job", "it wasn't really my call", "that was on me".
        (r"\b(nobody|no one|anyone|any one team)'?s (job|problem|area|responsibility|charter|project)\b", 3.5),
        (r"\b(wasn'?t|was not|isn'?t) (really |in )?(my|our|anyone'?s|any one team'?s) \w+|, not mine\b", 3.0),
        (r"\b(it|this|that) was (all )?on me\b|\b(was|were) mine\b|\bi had no authority\b", 3.0),
        (r"\b(it|this|that) was my (call|job|change|script|design|plan|project|doing|mistake|decision|fault)\b", 3.0),
        (r"\b(it|this|that) was (squarely|fully|entirely|clearly) (my|our) (job|problem|responsibility)\b", 3.0),
        (r"\bi (volunteered(?! (as|at|for|with|in)\b)|offered|stepped up|asked to take|took (it|this) on|said i'?d"
         r"|told my manager i'?d)\b"
         r"|\bi (put|stuck) my hand up\b|\bi raised my hand\b", 2.5),
        # ...or taken off the board: "I picked a change to how we retried failed payments off the board"
        (r"\bi (picked|grabbed|pulled|took) ([\w-]+ ){1,10}?(off|from) the (board|backlog|queue)\b"
         r"|\bi picked up (the|a|that|this) (ticket|task|story|bug|issue)\b", 2.5),
        # ...and the commitment told as an aside: "it was my team's test, so I'd told my lead I'd spend two days".
        (r"\bi'?d? told (my|the|our) (manager|lead|boss|team lead|tech lead|team) (that )?i'?d\b"
         r"|\b(it|this|that) was (my|our) team'?s (test|code|service|job|problem|bug|pipeline|system|project|mess"
         r"|responsibility|call)\b"
         # ...or another team's, said on its own: "the model serving wasn't mine, it was the ML platform team's"
         r"|\b(it|this|that) was the [\w-]+( [\w-]+)? team'?s(?=[,.]|$| (but|and|so)\b)", 2.5),
        (r"\b(nobody|no one) (had |really )?asked( me)?\b|\bhadn'?t asked\b"
         r"|\b(didn'?t|did not|never) ask(ed)? (me |us )?(for (it|this|that)|to)\b", 3.0),
        # Being the one it came to is the remit, not the scene: "I was the one they came to".
        (r"\bi was the (one|person) (who|they|that|people|everyone)\b|\b(they|people|everyone) came to me\b"
         r"|\b(landed|fell) (on|to) me\b|\bon my plate\b", 2.5),
    ],
    "action": [
        # (An ordinal that counts time is not the order of steps: "by the end of the second week", "next time".)
        (r"\b((first|second|third|next)(?! (day|week|month|quarter|year|sprint|time)s?\b)|then|after that|finally"
         r"|so i|i started|i began)\b", 1.2),
        # An answer that opens on its first step: "so the first thing I did, before anything else, was..."
        # ...or as a cleft: "so what I ended up doing was writing a little bot"
        (r"\b(the )?first thing (i|we) did\b|\bwhat i (ended up doing|did) (was|is)\b", 2.5),
        # ("I also pulled", "I then wrote": a step all the same)
        (r"\bi ((also|then|first|just|even|finally) )?(pulled|traced|wrote|built|added|ran|reproduced|met|talked"
         r"|proposed|created|designed|reviewed|scheduled"
         r"|paired|analy[sz]ed|measured|set up|rolled back|profiled|interviewed|drafted|mapped|benchmarked|prototyped"
         r"|migrated|documented|presented|split|automated|introduced|led|sat down|compared|gathered|coached|asked"
         r"|brought|submitted|shadowed|read|dug|instrumented|replaced|tested|shipped|organized|walked|sent|called"
         r"|looked|checked|opened|reached|worked(?! (at|for|as)\b)|spent|got"
         # changing the thing itself: "I changed the setup to wait until the port answered"
         r"|changed|rewrote|removed|switched|swapped|moved|renamed|deleted|updated|patched|pointed|copied"
         # ...and stopping the harm and telling the people it hit: "I turned it off for everyone and emailed them"
         r"|emailed|messaged|turned (it|them|the \w+) (off|on)"
         # ...and sorting what was found: "I tagged every server cost by which customers used it"
         r"|tagged|labell?ed|grouped|categori[sz]ed)\b", 2.2),
        (r"\bwe (pulled|traced|wrote|built|added|ran|met|talked|created|designed|reviewed|set up|decided|figured"
         r"|worked|looked|went|changed|moved|started|tried|fixed|did)\b", 1.6),
        (r"\b(root cause|pull request|pr\b|patch|prototype|dashboard|runbook|design doc|one-on-one|1:1|postmortem"
         r"|alert|logs?|traces?|test|canary|rollback|migration|script|queue)\b", 0.7),
    ],
    "result": [
        # ("...every page ended up with me" is where the work landed, the scene, not an outcome.)
        # (nor is the step told as a cleft: "what I ended up doing was writing a bot")
        (r"\b(as a result|in the end|the result|the outcome|end result|ended up(?! (with|on|at) me\b)(?! doing\b)"
         r"|overall|all in all)\b", 2.5),
        (r"\b(dropped|reduced|increased|improved|saved|cut|grew|rose|fell|went (from|down|up)|down to|up to|halved"
         r"|doubled|recovered|eliminated|zero)\b", 1.6),
        (r"\b(revenue|customers?|users?|churn|conversion|retention|per (week|month|quarter|year)|dollars|hours"
         r"|support tickets|on time|ahead of)\b", 1.0),
        (r"\b(adopted|became the standard|rolled out to|promoted|now uses|since then|reused|still (runs|used))\b", 1.4),
        (r"\b(the (team|customer|client|manager) was (happy|pleased|satisfied)|things (got|went) better)\b", 1.5),
        # Outcomes as people tell them: who agreed, what shipped in time, what it led to.
        # ("...and run the move if they agreed" is the offer, not the outcome.)
        (r"(?<!\bif )\b(he|she|they|everyone|the team|the client|the customer) (agreed|signed off|said yes|went with"
         r"|renewed|listened)\b", 1.8),
        (r"\b(on time|on schedule|before the deadline|ahead of schedule|in time|went ahead)\b", 1.5),
        (r"\b(eventually|by the time|after (that|my fix|the fix|the change)|within (a|an|\w+) (days?|weeks?|months?"
         r"|quarters?|years?))\b"
         # the time after the work, by a span of the speaker's life: "by the end of my internship the team had..."
         r"|\bby the end of (my|the|that|our) (first |second |third |next )?(internship|summer|semester|term|quarter"
         r"|year|program|rotation|week|month)\b"
         # ...or by a count of days: "by day eight I did a deploy on my own"
         r"|\bby (day|week|month) (\w+)\b", 1.5),
        (r"\b(it|that) (worked|paid off|made a difference)\b|\b(was|got) promoted\b|\bcaught up\b|\bback to normal\b"
         r"|\bthe (short version|headline)\b|\blong story short\b", 1.5),
        (r"\bdid (pretty |really |very )?well\b|\b(lower|higher|faster|fewer|better) than (before|when|it was"
         r"|we)\b", 1.5),
        (r"\bwe (finished|launched|won|hit|made it|got it done)\b", 1.2),
        # Vague outcomes are still outcomes (and then lack a number): "it got better", "people seemed happier".
        (r"\b(it|things|everything|that|they|he|she|people|everyone) (got|went|became|seemed|felt|was|were) (a lot "
         r"|much "
         r"|way |so |really |pretty )?(better|easier|faster|smoother|happier|calmer|relieved)\b", 1.5),
        (r"\b(he|she|they|people|users|customers|the team|everyone) (actually )?started (using|logging|shipping|asking"
         r"|coming|reviewing|writing)\b", 1.2),
        # What the work came to, told in the first person: "I fixed that one line and it passed the big test two
        # hundred times in a row", "I got full marks", "when he left I handled the next four incidents".
        (r"\b(passed|held|worked|ran clean)\b[^.]{0,40}\bin a row\b|\b(got|earned) (full|top) marks\b"
         r"|\bwhen (he|she|they) left\b|\b(was|were) never (blocked|stuck|late|down)\b"
         # ...and what a learner could then do alone: "by day eight I did a deploy on my own"
         r"|\b(did|ran|shipped|handled|deployed|fixed|led|finished) (\w+ ){0,3}(on my own|by myself|alone)\b(?! time)",
         2.0),
        # ...and who stayed: "after that people were a lot less tired and nobody quit, which had been a real risk"
        (r"\b(nobody|no one|none of (us|them)) quit\b", 1.5),
        (r"\bcost (us )?(about |only |roughly |around |maybe )?(a (fifth|third|quarter|half|tenth|fraction)|half"
         r"|twice)\b"
         r"|\bnever (hit|had|saw|needed)\b", 1.5),
    ],
    "reflection": [
        (r"\b(i learned|i learnt|learned that|lesson|takeaway|taught me|in retrospect|looking back|in "
         r"hindsight)\b", 3.5),
        (r"\b(next time|if i did it again|if i had to do it again|i would (have|now|do)|i'd (do|have|now)"
         r"|differently)\b", 3.0),
        (r"\b(now i (always|make|ask|start|check|try)|since then i|these days i|going forward|i now)\b", 2.5),
        (r"\b(i realized|i realised|what i took away|it showed me|made me realize)\b", 2.2),
        (r"\b(is important|matters|the real (problem|root cause|gap) was)\b", 1.2),
        (r"\bwhat (stuck with me|i'?d take|i took from|i'?d keep)\b|\bif i (made|did|had|were to do) (it|this|that) "
         r"(again|over)\b", 3.0),
        (r"\bnow (whenever|when|every time|any time|before|the first thing) i\b|\bi (still|always) (do|use|start|try"
         r"|ask|look|check|write)\b", 2.0),
    ],
}
_COMPILED = {role: [(re.compile(p), w) for p, w in cues] for role, cues in _CUES.items()}
_FILLERS = re.compile(r",?\s*\b(like|um+|uh+|er+|hmm+|you know|i mean|kind of|sort of|kinda|sorta)\b,\s*")
_NUMBER = re.compile(r"(\d|\b(percent|half|twice|double|triple|thousand|million|hundred|a third|a quarter)\b)")
# What a result-first headline does: it states a change ("I cut the bill by sixty percent").
_OUTCOME = re.compile(
    r"\b(cut|saved|reduced|dropped|doubled|tripled|halved|increased|improved|grew|raised|lifted|slipped)\b"
    r"|\bended up (cutting|saving|reducing|halving|doubling|tripling|improving|raising)\b"
    r"|\bcost (us|the company|the team)\b"
    r"|\bfrom [^,.]{1,30} to\b|\b(up|down) by\b|\b(got|was|were) promoted\b|\bwon\b"
    # a service given back, with how soon: "we got checkout back in 22 minutes"
    r"|\b(got|brought|had) (\w+ ){1,3}back (up |online )?(in|within)\b"
)

# ...but a change asked for, wanted or needed is the aim, not the outcome: "I was asked to cut our cloud bill, which
# was eighty thousand a month" opens with the Task ("we managed to cut it by half" is still an outcome).
_AIMED_AT = re.compile(r"\b((was|were|got) (asked|told|tasked)|(wanted|needed|had|tried|trying|hoping|meant|expected"
                       r"|supposed|going)|(the|my|our) (plan|goal|job|aim|ask|task|brief) (was|is)) to( \w+)?")
# The speaker says the opening is the outcome: "so the headline is...", "long story short...", "the outcome was".
# Whisper writes the lead-in with its commas: "So, the short version is", "Um, so, long story short".
_ANNOUNCED = re.compile(r"^((so|okay|well|um|uh),? )*"
                        r"(the (headline|short version|short of it|gist|upshot|tl;?dr|bottom line|punchline)"
                        r"|long story short"
                        # ...or names it as the outcome before telling how: "The outcome was the lab got results
                        # to doctors a day sooner."
                        r"|the (outcome|end result|net result|result) (was|is)"
                        r"|to cut a long story short|in short|basically the result"
                        # ...or starts there: "I'll start with the end, because it's the part I'm proudest of"
                        r"|(i'll|let me|i'm going to|i want to) (start|begin) (with|at) (the end|the result|the outcome"
                        r"|how it (ended|turned out)))\b")

# How far through the answer each role usually sits (0 = start, 1 = end); a weak prior.
_POSITION = {"situation": 0.08, "task": 0.2, "action": 0.5, "result": 0.8, "reflection": 0.93}
LIVE_EARLY_WEIGHT = 6.0


def split_sentences(words: Sequence[Word]) -> list[Sentence]:
    """Cut at sentence punctuation, at long pauses, and at a length cap for run-on speech.

    A transcript with (almost) no sentence punctuation is also cut where a spoken clause starts ("so I",
    "and then", "I learned"), once the current sentence has CLAUSE_MIN_WORDS words."""
    sentences: list[Sentence] = []
    current: list[Word] = []
    ends = sum(w.text.rstrip("\"')").endswith((".", "?", "!")) for w in words)
    unpunctuated = len(words) >= 40 and ends < len(words) / 40
    for k, word in enumerate(words):
        if current and (
            word.start_s - current[-1].end_s >= SENTENCE_PAUSE_S or len(current) >= MAX_SENTENCE_WORDS
            or (unpunctuated and _long_enough(current, words, k) and _starts_clause(words, k))
            or (len(current) >= LONG_RUN_WORDS and current[-1].text.endswith(",") and _turns_on(words, k))
            or (len(current) >= CLAUSE_MIN_WORDS and _clause_comma(current[-1])
                and _HELD_SINCE.match(_ahead(words, k, 6)))
            or (not sentences and len(current) >= CLAUSE_MIN_WORDS and _clause_comma(current[-1])
                and _TO_THE_TASK.match(_ahead(words, k, 5)))
        ):
            sentences.append(Sentence(len(sentences), tuple(current)))
            current = []
        current.append(word)
        if word.text.rstrip("\"')").endswith((".", "?", "!")):
            sentences.append(Sentence(len(sentences), tuple(current)))
            current = []
    if current:
        sentences.append(Sentence(len(sentences), tuple(current)))
    return sentences


def _long_enough(current: Sequence[Word], words: Sequence[Word], k: int) -> bool:
    """Whether a clause has the words it needs before a spoken clause start cuts it: fewer when it is the work taken
    on, which people say in a few words ("...never on mobile data so i said i'd chase it down i got three of the
    users..."), or when a lesson announced as such comes next. The opening is read only while the clause is short."""
    return len(current) >= CLAUSE_MIN_WORDS or (
        len(current) >= TASK_CLAUSE_MIN_WORDS and bool(_TO_THE_TASK.match(_ahead(current, 0, 5)))) or (
        len(current) >= LESSON_AFTER_WORDS and bool(_LESSON_SAID.match(_ahead(words, k, 5))))


def _clause_comma(word: Word) -> bool:
    """A comma that closes a clause, not a hesitation ("and I, um, I had to get the budget in" is one breath)."""
    return word.text.endswith(",") and word.text.lower().strip(",") not in _HESITATIONS


# The single-word fillers the delivery measures count, and the words a restart or a hesitation leaves before a comma.
_HESITATIONS = SINGLE_FILLERS | {"like", "i", "so", "well", "and"}


def _ahead(words: Sequence[Word], k: int, n: int) -> str:
    """The n words from word k, lower case, without commas: what a cut rule reads."""
    return " ".join(w.text.lower().strip(",") for w in words[k:k + n])


# The fix holding since, after the last step: "...which was like a three line change, and it hasn't failed once in
# about four thousand runs since". Cut at a comma once the sentence has CLAUSE_MIN_WORDS, and without punctuation.
# (Told in the present perfect: "and it never failed on my laptop" is what a step found.)
_HELD_SINCE = re.compile(r"^(and )?(it|this|that|they|the \w+) (hasn't|has not|haven't|have not|has never|have never) "
                         r"(\w+ )?(failed|broken|crashed|paged|flaked|happened|come back|gone down)\b")


def _turns_on(words: Sequence[Word], k: int) -> bool:
    """Whether a long run-on turns to a step or to a dated outcome at word k."""
    ahead = _ahead(words, k, 5)
    return bool(_TO_A_STEP.match(ahead) or _DATED_OUTCOME.match(ahead))


# A measure that moved, named at more length than the five words a cut reads (this one reads eight): "...checked with
# each team that their numbers matched the bill for that database dropped by a bit over half".
# (A change by an amount, not "the demo kind of fell apart".)
_CHANGE = (r"([\w'-]+ ){0,4}((dropped|fell|rose|shrank|grew) (by|to|from|below|under"
           r"|about|around|almost|nearly|roughly|a|an|half|over)|halved|doubled|tripled"
           r"|went (up|down|from)"
           # ...or back to normal, or in under the estimate: "the predictions got back to within a minute",
           # "the bill for the weekend came in at about two thousand"
           r"|(got|came|went) back (to|under|below|within)|came in (at|under|below))\b")
_CHANGED = re.compile(r"^(the|our|their|my) " + _CHANGE)
# ...and a thing named with "a", where nothing before makes it the object ("...to make sure nothing got dropped a
# release went from most of a day to about forty minutes", not "searches that ended in a purchase went up").
_A_THING_CHANGED = re.compile(r"^a " + _CHANGE)
# An outcome dated from the work, after the last step without a full stop: "...so the others could see it work
# within two quarters six of the seven teams had moved". Not the time a step took: "i checked each item was done
# within a month".
_WITHIN = re.compile(r"^within (a|an|one|two|three|four|five|six|a few|a couple of|about|the first|the next|\d+) "
                     r"(\w+ )?(days?|weeks?|months?|quarters?|years?|sprints?)\b")
_COMPLETED = {"done", "finished", "complete", "completed", "fixed", "shipped", "live", "ready", "delivered", "out",
              "over", "built", "migrated", "moved", "replaced",
              # ...nor what people did with it, dated: "a fifth of saved carts got bought within a week"
              "bought", "sold", "paid", "used", "opened", "read", "sent"}


# The outcome told as what people could now do, after the last step without a full stop: "...and i fixed every
# place it broke new people could get the app running on their first morning". Not after a word that binds it
# to the step before ("so that people could", "which people could").
_ABLE_NOW = re.compile(r"^((the|our|all the|every|new|most) )?(people|everyone|everybody|users|customers|hires"
                       r"|staff|folks|teams?|new (people|hires|starters|joiners)) (could|can|were able to)\b")
# The lesson told as what the speaker would do, after the outcome without a full stop: "...pushing real changes
# that same week i'd watch a new person do it earlier". Not the speaker's word given or reported ("i said i'd
# write it", "so i'd have time").
_WOULD_NOW = re.compile(r"^i'?d (\w+ )?(watch|start|build|do|ask|bring|write|talk|try|spend|push|check|set|involve"
                        r"|test|look|pair|go|get|put|plan|measure|loop|share|say|sit|keep)\b")
_REPORTING = {"said", "told", "that", "thought", "knew", "decided", "figured", "promised", "if", "because", "so",
              "agreed", "offered", "guess", "hoped", "felt"}
# ...and not inside a longer subject: "the other teams could see".
_BINDING = {"so", "that", "because", "until", "till", "where", "when", "if", "once", "while", "unless", "which", "who",
            "the", "other", "our", "their", "new", "all", "every", "most", "some", "more"}


# The outcome told in the present, after the last step without a full stop: "...until she trusted what it spat out
# now it takes her about forty minutes". Not what binds it to the clause before ("she said now it takes").
_TAKES_NOW = re.compile(r"^now (it|the \w+) (only )?(takes|runs|costs)\b")
# "finally" opens the last step or the outcome ("...finally i got the vendor on a call"), not after the verb it
# qualifies ("the coordinator could finally tell the council").
_FINALLY = re.compile(r"^finally\b")
_QUALIFIED = {"could", "can", "would", "will", "was", "were", "is", "are", "had", "has", "have", "got", "be", "been"}
# What broke, working again after the last step: "...a test that runs it on sample data the monday report came out
# again that week", "...and they sorted it out over the weekend the reports ran fine on monday". Not inside a longer
# clause ("so that the report ran again").
_AGAIN = re.compile(r"^(the|our|their|my) ((?!(the|our|their|my) )[\w'-]+ ){0,3}"
                    r"(came (back|out)|ran|worked|went out|loaded|synced) (again|fine|normally|on time)\b")
# "nobody" opens a clause ("...and nobody owned the pipeline"), not after a word that binds it ("the only reason it
# broke was nobody's name was on it", "product thought nobody used it", "before deciding nobody does").
_NOBODY = re.compile(r"^nobody\b")
_BINDS_NOBODY = _BINDING | _REPORTING | {"was", "is", "were", "deciding", "thinking", "saying", "assuming"}
# The aim or the ask opens a clause ("...and i wanted her to lead one"), not after a word that makes it the reason
# for the clause before ("i asked my manager if i could take it because i wanted something front end").
# ...or the wish not to, and curiosity: "...all in my head and i didn't want to be the reason a deploy waited",
# "...wanted it rolled back i was curious whether that was true".
_AIM = re.compile(r"^(and )?i (wanted|needed|had to|was (given|asked|told|supposed)|didn't want|did not want"
                  r"|was (curious|wondering))\b")
_BECAUSE = {"because", "cause", "'cause", "since", "as", "if", "when", "that"}
# The lesson said as a cleft with what was done for its subject, after the outcome without a full stop: "...which they
# needed for their grant watching before building is what i'd keep", "...with the cap in place pausing instead of
# killing is what made it easy". Not a gerund the clause before governs ("i started watching before building").
_LESSON_CLEFT = re.compile(r"^[a-z]+ing ([\w'-]+ ){0,6}(is|was) (what|the thing|the part|why)\b")
# The scene in the past progressive, after a result-first headline without a full stop: "...saved us about four
# months of work we were launching a scheduling app". Not after a word that binds it ("when we were launching").
_WERE_DOING = re.compile(r"^we were (\w+ing)\b")
# ...and how the thing had come to be, in the past perfect, after a headline: "...from about ninety thousand a month to
# about thirty our logs had grown every year".
_HAD_BECOME = re.compile(r"^(our|the|their|my) ([\w-]+ ){0,2}had (grown|been|gotten|got|become|gone)\b")
# ...and nobody owning it, said of the thing: "...both were sending them the old system had no owner since its team
# was broken up".
_NO_OWNER = re.compile(r"^(the|our|their|its) ([\w-]+ ){0,2}(had|has) no (owner|one owning it|team)\b")
# A measure that moved or a thing sent, named in one word ("...releases went from four hours to", "...and some angry
# customers invoices went out from two systems"), not inside a longer name
# ("...searches that ended in a purchase went up", "search traffic to our docs went up").
_WENT = re.compile(r"^\w+ went (from|up|down|out)\b")
_NAMES_IT = {"a", "an", "the", "to", "of", "in", "for", "on", "at", "with", "by", "our", "their", "my", "your", "his",
             "her", "its", "that", "this", "these", "those"}
# Words after which a clause is bound to the one before it (its reason, its report or its subordinate).
_BINDS_A_CLAUSE = _BINDING | _REPORTING | _BECAUSE
_GOVERNS_GERUND = _BINDING | {"started", "kept", "stopped", "tried", "began", "about", "of", "for", "by", "on", "in",
                              "at", "with", "without", "from", "to", "after", "before", "like", "and", "or", "was",
                              "is", "be", "been", "were", "are", "i", "we", "they", "he", "she", "it"}

# The clause starts that hold only after some words: (pattern, words read ahead, words before that rule it out).
_GUARDED_STARTS = ((_ABLE_NOW, 5, _BINDING), (_WOULD_NOW, 5, _REPORTING), (_WITHIN, 5, _COMPLETED),
                   (_CHANGED, 8, _BINDING), (_A_THING_CHANGED, 8, _BINDING | _NAMES_IT), (_TAKES_NOW, 5, _REPORTING),
                   (_FINALLY, 1, _QUALIFIED), (_AIM, 5, _BECAUSE), (_AGAIN, 7, _BINDING), (_NOBODY, 1, _BINDS_NOBODY),
                   (_LESSON_CLEFT, 9, _GOVERNS_GERUND), (_WERE_DOING, 4, _BINDS_A_CLAUSE),
                   (_WENT, 3, _NAMES_IT), (_NO_OWNER, 6, _BINDING | _REPORTING), (_HAD_BECOME, 5, _BINDS_A_CLAUSE),
                   (_HELD_SINCE, 6, set[str]()))


def _starts_clause(words: Sequence[Word], k: int) -> bool:
    # Five words ahead: "and our professor split", "it wasn't really anyone's", "and i kind of went".
    if _CLAUSE_START.match(_ahead(words, k, 5)):
        return True
    before = _ahead(words, k - 1, 1)
    return any(before not in ruled_out and pattern.match(_ahead(words, k, n))
               for pattern, n, ruled_out in _GUARDED_STARTS)


def tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9$%']+", text.lower())


class NaiveBayes:
    """Multinomial naive Bayes over words and word pairs, with add-one smoothing."""

    def __init__(self, examples: Iterable[tuple[str, str]]):
        self.counts: dict[str, Counter[str]] = {role: Counter() for role in SECTION_NAMES}
        for text, role in examples:
            self.counts[role].update(self._features(text))
        self.totals = {role: sum(c.values()) for role, c in self.counts.items()}
        self.vocab = len(set().union(*self.counts.values())) + 1

    @staticmethod
    def _features(text: str) -> list[str]:
        toks = tokens(text)
        return toks + [f"{a}_{b}" for a, b in zip(toks, toks[1:], strict=False)]

    def log_probs(self, text: str) -> dict[str, float]:
        feats = self._features(text)
        scores = {}
        for role in SECTION_NAMES:
            counts, total = self.counts[role], self.totals[role] + self.vocab
            scores[role] = sum(math.log((counts[f] + 1) / total) for f in feats)
        # Per-feature average, so long sentences do not swamp the cue scores.
        n = max(len(feats), 1)
        return {role: s / n for role, s in scores.items()}


def cue_scores(text: str) -> dict[str, float]:
    low = text.lower()
    # A filler can split a cue ("I was, like, the billing system"): a cue counts if it is in the words as said
    # or in them with the fillers taken out.
    bare = _FILLERS.sub(" ", low)
    forms = (low,) if bare == low else (low, bare)
    scores = {role: sum(w for rx, w in _COMPILED[role] if any(rx.search(f) for f in forms)) for role in SECTION_NAMES}
    if _NUMBER.search(low):
        scores["result"] += 1.2
    return scores


class SentenceParses:
    """spaCy's parse of each sentence, kept for the next reader. The segmenter's evidence and the flags' count of
    the Action's steps read the same sentences, and a live drill segments the same opening again every 3 s; parsing
    is most of an analysis's time, so a sentence is parsed once. The most recent `keep` sentences are kept: a kept
    parse holds about 27 KB, and an answer is 10 to 40 sentences (a sentence no longer kept is parsed again)."""

    def __init__(self, nlp: Any, keep: int = 64):
        self.nlp = nlp
        self.keep = keep
        self._docs: OrderedDict[str, Any] = OrderedDict()  # read and written by one thread (the analysis's)

    def __call__(self, texts: Sequence[str]) -> list[Any]:
        new = [text for text in dict.fromkeys(texts) if text not in self._docs]
        self._docs.update(zip(new, self.nlp.pipe(new), strict=True))
        for text in texts:
            self._docs.move_to_end(text)
        docs = [self._docs[text] for text in texts]
        while len(self._docs) > self.keep:
            self._docs.popitem(last=False)
        return docs

    def tokens(self, texts: Sequence[str]) -> list[Any]:
        """The tokens of these sentences' parses, one sentence after another (what `flags.parsed_steps` reads)."""
        return [token for doc in self(texts) for token in doc]


def parse_features(doc: Any) -> dict[str, float]:
    """Role evidence from spaCy's parse of one sentence: tense, first-person subjects and entity types."""
    f = dict.fromkeys(SECTION_NAMES, 0.0)
    past = sum(t.tag_ in ("VBD", "VBN") for t in doc)
    modal = sum(t.tag_ == "MD" for t in doc)
    first_subj = sum(t.lower_ in ("i", "we") and t.dep_ == "nsubj" and t.head.tag_ == "VBD" for t in doc)
    ents = {e.label_ for e in doc.ents}
    if ents & {"MONEY", "PERCENT", "QUANTITY"}:
        f["result"] += 1.5
    if ents & {"DATE", "ORG", "GPE"}:
        f["situation"] += 0.6
    if first_subj:
        f["action"] += 0.8
    if modal and not past:
        f["reflection"] += 0.8
    return f


class Segmenter:
    """Scores sentence roles and finds the best ordered labelling."""

    def __init__(self, model: NaiveBayes | None = None, parses: SentenceParses | None = None,
                 nb_weight: float = 0.6):
        self.model = model
        self.parses = parses  # spaCy's evidence for the roles, and the Action's parse for the flags; None: words only
        self.nb_weight = nb_weight

    def role_scores(self, sentences: Sequence[Sentence], span_s: float | None = None) -> list[dict[str, float]]:
        """Role scores per sentence. The position prior uses the sentence's place among all of them, or,
        for an answer still being spoken, its time within `span_s` (the length the answer is expected to
        reach), so the first half minute of a story is not read as its end."""
        n = len(sentences)
        out = self.content_scores([s.text for s in sentences])
        for i, scores in enumerate(out):
            pos = min(1.0, (sentences[i].start_s + sentences[i].end_s) / 2 / span_s) if span_s else (i + 0.5) / n
            for role in SECTION_NAMES:
                # Live, nothing after the last sentence is known yet to pull a metric-laden opening back into
                # the Situation, so being early for a role costs more than being late.
                early = span_s is not None and pos < _POSITION[role]
                scores[role] -= (LIVE_EARLY_WEIGHT if early else 2.0) * abs(pos - _POSITION[role])
        return out

    def content_scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """What each sentence's own words say of its role (cues, naive Bayes, parse), wherever it falls."""
        extra = [parse_features(doc) for doc in self.parses(texts)] if self.parses else [{}] * len(texts)
        out = []
        for i, text in enumerate(texts):
            scores = cue_scores(text)
            if self.model:
                nb = self.model.log_probs(text)
                best = max(nb.values())
                for role in SECTION_NAMES:
                    scores[role] += self.nb_weight * 10 * (nb[role] - best)
            for role, value in extra[i].items():
                scores[role] += value
            out.append(scores)
        return out

    def segment(
        self, words: Sequence[Word], span_s: float | None = None
    ) -> tuple[list[Sentence], list[str], list[Segment]]:
        sentences = split_sentences(words)
        if not sentences:
            return [], [], []
        labels = best_order(self.role_scores(sentences, span_s), [len(s.words) for s in sentences],
                            [s.index > 0 and (continues_previous(s.text) or _cut_by_cap(sentences[s.index - 1]))
                             for s in sentences],
                            [bool(_OUTCOME.search(_AIMED_AT.sub("", s.text.lower()))) for s in sentences],
                            [bool(_ANNOUNCED.match(s.text.lower())) for s in sentences], complete=span_s is None)
        return sentences, labels, build_segments(sentences, labels)


def _log_softmax(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    z = math.log(sum(math.exp(v - top) for v in scores.values())) + top
    return {k: v - z for k, v in scores.items()}


HEADLINE = "headline"
HEADLINE_MAX_WORDS = 25
# Spoken stories chain sentences with "and", "which", "because": such a sentence usually goes on with the
# section it is in ("And that meant two hundred refunds a day" is still the Situation). "And then" and
# "so" are left out: people use them to move the story on.
_CONTINUES = re.compile(r"^(and|also|plus|which|because|but|or)\b(?! then\b)|^(and )?(like|basically|honestly),? ")
CONTINUE_SWITCH_COST = 2.0
SKIP_COST = 8.0  # on dev, 12 still fills in no truly missing section and 20 fills in one; 8 leaves room
STEP_BACK_COST = 12.0  # dev (5-fold CV): 8 to 12 tie (0.974), 6 and under start sections on asides, 14 up miss some


def continues_previous(text: str) -> bool:
    return bool(_CONTINUES.match(re.sub(r"^(um|uh|so|well|oh)\b,? *", "", text.lower())))


def _cut_by_cap(sentence: Sentence) -> bool:
    """Whether the length cap cut this sentence mid-way: what follows it is the same sentence's tail ("...on the
    first of | the month, which had been blocking every developer"), not a new section on its own."""
    return len(sentence.words) >= MAX_SENTENCE_WORDS and not sentence.words[-1].text.rstrip("\"')").endswith(
        (".", "?", "!"))


def best_order(role_scores: list[dict[str, float]], lengths: list[int], continues: Sequence[bool] = (),
               outcomes: Sequence[bool] = (), announced: Sequence[bool] = (), complete: bool = True) -> list[str]:
    """Viterbi over the sections in order; returns one label per sentence ("headline" for a lead-in result).

    Emissions are log-softmax role probabilities weighted by sentence length, so the DP cares most about
    getting long sentences right, as time-weighted accuracy does. A sentence that `continues` the one
    before ("And that meant...", "Which...") pays CONTINUE_SWITCH_COST to start a new section. When
    `outcomes` is given, only an opening sentence that states a change can be a headline; one the speaker
    `announced` as such ("the short version is...") may run twice as long.

    The story may step back once, at STEP_BACK_COST: people tell a piece out of order ("oh, I should say,
    the reason it mattered..." after the first step, or the task only after the first action). Out of a Result
    reached before any Action, from the scene or the task, it costs SKIP_COST more unless that Result states a
    change (`_steps_back_at_usual_cost`).

    Each section the labelling leaves out costs SKIP_COST: most answers have all five, and a short Task or
    Result said in passing is more often there than missing (measured on the spoken-style set). A
    headline counts as the Result. For an answer still being spoken (`complete` false) the sections after
    the furthest one reached are not charged: they may be yet to come.
    """
    n = len(role_scores)
    emit = [_emissions(i, scores, lengths, outcomes, announced, n) for i, scores in enumerate(role_scores)]
    states_outcome = [bool(k < len(outcomes) and outcomes[k] or k < len(announced) and announced[k]) for k in range(n)]
    # A state is (label, sections told so far as a bit mask, whether the one step back was taken); a
    # headline has a bit of its own. Only states that can be reached are kept, so this stays small.
    best: dict[tuple[str, int, bool], float] = {}
    for name in (HEADLINE, *SECTION_NAMES):
        if emit[0][name] > _NEG:
            best[(name, 1 << _RANK[name] if name != HEADLINE else _HEADLINE_BIT, False)] = emit[0][name]
    backs: list[dict[tuple[str, int, bool], tuple[str, int, bool]]] = []
    for i in range(1, n):
        switch = CONTINUE_SWITCH_COST if i < len(continues) and continues[i] else 0.0
        nxt: dict[tuple[str, int, bool], float] = {}
        back: dict[tuple[str, int, bool], tuple[str, int, bool]] = {}
        for state, score in best.items():
            label, told, stepped = state
            for name in SECTION_NAMES:
                if name == label:
                    to, cost = state, 0.0
                elif _RANK[name] > _RANK[label]:
                    to, cost = (name, told | 1 << _RANK[name], stepped), switch
                elif not stepped:
                    # Out of an early Result that states no change, stepping back costs as much again as leaving
                    # a section out (see _steps_back_at_usual_cost).
                    early = not (states_outcome[i - 1] or _steps_back_at_usual_cost(label, told))
                    to, cost = (name, told | 1 << _RANK[name], True), switch + STEP_BACK_COST + early * SKIP_COST
                else:
                    continue
                value = score - cost + emit[i][name]
                if value > nxt.get(to, _NEG):
                    nxt[to], back[to] = value, state
        best = nxt
        backs.append(back)

    def left_out(state: tuple[str, int, bool]) -> int:
        sections = state[1] & (_HEADLINE_BIT - 1)
        # A headline counts as the Result being told, but not as the story having reached it.
        reached = len(SECTION_NAMES) if complete else sections.bit_length()
        told = sections | (_RESULT_BIT if state[1] & _HEADLINE_BIT else 0)
        return sum(1 for k in range(reached) if not told >> k & 1)

    state = max(best, key=lambda st: best[st] - SKIP_COST * left_out(st))
    labels = [state[0]]
    for back in reversed(backs):
        state = back[state]
        labels.append(state[0])
    return labels[::-1]


_RANK = {HEADLINE: -1, **{name: k for k, name in enumerate(SECTION_NAMES)}}
_RESULT_BIT = 1 << _RANK["result"]
_HEADLINE_BIT = 1 << len(SECTION_NAMES)
_NEG = -1e18


def _steps_back_at_usual_cost(label: str, told: int) -> bool:
    """Whether the story steps back out of a Result or Reflection at the usual cost: once an Action has been told
    (more steps after a first result), or when it opened with it (the outcome or the lesson first). Otherwise it
    costs more, unless (checked by the caller) the Result's last sentence states a change ("long story short, I got
    the reports down to forty minutes"): the outcome said early, before the story goes back to tell how. A
    Situation with a figure in it ("about eight percent of checkouts timed out, and we were losing $90,000 a
    Sunday") is not a Result the scene resumes after: read so, one transcript's "8%" for another's "eight percent"
    moved every section of a dev answer (tests/test_stream.py)."""
    if label not in ("result", "reflection") or told & 1 << _RANK["action"]:
        return True
    return not told & ((1 << _RANK["action"]) - 1)  # nothing of the scene or the task before it


def _emissions(i: int, scores: dict[str, float], lengths: list[int], outcomes: Sequence[bool],
               announced: Sequence[bool], n: int) -> dict[str, float]:
    lp = _log_softmax(scores)
    weight = 1.0 + lengths[i] / 8
    row = {s: lp[s] * weight for s in SECTION_NAMES}
    # A headline is the opening sentence only, short (a long opener is context, even with a number in it),
    # and must itself sound like a result.
    said_so = i < len(announced) and announced[i]  # "the short version is we launched it in five weeks"
    max_words = HEADLINE_MAX_WORDS * 2 if said_so else HEADLINE_MAX_WORDS
    headline_ok = i == 0 and n >= 4 and lengths[0] <= max_words and (not outcomes or outcomes[0] or said_so)
    # Announced ("the short version is, ..."), the opening is the outcome whatever its words sound like.
    headline = max(row.values()) if said_so else lp["result"] * weight - 0.5
    row[HEADLINE] = headline if headline_ok else _NEG
    return row


def build_segments(sentences: Sequence[Sentence], labels: Sequence[str]) -> list[Segment]:
    """Group consecutive sentences with the same label. A segment runs to the next one's first word."""
    groups: list[tuple[str, list[Sentence]]] = []
    for sentence, label in zip(sentences, labels, strict=True):
        if groups and groups[-1][0] == label:
            groups[-1][1].append(sentence)
        else:
            groups.append((label, [sentence]))
    segments = []
    for k, (label, group) in enumerate(groups):
        end = groups[k + 1][1][0].start_s if k + 1 < len(groups) else group[-1].end_s
        name = "result" if label == HEADLINE else label
        segments.append(Segment(name, group[0].start_s, end, tuple(group), headline=label == HEADLINE))
    return segments
