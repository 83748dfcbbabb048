"""Pure detection of what an interviewer would hear as weak, each with its quoted evidence.

The rules follow what the playbooks say interviewers listen for: an explicit scope boundary in the Task,
"I" rather than "we" in the Action, concrete steps, a Result with a number and a business translation, a
Reflection tied to this story, no hand-off. Each rule quotes the words that triggered it and their time,
so the user can hear and read exactly why a flag was raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..types import SECTION_NAMES, Flag, SectionTiming, Segment, Sentence, Word
from .segment import ABOVE_WORDS, SentenceParses
from .timing import Delivery, answer_band, delivery

CONTENT_CODES = (
    [f"missing_{s}" for s in SECTION_NAMES]
    + [f"overrun_{s}" for s in SECTION_NAMES]
    + [f"short_{s}" for s in SECTION_NAMES]
    + [
        "too_short",
        "too_long",
        "we_language",
        "assigned_task",
        "no_scope_boundary",
        "handoff",
        "vague_action",
        "no_metric",
        "no_business_impact",
        "generic_reflection",
    ]
)
DELIVERY_CODES = ["fillers", "pace_fast", "pace_slow", "long_pauses"]
ALL_CODES = tuple(CONTENT_CODES + DELIVERY_CODES)

PACE_FAST_WPM = 190.0
PACE_SLOW_WPM = 105.0
FILLERS_PER_MIN = 4.0
LONG_PAUSES_COUNT = 2
# The scope boundary is an ownership signal; for stories about other things it is not expected.
SCOPE_PRINCIPLES = {"ownership", "bias_for_action", "are_right_a_lot", "deliver_results", "have_backbone"}

# Someone with a say over the work: "my manager", "the team lead", "the head of product", "my engineering
# manager", "leadership", "the client" (who they are: segment.ABOVE_WORDS).
# Who stands above the speaker: the ask from them is the work handed down.
_ABOVE_ME = r"(my|our|the|his|her) ([\w-]+ ){0,2}(" + ABOVE_WORDS + r")"
_AUTHORITY = r"(" + _ABOVE_ME + r"|leadership|they|he|she)"
_ASKED_IF_I = r"asked (me )?(if|whether) i('d| would| could)\b"  # "his manager asked if I'd help"
# "that was on me", "it was up to me": a scope when the speaker says it, the ask echoed when said with it (below)
# ...and said of the work itself: "getting it out on time was on me"
_ON_ME_WORDS = (r"(it|this|that|[a-z]+ing( [\w']+){0,5}?) was (all |kind of |sort of |basically |just )?"
                r"(on|up to) (me|us)")
_ASSIGNED = re.compile(
    # "...unless she asked me to" and "if he wanted me to" are conditions, not the work handed over.
    # ("my supervisor just said see if you can...": a word may stand between who asked and the asking)
    r"\b(?<!unless )(?<!if )(" + _AUTHORITY + r" ((just|basically|then|finally|eventually|also) )?"
    # ...also after dividing the work: "our supervisor split it up and told me to own the scheduling part" (not "I
    # told my manager about it and asked if I could help": the speaker asking)
    r"((split|broke|divided|carved) (it|this|that|the \w+) (up )?and )?"
    # "our manager asked a few of us to help him out": the speaker among the ones asked
    + r"((asked|told|wanted|needed|expected|got|had) (me|us|(a few|some|two|three|a couple|both|all|each) of us) "
    # ...not a go-ahead for the speaker's own pitch: "she told me to go for it", "he wanted me to write it up first"
    r"(to|if i could|whether i could)(?! (go for it|go ahead|run with it|give it a (go|try|shot)"
    r"|write (it|this|that) up first)\b)"
    # ...nor rest: "my manager told me to take the afternoon off"
    r"(?! (take|have|go|get) (the |a |an |some )?(afternoon|day|evening|morning|week|time|break|rest)( off)?\b)"
    r"(?! go home\b)"
    # ...nor the one above's wish to leave something out, what a disagreement is about: "our team lead wanted us to
    # skip writing tests"
    r"(?! (skip|not|avoid|postpone|cut corners)\b)"
    r"|" + _ASKED_IF_I +
    # ("my manager put me on the support rota for a week" is a place on a duty, not the work the story tells)
    r"|assigned (me|us|it to me|this to me)|put (me|us) on(?! ([\w-]+ ){0,3}(rota|rotation|shift)\b)"
    r"|(told|said to) me (it|this) was (mine|my|on me)"
    # "my mentor said it was up to me to figure out"
    r"|said (that )?(it|this)('s| was| is) (all )?up to me"
    r"|told (me|us) (that )?(i|we) (had|needed|were going) to"
    # "my skip-level pulled me aside and said she needed someone to get it over the line"
    r"|(pulled|took) me aside"
    # the ask sent by message: "my manager messaged me and said can you take a look"
    r"|(messaged|pinged|called|texted|emailed|slacked) me,?( and)? (said|asked)( me)?,? (can|could|would) you"
    # a suggestion from above is the ask, said softly: "my mentor said it'd be a good thing to look at", "she said it'd
    # be a good one for me to dig into"
    r"|(said|suggested|thought|mentioned) (that )?(it'?d|it would|this would|that would) be a (good|nice|useful"
    r"|great) ((thing|idea|project|place) (for me )?to|one for me to)"
    r"|[^.]{0,30}(said|told me) (she|he|they) needed (someone|somebody|me|a person) to"
    # the ask as reported dialogue ("my mentor was like, you explain it to her"; the hedge "like" is dropped first)
    r"|(was|goes|went|said),? (can you|could you|see if you (can|could)|why don'?t you"
    r"|you (explain|take|handle|look|fix|own|do|go|talk|write|lead"
    r"|need to|have to|should)))"
    # ("I was supposed to be on the search project that quarter, but..." is the work put aside, not handed over.)
    # ("I was supposed to just forward those to the developer, but he was off" is routing the work, not doing it.)
    r"|i was (asked|assigned|told|tasked|given|supposed) to(?! be (on|in|off|working|doing|focus\w*)\b)"
    r"(?! (just |only |simply )?(forward|pass|send|hand|route|escalate|refer|redirect|bounce)\b)"
    r"|i was (assigned|given) (it|this|the)"
    # ...and after what else the one above did, as the clause's subject: "his manager wanted him up for promotion
    # that year and asked if I'd help" (not "I told my manager and asked if I could take it": the speaker asking)
    r"|(?:^|[,;] |\b(?:so|then|but|and|because) )" + _ABOVE_ME + r"(?:(?!\bi\b)[^.]){0,80}? and " + _ASKED_IF_I +
    r"|(was|got) assigned to me|(gave|handed) (it|this) to me"
    # The ways work is handed over, said out loud: "so I got handed the migration", "it landed on my desk",
    # "my lead put me on it", "he dumped it on me", "I inherited the whole thing", "they picked me". The thing
    # handed over must be work: "my lead gave me the numbers" is not an assignment.
    # ("I got put on a team that did everything in Go" is joining a team, not being handed the work.)
    r"|i (got|was) (handed|given|put on(?! (a|the|another|their|his|her|this|that) ([\w-]+ ){0,2}(team|squad|group)\b)"
    r"|put in charge of|picked|chosen|assigned|volunteered|voluntold)"
    r"|i was the one (they|he|she) (picked|chose)"
    # "I kind of got roped into it", "you're on point for fixing it", "my lead volunteered me"
    r"|roped (me )?in(to)?|(you'?re|you are|i was|i'?m) on point for|volunteered me"
    # ...or signed up by the one above, the ticket routed in planning: "she signed me up as the release owner",
    # "she put my name on the release page", "the ticket just came to me", "my manager goes, you're on it"
    # (not "I put my name down for it": the speaker's own offer)
    r"|signed me up (as|for)|(?<!i )put my name (on|down for)|(ticket|task|bug|job|project|work) (just )?(came|went) "
    r"(straight )?to me|you'?re on it\b"
    r"|(?<!nobody )(?<!no one )(gave|handed|dumped|threw|passed) (me|us|my (team|group)) (the|this|that|a) "
    r"([\w-]+ ){0,2}"
    r"(project|task|ticket|job|work|part|migration|feature|problem|assignment|deadline|rewrite|launch|module|system"
    r"|codebase|service|area|audit|page|site|website|app|screen|form|report|dashboard|integration|release)"
    r"|(dumped|threw|pushed|dropped) (it|this|that|the whole thing) (on|onto|in) (me|my lap)"
    r"|(got|was) (routed|given|handed|passed|dropped) (to|on) me"
    # "it ended up on my plate because I'd touched it last", "it fell to me", "I drew the short straw"
    r"|(dropped|dumped|landed|ended up|fell) (in|on|onto) my (lap|desk|plate)|(it|this|that) fell to me"
    r"|drew the short straw"
    r"|(chose|picked) me|i inherited|(?<!i )made it my (project|job|task|responsibility)"
    r"|suggested (that )?i (take|own|do)|put me in charge|came to me and (said|asked)|i was tasked with"
    r"|assigned (the|this|that|it) ([\w-]+ ){0,2}to me"
    r"|made me (the|a) ([\w-]+ ){0,2}(owner|lead|point person|person)|(this|it)('s| is| was) (yours|mine) now"
    r"|(dropped|dumped|threw) (the|this|that) ([\w-]+ ){0,2}on me)\b"
)
# Taking the whole of it on: "I told her I'd take the whole thing, the design, the legal review, the rollout".
_WHOLE_THING = (r"i'?d (take|own|run) (on )?(the whole|all of) (thing|project|it|\w+)"
                r"|i took (on )?(the whole|all of) (thing|project)")
_OWNED_CALL = re.compile(r"\b(it was my (call|decision)|i owned the (plan|decision|outcome|call)"
                         r"|my call (what|how|whether)|i'?d own (it|this|the \w+)|i took ownership|"
                         + _WHOLE_THING + r")\b")
_SCOPE_PHRASES = re.compile(
    r"\b(not my team|not our team|wasn'?t my|was not my|wasn'?t our|outside (of )?(my|our)|nobody asked|no one asked"
    r"|nobody had asked|no ticket|not assigned|wasn'?t assigned|no clear owner|no owner|nobody owned|no one owned"
    r"|not on (my|our) (roadmap|plate)|not (in|part of) my (scope|job|role)|beyond my|not my (job|responsibility|code)"
    r"|without being asked|on my own time|no one was looking"
    # Owning one's own mistake or decision is the scope statement of incident and decision stories.
    r"|(was|were) mine|my (own )?(change|decision|choice|mistake) (caused|was)|i owned the"
    # ...and saying so: "I told my lead I'd been wrong in the review"
    r"|i('d| had)? (been|was) wrong"
    # ...and as people say it out loud: "nobody's job", "wasn't really my call", "not mine", "that was on me".
    r"|(nobody|no one|not anyone|any one team)'?s (job|problem|area|responsibility|charter|project)"
    r"|(wasn'?t|was not|isn'?t|weren'?t|were not|aren'?t) (really |in |on )?(my|our|anyone'?s|any one team'?s|the) "
    r"(\w+ )?(call|area|project"
    r"|decision|service|pipeline|deal|role|job|scope|team|code|promise|responsibility|system|idea)"
    r"|, not mine|" + _ON_ME_WORDS +
    r"|i had no authority|nobody (had |really )?asked|nobody was asking|hadn'?t asked"
    # ...as it is said in a second language: "this job was not belonging to any team"
    r"|(not|wasn'?t|didn'?t) belong(ing)? to (any|a single) (team|one|person|group)"
    r"|nobody else (wanted|had|was|would)"
    # the work named as one's own: "it was my call", "it was my import", "the language routing was my code"
    r"|(it|this|that|the [\w-]+( [\w-]+)?) was my (own )?(call|change|script|design|plan|project|doing|mistake"
    r"|decision|feature|release|launch|code|import|export|service|test|tests|module|migration|job|pipeline|config"
    r"|query|page|screen|app|tool|library|component|integration|fix|patch|commit|pr|deploy|rollout|idea|system)\b"
    # ...not the work of a stretch of time, which is the ask said again: "so that was my project for the quarter"
    r"(?! for (the|that|this) (quarter|half|year|sprint|summer|term|semester|month))"
    # ...and asking to take it on: "it landed with support, but I had a feeling it was us, so I asked if I could take
    # it"
    r"|i asked (if|whether) i could (take|have|own|pick up|look at|run with) (it|this|that|the \w+)"
    r"|i (volunteered|offered) to|i took it (up)?on myself|no one had|nobody had (set|defined|owned|looked)"
    # ...or proposing it to the one above: "so I told my manager I wanted to automate them, and he agreed"
    r"|i told (my|our|the) ([\w-]+ )?(" + ABOVE_WORDS + r") (that )?i('d| would|'ll| wanted to)\b"
    r"|it was my (job|role|responsibility) to"
    r"|(it|this|that) was (squarely|fully|entirely|clearly) (my|our) (job|problem|responsibility)"
    r"|(not|not only|beyond|outside) (the |what )?(\w+ )?(my|our) (own )?team"  # "not [just] the parts my team built"
    r"|(nobody|no one)( else)?( on [\w ]{2,20})? (owned|wanted|had time)|(wasn'?t|not) on (the|my|our) (roadmap|plate"
    r"|list)|i felt (i had|it was my (job|place)) to"
    # "finding out what they needed wasn't really part of the ask", "I didn't own the decision, he did"
    r"|(wasn'?t|was not|not) (really )?part of (the|my|our) (ask|brief|remit|assignment)"
    r"|i (didn'?t|did not) own (the|that|this) (\w+ )?(decision|call|code|service|system|project)"
    # Acting off duty: "I wasn't on call, I just saw the alerts", "it's mine till she lands".
    r"|i (wasn'?t|was not) (even |actually )?on[- ]call|(it'?s|it is|it was) mine (till|until|for now|for the)"
    # "technically it belonged to the platform folks", "it sat between them and my team", "that wasn't something
    # we were supposed to fix", "it was my page to ship", "that was my mistake, nobody else's"
    r"|(belonged|belongs) to (the|another|a different|their|some)|(sat|fell|was stuck) (right )?between"
    r"|fell through the cracks|(wasn'?t|was not|isn'?t) (really )?(something|anything) (i|we) (was|were) "
    r"(supposed|meant|expected|asked) to|it was my (\w+ ){1,2}to (ship|own|fix|run|decide|make|deliver)"
    r"|(it|this|that) was my (own )?(mistake|fault|error|bug)|nobody else'?s"
    # ...shared with one other: "it was our change, mine and his"
    r"|(it|this|that) was our (own )?(change|mistake|fault|error|bug|script|release|decision)"
    # ...and someone else's role: "I wasn't her buddy, but I'd been stuck like that too"
    r"|i (wasn'?t|was not) (even )?(his|her|their) (\w+ )?(buddy|mentor|manager|lead|boss|supervisor)"
    # "honestly none of us were on the hook for it ... so I figured, okay, I'll be the one"
    r"|(nobody|no one|none of us|not me) (was|were|is) (really )?on the hook|i'?ll be the one"
    # someone else's by right, and the ask gone past: "technically the export sat with the data team", "I could've
    # just closed the ticket"
    r"|(?<!\bi )(?<!\bwe )(?<!\bthey )(sat|lived|lay|stayed) with (the|another|a different|their) [\w-]+( [\w-]+)? "
    r"(team|group|folks)"
    r"|i could('ve| have) (just )?(closed|ignored|left|passed"
    r"|sent|forwarded|bounced)|" + _WHOLE_THING + r")\b"
)
# ... and since a phrase list heard 1 of 25 scope statements written for the purpose, the shapes they come
# in: nobody owned it ("nobody was responsible for the build", "an orphaned service"); it was someone else's
# ("strictly speaking that was the data team's thing", "their codebase, not ours"); nobody asked or expected
# it of me ("I didn't have to", "it wasn't in my goals for the quarter"); I stepped in ("I raised my hand").
_SCOPE_SHAPES = re.compile(
    r"\b((nobody|no one|none of us|no team|not anyone)( \w+){0,3}? (owned|owns|was responsible|were responsible"
    r"|was assigned|had been assigned|fixed|touched|had touched|looked at|maintained|picked it up|was in charge)"
    r"|there was (nobody|no one|no team|no owner) (assigned|responsible|owning|in charge)|orphan(ed)?|no man'?s land"
    r"|(had been|was|got) reorgani[sz]ed away|the (original )?(author|owner|person who wrote it) (had )?left"
    # "the person who built it had left", "it wasn't really anyone's, ..."
    r"|the (person|engineer|guy|team) (who|that) (built|wrote|made|set up|owned|ran) (it|this|that|the \w+) "
    r"(had |has )?left"
    # taken on against the plan: "my lead wanted me on the launch, but I took it on anyway"
    r"|(took it on|did it) anyway"
    r"|(wasn'?t|was not|isn'?t) (really |actually )?(anyone|anybody)'?s(?=[,.]|$| (but|and|so)\b)"
    # ...or was away, and the speaker took it up: "the person building it got sick, and I said I'd finish it"
    r"|(person|engineer|developer|dev|guy|colleague|one) (who was )?(building|doing|writing|running|working on|leading)"
    r" (it|that|this|the \w+) (got sick|fell sick|left|quit|went on leave|was out|moved teams)"
    # ...and the speaker took it up ("and I said I'd finish it"): handed over by a director, it is an assignment.
    r"[^.]{0,40}?\b(and|so),? i (said|offered|took|picked|volunteered|decided|stepped)"
    r"|(somebody|someone|anybody|anyone) else'?s|not ours|(their|another team'?s|a different \w+'?s) (code|codebase"
    r"|system|service|repo|pipeline|problem|project)"
    r"|(team|department|group|org|ops|infra|folks|people)('s|s'|') (thing|code|codebase|system|service|problem|repo"
    r"|pipeline|project|area|job|responsibility|call|turf)"
    # ...the possessive said on its own: "the consent screen was supposed to be the platform team's but they were
    # buried" (not "supposed to be the team's lead", which names a role)
    r"|(was|were|is|be|'s) (really |technically |properly |officially )?(the |another |a different )?[\w-]+( [\w-]+)? "
    r"(team|group|department|folks)'s(?=[,.]|$| (but|and|so)\b)"
    r"|(technically|officially|strictly speaking),? the [\w ]{1,25}? (owned|owns|was responsible)"
    r"|the \w+( \w+)? (team|folks|group|department) (owned|owns|was responsible for) (it|that|this|the)"
    r"|i (wasn'?t|was not) (asked|expected|supposed|required|told|the owner|responsible|in charge)"
    # "I wasn't leading that project, but I thought we were paying for a scale we didn't have"
    r"|i (wasn'?t|was not) (even )?(leading|running|on|part of|in charge of) (that|the|this|their) (\w+ )?(project"
    r"|effort|work|migration|initiative|rollout|team)"
    r"|i (didn'?t|did not) have to|(zero|no) responsibility for"
    r"|(wasn'?t|was not|not) (in|part of|on) (my|our|anybody'?s|anyone'?s) (\w+ ){0,2}(goals|okrs|job description"
    r"|lane|remit|list|plan|roadmap|plate|radar)"
    r"|(not|wasn'?t|was not) (really )?my (lane|thing|area|turf|wheelhouse)"
    r"|outside (of )?what i was (hired|asked|paid|supposed)"
    r"|(my manager|my boss|my lead|nobody|no one) (didn'?t|did not) (even )?know i was"
    r"|even though (it was (a different|another|their|someone|somebody|not)|it wasn'?t|i wasn'?t|i was only)"
    r"|(raised|put) my hand|stepped (in|up)|(wasn'?t|was not|not) expected (of|from) me"
    r"|i (decided|chose) (to|i'?d|i would) own|(no one|nobody) else (was going to|would|did)"
    # asked for one thing, and taking on more: "she asked me to show her how, and I decided to go further"
    r"|i (decided|chose|wanted) to go (further|beyond|past)"
    # "something someone should look at someday, and I said, I'll take it", "without waiting for it to get onto the
    # roadmap", "it wasn't a bug anyone had filed"
    r"|something (someone|somebody) should|i said,? i'?ll (take|own|do|handle|look at) (it|this|that)"
    r"|without waiting for (it|a ticket|approval|permission|anyone)"
    r"|(wasn'?t|was not|not|never) (a |an )?(\w+ )?(bug|ticket|issue|request|task)s? (anyone|anybody|somebody|someone"
    r"|we|they) (had )?(filed|raised|logged|asked for|reported)"
    # an open ask taken up: "our director asked if anyone wanted to take incident command, and I said I would"
    r"|(if|whether) (anyone|anybody|someone|somebody) (wanted|could|would|was willing) to [^.]{0,60}?(,|and|so) i "
    r"(said|told (him|her|them)) i('d| would)"
    # "nobody told me to change that, my manager was happy with it"
    r"|(nobody|no one) (had |ever |really )?(told|wanted|expected|required|needed|made) me to"
    # The ask, and going past it: "I'd been asked to write the technical side, but really I wanted to get them to
    # one answer".
    r"|((asked|supposed|expected|meant|hired|told)|the ask (i got |we got )?was( only)?) to [^.]{0,60}?,? but "
    r"(really |actually |honestly )?i (really )?(wanted|decided|went|took|figured))\b"
)
# ... and, most generally, a denial a few words before owning or a role: "it wasn't on anybody's roadmap",
# "that wasn't my role", "the email service isn't even ours". Not "asked": "my lead asked me, and I didn't
# know the code" is an assignment.
_DENIAL = r"(?:not|no|nobody|nobody's|no one|no one's|none|never|neither|without|\w+n't)"
_OWNING = (r"(?:own|owned|owner|owners|owning|owns|ownership|responsib\w*|assign\w*|job|role|lane|ours|mine"
           r"|priorit\w*|rotation|remit|charter|plate|radar|roadmap|goals|okrs|scope|team's|else's|everybody's)")
_NEAR = r"(?:[^\w']+[\w']+){0,5}[^\w']+"  # up to five words between
# ("...what they needed, not who should own it" sets two things side by side: it denies nobody's ownership.)
_SCOPE_DENIED = re.compile(rf"\b(?!not (?:who|whose|which|what)\b){_DENIAL}{_NEAR}{_OWNING}\b")
_SCOPE = re.compile(f"(?:{_SCOPE_PHRASES.pattern})|(?:{_SCOPE_SHAPES.pattern})|(?:{_SCOPE_DENIED.pattern})")
# Putting oneself forward, unasked, while the story is still being set up: "nobody really knew what that meant and
# our supervisor said it was up to us, so I said I'd go and find out". Said back to an ask ("she asked me if I'd
# review it, and I said I would"), or in an answer whose work was handed down, it is agreeing, not a scope.
_OFFERED = re.compile(r"\bi said,? i('d| would|'ll)\b(?! (rather|prefer|like|love|think|need|have to|never)\b)")
_ASKED_OF_ME = re.compile(r"\b(asked|told|wanted|needed|begged|pinged) (me|us|if i|whether i|if we)\b")


def _answers_an_ask(sentence: str) -> bool:
    return bool(_ASKED_OF_ME.search(sentence))


# "It was on me" in the sentence that hands the work down is taking the ask, not a boundary: "my mentor said it was up
# to me to figure out, so I, yeah, that was on me".
_ON_ME = re.compile(r"\b" + _ON_ME_WORDS + r"\b")


def _echoes_the_ask(sentence: str) -> bool:
    return bool(_ASSIGNED.search(sentence)) and not _SCOPE.search(_ON_ME.sub("", sentence))


# The pieces of a hand-off: passing word on, the other party, and them doing the work.
_PASSED_ON = (r"sent|messaged|pinged|emailed|told|escalated|flagged|raised|reported|filed|opened (a )?tickets?"
              r"|put it on|let [\w ]{1,25}? know|wrote ([\w-]+ ){0,4}?up\b|passed|gave|handed|looped in|brought in"
              r"|pulled in"
              r"|mentioned|documented|brought (it |this |that )?up|logged|notified|alerted|contacted|informed"
              r"|forwarded|shared|explained|showed|presented"
              # ...and the work left with someone or a call for help: "I left it with the senior mobile engineer",
              # "I called the night maintenance guy"
              r"|left it (with|to)|called")
_SOMEONE_ELSE = (r"they|he|she|their \w+|the [\w-]+( [\w-]+)? (team|folks|group|engineers?|people|devs|developers"
                 r"|maintainers|owners?|admins?|dba)|the (vendor|contractor|agency|maintainers|owner)|who")
# ...doing the work itself, not deciding about it or reacting to it: "they rebuilt the pipeline", not "she moved
# the launch", "they delayed theirs", "he approved it", "they merged it".
_DID_THE_WORK = (r"(fixed|patched|rewrote|rebuilt|built|implemented|shipped|rolled (out|back)|deployed|replaced"
                 # ...or put back what broke: "I told the DBA team what I'd run, and they restored the index"
                 r"|restored|recovered|brought (it|\w+) back"
                 r"|refunded|restarted|reset|changed|automated|sorted|handled|resolved|redid|reworked|refactored|migrated"
                 r"|upgraded|reverted|repaired|reconfigured|configured|tuned|cleaned up|set (it |them )?up"
                 r"|wrote (the|a|an)"
                 # "she rolled the fix out that night"
                 r"|rolled (it|the \w+) (out|back)"
                 # resources changed: "they bumped the memory and split the job"
                 r"|bumped|increased|resized|scaled (up|out|it|the)|split (the|it)"
                 r"|added (the|a|an)"
                 r"|made the (changes?|fix(es)?)|did the"
                 # "we passed the build to the identity team, and they had it done in four weeks"
                 r"|had (it|the \w+) (done|built|fixed|working|live|shipped|finished)"
                 # a stuck thing cleared: "I passed it to the database team and they killed the lock"
                 r"|killed (the|it)|cleared (the|it)"
                 # records put right: "I passed it to the billing team and they merged the two shops"
                 r"|merged the (two|duplicate|both) \w+|moved (her|his|their|the) \w+ (over|across))\b"
                 r"|took (care of|over|it over|it from there)|picked it up|ended up (fixing|patching|doing|building"
                 r"|rewriting|changing|handling)"
                 r"|got (the|a|their) [\w ]{1,20}? to (fix|do|build|change|patch|handle|ship|remove|drop|cut)")
_HANDOFF = re.compile(
    r"\b((sent|messaged|pinged|emailed|told|escalated( it)? to|flagged it to|filed a ticket|raised a ticket|reported "
    r"it|gave|handed|passed|looped in|brought in|pulled in|called in)"
    r"[^.]{0,60}\b(and|so|then) (they|he|she|the \w+ (team|group)) (fixed|handled|took care of|looked into|resolved"
    # "did" with what was done: "and he did" alone echoes the ask ("asked if he'd try it again, and he did")
    r"|sorted|rewrote|built|patched|implemented|changed|wrote|did (it|that|the \w+)|automated)"
    r"|handed (it )?off|passed it (on|along|over)|let (them|the \w+ team) (handle|deal with|fix)"
    r"|(they|the \w+ team) (fixed|handled|took care of|resolved) (it|the (problem|issue|bug))"
    r"|(he|she|they) (took care of|handled|sorted) (it|the rest|everything|the spec)|(sorted|figured) it out with"
    r"|asked (the|my|our) [\w ]{2,25} to (figure out|handle|fix|sort out|deal with|take care of)"
    # "we sent the whole thing over to the growth team to build and run"
    r"|(sent|handed|passed|gave|threw|tossed) (it|the (whole )?(thing|project|work|rest|job)) (all )?(over )?to "
    r"[\w ]{2,30}? to (build|run|fix|handle|finish|own|implement|take over|deal with)|over the wall"
    # Word passed on, then someone else doing the work: "I flagged it to the infra folks and they ended up patching
    # it", "I let the SRE team know and they rolled out the fix", "I escalated to the vendor and their engineers
    # shipped a patch", "I raised it with my manager and she got the vendor to fix it".
    # ...also after coming over: "and he came up and reset the lock himself"
    r"|(" + _PASSED_ON + r")[^.]{0,80}?\b(and|so|then|,) (then )?(" + _SOMEONE_ELSE + r") ((came|went|showed up"
    r"|stepped in|jumped in)( (up|over|down|in|round|on))? and )?(" + _DID_THE_WORK + r")"
    # "my lead got someone from the payments team to change it"
    # ...or "she had someone on her team do it"
    r"|(got|had) (someone|somebody|one of (their|the) \w+|a \w+) (from|on|in) [\w ]{1,25}? (to )?(fix|change|build|do"
    r"|patch|handle|write|implement)"
    # ...or said as where the work went: "the fix itself was done by the payments team", "I assigned the ticket to
    # the mobile team" (not "it was written by a guy who had left": that is history).
    r"|(fix|change|work|patch|rest|implementation|actual \w+)( itself)? (was|were|got) (done|built|implemented"
    r"|handled|written|shipped|made) by (the|their|a|an|our) \w+"
    r"|assigned (it|the|this|that)( \w+)? to (the|their|a) [\w ]{1,20}?(team|group|folks|vendor|contractor))\b"
)
# A supplier fixing its own product, with no word passed to it in the sentence, is not the candidate's problem
# passed on: "during the ramp we found the provider declined two percent of cards, and they fixed it".
_VENDOR = re.compile(r"\b(provider|vendor|supplier|upstream|maintainers?)\b")
_WORD_PASSED = re.compile(r"\b(reported|escalated|flagged|told|sent|emailed|filed|raised|pinged|messaged|handed|passed"
                          r"|gave|asked|looped|brought|pulled|called|assigned)\b")


def _vendors_own_fix(text: str) -> bool:
    return bool(_VENDOR.search(text)) and not _WORD_PASSED.search(text)


# People fixing it without the speaker, after the speaker taught them how, is the handover working, not the problem
# passed on: "while I was away it failed once and they fixed it without calling me".
_WITHOUT_ME = re.compile(r"\b(without (calling|asking|paging|pinging|waking|needing|involving|bothering) me"
                         r"|without me|on their own|by themselves)\b")


# ...nor is the one the speaker taught doing the fix: "I showed her how to run it a hundred times in a loop, and she
# wrote the fix" (unblocking a teammate: the point is that she fixed it).
_TAUGHT = re.compile(r"\b(showed|taught|coached|walked) (him|her|them) (how|through)\b")


def _not_passed_on(text: str) -> bool:
    return _vendors_own_fix(text) or bool(_WITHOUT_ME.search(text) or _TAUGHT.search(text))


# The hand-off told in two sentences of the Action: word passed on to someone ("I raised it with the platform team"),
# then the next step is them doing the work ("The platform team changed the date handling, and they rolled it out").
# (In the Result, what the others then did is how it ended: "I sent the steps to reproduce to billing. They fixed the
# bug that week".)
_WORD_PASSED_TO = re.compile(r"\b(" + _PASSED_ON + r")\b[^.]{0,80}?\b(" + _SOMEONE_ELSE + r")\b")
_THEY_DID_IT = re.compile(r"^((so|and|then|well|um|uh|after that),? )*(" + _SOMEONE_ELSE + r") ("
                          + _DID_THE_WORK + r")")


def _handed_on_then_done(segments: Sequence[Segment]) -> tuple[str, float, str] | None:
    for before, sentence in (pair for seg in segments if seg.name == "action"
                             for pair in zip(seg.sentences, seg.sentences[1:], strict=False)):
        first = plain(before.text)
        text, owner = _plain_words(sentence.words)
        m = _THEY_DID_IT.search(text)
        if m and owner and _WORD_PASSED_TO.search(first) and not _not_passed_on(first + " " + text):
            return (*_quoted(sentence, owner, m), "action")
    return None


# Words quoted from a conversation ("so I said, can we try it for a week") are not who did the work.
_REPORTED_SPEECH = re.compile(r"\b(said|asked|goes|was like|told (him|her|them|me|us)),\s+[^.?!]{0,160}")
# "we" against "I": the one vocabulary for the answer's Action and for a follow-up reply.
WE_WORDS = re.compile(r"\b(we|we've|we'd|we're|our team|the team|us)\b")
I_WORDS = re.compile(r"\b(i|i've|i'd|i'm|myself)\b")


def we_and_i(text: str) -> tuple[int, int]:
    """How often the telling says "we" and "I", words quoted from a conversation left out."""
    narrated = _REPORTED_SPEECH.sub(" ", text)
    return len(WE_WORDS.findall(narrated)), len(I_WORDS.findall(narrated))


def says_we(we: int, i: int) -> bool:
    """"We" at least twice and more often than "I": a tie reads as shared work honestly told."""
    return we >= 2 and we > i
NUMBER = re.compile(
    r"(\d|\$|\b(percent|half|halved|twice|double|doubled|tripled|zero|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|hundred|thousand|million|dozen|a third|a quarter|a fifth|a tenth"
    r"|instead of the (second|third|fourth|fifth|tenth)"
    # a bound said with "a": "under a second", "within an hour", "in less than a day" (not "after about a month",
    # which dates the outcome without measuring it)
    r"|(under|within|less than|inside) (a|an) (second|minute|hour|day)"
    # a change from a span said with "a": "the queue went from about a week to same day"
    # ("looking a customer up went from a couple of minutes to a few seconds")
    r"|from (about |around |over |nearly |almost )?(a|an|a couple of|a few|several) (second|minute|hour|day|week|month"
    r"|year)s? to"
    # ...and how long the outcome took, said with "a": "she had a working file in about an hour"
    r"|in (about |around |roughly |just )?(a|an) (minute|hour|day|week)"
    # ...and a span ahead of or behind the date: "we finished a week early"
    r"|(a|an) (day|week|month) (early|earlier|ahead|sooner|late|later than)"
    # ...said against the date: "we finished the project a week before the deadline"
    r"|(a|an) (day|week|month) (before|ahead of) (the|our|its) (deadline|due date|launch|release))\b)"
)
# Count words that name which ones rather than how many: "the three teams", "one of the smoothest launches",
# "the two of us", "that one change", "one day". "The two days it used to take" and "two of the forty" still count.
_SMALL_COUNTS = set("one two three four five six seven eight nine ten eleven twelve dozen".split())
_POINTING = set("the that this those these both all no any every which other".split())
# ..."the next one", "the same one" point at one thing; "our first three customers" still counts three.
_POINTING_AT_ONE = set("next first last same only each".split())
_OF_WHOM = set("us them the our my those these his her their its".split())
_UNITS = re.compile(r"(percent|%|times|x|seconds?|minutes?|hours?|days?|weeks?|months?|quarters?|years?|dollars?"
                    r"|grand|k|hundred|thousand|million|points?)$")
# ...and "one customer even emailed to say thanks" is a story about one person, not a count.
_ANECDOTE_ONE = set("day time thing more another way point customer user person guy client teammate colleague".split())
# "none of the eleven customers", "all of the other three": a share of a count measures.
_SHARE_OF = re.compile(r"\b(none|all|most|half) of (the|them|those)( other| remaining)? $")


# Digits that name rather than count, as Whisper writes them: a quarter, a version, an ordinal, a clock time, "24/7"
# ("it shipped in Q3", "on v2 of the app", "the 3rd sprint in a row", "at 5pm"), and a year after a word that dates
# ("back in 2021", "since 2019"; "2000 users" still counts).
_NAMING_TOKEN = re.compile(r"(q[1-4]|v\d+(\.\d+)*|\d+(st|nd|rd|th)|\d{1,2}(:\d\d)?(am|pm|a\.m\.|p\.m\.)|24/7)")
_CLOCK_AFTER = ("am", "pm", "a.m.", "p.m.", "o'clock")
_DOUBLED_THING = re.compile(r" (bookings?|booked|charges?|charged|clicks?|clicked|counting|counted|entries|entry"
                            r"|submissions?|payments?|shifts?)\b")
_HALF_WAY = re.compile(r" (done|finished|built|complete|ready|working|baked)\b")
_DUPLICATED = re.compile(r"\b(the same|everything|it all)( \w+)? $")
_YEAR_AFTER_WORDS = set("in since of until till by back early late mid during".split())
_CLOCK_HOUR = re.compile(r"\d{1,2}(:\d\d)?")
_YEAR = re.compile(r"(19|20)\d\d")
_STATUS_CODE = re.compile(r"[45]\d\d")


def _names_a_thing(text: str, start: int) -> bool:
    """Whether the digit at `start` belongs to a word that names a date, a rank or an error page, not an amount
    (a version number is skipped in `measure`, in digits or in words)."""
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", start)
    right = len(text) if right < 0 else right
    token = text[left:right].strip(",.;:!?()\"'")
    before, after = text[:left].split()[-1:], text[right:].split()[:1]
    if _NAMING_TOKEN.fullmatch(token):
        return True
    if _CLOCK_HOUR.fullmatch(token) and after and after[0].strip(",;!?") in _CLOCK_AFTER:
        return True
    # an error page's status code: "the 404 page stopped showing up"
    if _STATUS_CODE.fullmatch(token) and after and after[0].strip(",.;:!?") in ("page", "pages"):
        return True
    return bool(_YEAR.fullmatch(token)) and bool(before) and before[0] in _YEAR_AFTER_WORDS


_SIZE_OF = re.compile(r"\b(team|group|squad|class) of $")


def measure(text: str) -> re.Match[str] | None:
    """The first number in the text that measures something, if any (see _SMALL_COUNTS)."""
    for m in NUMBER.finditer(text):
        word = m.group(0)
        if word.isdigit() and _names_a_thing(text, m.start()):
            continue
        # A kind of thing, not an amount: "the double bookings stopped", "redo the same screen twice".
        doubled_thing = word == "double" and _DOUBLED_THING.match(text, m.end())
        done_twice_over = word == "twice" and _DUPLICATED.search(text, 0, m.start())
        half_way = word == "half" and _HALF_WAY.match(text, m.end())  # "only half done": how far, not how much
        if doubled_thing or done_twice_over or half_way:
            continue
        before = text[:m.start()].split()[-1:]
        # A name or a size: "version two shipped", "on version 4 of the app", "the team of five that joined".
        if before == ["version"] or _SIZE_OF.search(text, 0, m.start()):
            continue
        after = text[m.end():].split()[:3]
        unit = bool(after) and bool(_UNITS.match(after[0].strip(",.")))
        # A span that opens the clause only dates what follows it: "two weeks later everything was running
        # smoothly" measures nothing. At the clause's end it is how long the thing took: "the filters came two
        # weeks later", "the rollout went out on schedule six weeks later".
        opens = not before or before[0] in ("and", "so", "then", "but") or before[0].endswith((",", "."))
        if opens and unit and len(after) >= 2 and after[1].strip(",.") in ("later", "ago"):
            continue
        if word not in _SMALL_COUNTS:
            return m
        # ...but a share of them is a measure: "none of the eleven customers left", "all of the twelve reps".
        share = bool(_SHARE_OF.search(text[:m.start()]))
        pointing = bool(before) and (before[0] in _POINTING or word == "one" and before[0] in _POINTING_AT_ONE) \
            and not unit and not share
        of_whom = len(after) >= 2 and after[0] == "of" and after[1] in _OF_WHOM and not (
            len(after) >= 3 and NUMBER.fullmatch(after[2].strip(",.")))
        anecdote = word == "one" and bool(after) and after[0].strip(",.") in _ANECDOTE_ONE
        if not (pointing or of_whom or anecdote):
            return m
    return None


# "customers liked it" is an opinion, not an outcome (as "the sales team was happy" is not): people it was for,
# then only how they felt about it, in their words too ("the charity said they liked it a lot").
_OPINION = (r"(?! ((said|told (us|me)),? (that )?(they|he|she) )?(really |all |just |seemed to )?(liked|loved|enjoyed"
            r"|appreciated|(were|was) (really |very |so |all )?(happy|pleased|glad|thrilled|excited|satisfied))\b)"
            # ...or praise of the thing: "the charity said it was a big improvement"
            r"(?! (said|told (us|me)),? (that )?it was (a |an )?(really |very |so )?(big |huge |real |great |massive )?"
            r"(improvement|better|great|helpful|useful|amazing)\b)")
_BUSINESS = re.compile(
    r"\b(revenue|cost|costs|money|dollars|\$|saved|savings|(customers?|clients?|users?)" + _OPINION +
    r"|churn|conversions?|retention"
    # what it brought in, said as its worth: "the paid conversions that year were worth about three million"
    r"|worth (about |around |roughly |over |nearly |almost )?(\w+ ){1,3}(hundred|thousand|million|grand|dollars)"
    # "sales went up", not "sales seemed okay with it" (the sales team's opinion is no outcome)
    r"|sales(?! (team|seemed|liked|said|asked|people|folks|lead|org|side)\b)(?! (was|were) (\w+ )?(happy|pleased|glad"
    r"|fine|okay|ok|thrilled|excited|relieved)\b)|deals?|contract|renewal"
    # ("I was picking up tickets on my own" is the speaker's work queue, not support's load.)
    r"|support (tickets|load|time|e-?mails|requests|messages|chats)|(?<!up )tickets|on-?call|pages|sla|downtime"
    r"|outages?"
    # support as the people who answer customers: "support closed the ticket type they'd had open for a year"
    r"|support (closed|stopped|could|no longer|didn'?t|retired)"
    r"|hours (saved|a week|per week|of)|time to|hir(e|ed|ing)|onboarding|trust|complaints?|nps|merchants|shoppers"
    r"|orders"
    r"|renew\w*|contracts?|cancel\w*|incidents?|launch(es|ed)?|experiments?|roadmap"
    # who the work was for, and what they got: members, patients, sellers; calls, sign-ups, a deadline met.
    # ("failed calls" and "API calls" are a service's calls, not people's)
    r"|members|patients|sellers|drivers|partners?|accounts|sign[ -]?ups?|(signed|signing) up"
    # new people at work sooner: "new people could get the app running on their first morning"
    r"|new (people|starters|joiners|developers|engineers|staff|colleagues) (could|were|got|started)"
    r"|(?<!failed )(?<!api )(?<!service )(?<!network )(?<!database )(?<!http )(?<!outbound )(?<!external )calls"
    r"|rating|deadline|audit"
    # ...and what they pay for in their own words: "chargebacks dropped", "the auditors had nothing to write up",
    # "the bounce rate went from sixty percent to forty", "they were filling prescriptions again"
    r"|auditors?|chargebacks?|disputes|fraud|bounce rate|open rate|click[- ]?through|prescriptions?"
    # someone woken or interrupted ("it used to page someone three times a week")
    r"|pag(e|ed|ing) (someone|somebody|people|the on-?call|on-?call|us|me|the team)"
    # (not "the payment tests have been green since": a system named by what it handles)
    r"|refunds?|payouts?"
    r"|payments?(?! (tests?|service|api|code|module|library|gateway|endpoint|table|schema|job|queue)s?\b)"
    r"|checkouts?|transactions|shipments|leads"
    # what customers are billed: "we reissued about three hundred invoices"
    r"|invoices?|bookings|reservations"
    # ...and the visits they book, kept or missed: "their missed appointments went down from twelve a week to four"
    r"|appointments?|no[- ]shows?"
    # people booking time with the business: "a hundred and forty people booked demos through it"
    r"|(booked|requested|scheduled) (\w+ )?(demos?|calls?|appointments?|visits?|tours?|consultations?)"
    r"|(left|wrote|gave) (us )?a (good|great|five star) review"
    r"|(minutes?|hours?|days?|weeks?) (a|per|each|every) (day|week|month|quarter|year|release|sprint)"
    r"|the wait|wait(ing)? time|(days?|weeks?|hours?|months?) of waiting"
    # time given back, and a date kept: "stopped losing ten minutes a rerun", "billing still closed on time".
    r"|(stopped|no longer|quit) (losing|wasting) (\w+ ){0,3}(minutes?|hours?|days?)"
    r"|(closed|shipped|landed|went out|went live|launched|delivered|paid|(handed|turned) (it |\w+ )?in|submitted"
    r"( it)?) on time"
    # ...said the other ways: "the full rollout went out on schedule", "logging in on the promised date"
    r"|on schedule|on the (promised|agreed|planned|original) date"
    # the service staying up for whoever uses it, and a night nobody was called in: "uptime went to 99.95",
    # "nobody had to come in at night for a failover after that"
    r"|uptime|availability|(nobody|no one) (had|has|needed|needs) to (come in|get up|wake up|stay late|work)"
    r"|(stopped|no longer|quit) (staying|working) (late|nights|weekends)"
    # "nobody on the team has worked a Thursday night since"
    r"|(nobody|no one) (\w+ ){0,3}(has|had|have) (worked|stayed late|come in|been paged|been woken) (a|on a|at|late"
    r"|past|since|nights?|weekends?|evenings?)"
    # a customer signing again: "they signed for the second year"
    r"|signed (up )?(for|on for) (another|a second|the second|a third|the next|a new)"
    # ...or early: "her feature went out two weeks before the release date", "a month ahead of schedule"
    r"|(days?|weeks?|months?) (before|ahead of) (the |our |its |their )?([\w-]+ ){0,2}(date|deadline|schedule|launch"
    # ...or before the day it was for: "all eleven thousand products were up the day before the sale"
    r"|sale|campaign|season|holidays)"
    r"|ahead of (schedule|time)|(days?|weeks?|months?) early"
    # "the team got the billing change out a week earlier than planned"
    r"|(days?|weeks?|months?) earlier than (planned|expected|promised|scheduled)"
    # the translation said in so many words ("which meant the team had results before standup"), risk caught,
    # a tool taken up, a person kept.
    r"|which meant|that meant|meaning (that|we|the|our)|caught (\w+ )?(more )?(failures|bugs|errors|regressions)"
    r"|adopt(ed|ions?)|(started|kept|began) (using|logging)( it)? (every|each|daily)"
    # ...said as who was on it: "within two quarters all nine teams were on it"
    r"|(both|every|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+) (of the )?(teams|groups|squads"
    r"|offices|stores|clinics) (were|are) (on|using) (it|the new)"
    r"|(use|used|using) it (every|each|daily)|went back to (using|opening|pulling|checking|relying on)"
    # ...and who stayed: "the share of people still using the app a month after they joined" (retention, said plainly;
    # not "they kept using it after the hackathon", a tool kept by the ones it was built for)
    r"|(people|users|customers|members|shoppers|players|students|subscribers|clients|patients) (who (were |are )?)?"
    r"(still|kept) (using|coming back|opening|logging in|ordering|buying|booking)"
    r"|performance plan|promo(ted|tion)?|reviews online|online reviews|stars|\w+[- ]star (reviews?|ratings?)"
    # where people give up, how many call, other teams unblocked, and a change nobody using it felt: "the drop-off on
    # that screen went from thirty-five percent to twelve", "the call volume about bills dropped", "teams stopped
    # planning their releases around my calendar", "the agents barely noticed"
    r"|drop[- ]?offs?|abandonment|call volumes?|teams (could|stopped|no longer|were able to|weren't|didn't)"
    r"|(barely|hardly|never|didn't|did not|nobody|no one) (even )?noticed"
    # ...and a mistake that never reached them: "no statements went out to the wrong place"
    r"|no (\w+ )?(statements?|letters?|invoices?|emails?|parcels?|notices?) "
    r"(went|were sent|got sent) out (wrong|to the wrong|with (the |a )?wrong)"
    # engineering time not spent: "it took about two days instead of a quarter" (not a job's run time in hours)
    r"|took (us )?(about |around |roughly |maybe |only |just )?(a |an |\w+ )?(days?|weeks?|months?) instead of "
    r"(a|an|the|\w+) (\w+ )?(quarters?|months?|weeks?|years?)"
    # ...said as when it was done: "he shipped it in three weeks instead of a quarter" (not "his reviews went through
    # in a day instead of a week": how fast one person's work moves)
    r"|in (about |around |roughly |maybe |only |just )?(a |an |\w+ )?(days?|weeks?|months?) instead of (a|an|the|\w+) "
    r"(\w+ )?(quarters?|months?|years?)"
    # ...or as when it was there: "we had flags in production two weeks later instead of after a quarter of building"
    r"|(days?|weeks?|months?) later instead of (after )?(a|an|the|\w+) (\w+ )?(quarters?|months?|years?)"
    # a person kept and a newcomer's first days: "she's still on the team two years later", "a new starter's first day"
    r"|(still|stayed) (on|with|at) (the|our|my) (team|company|org)|new (starters?|joiners?)"
    r"|(got|gave|won) (\w+ ){0,4}(months?|weeks?|days?|hours?) back"
    # money said without the word: "the bill went down to twenty-six thousand a month".
    r"|bill|spend|budget|(hundred|thousand|million|grand|k) (a|per|each|every) (week|month|quarter|year)"
    # ...or as a price: "the failed drops it avoided were worth four times the price difference" (not a "price
    # service", which is a system)
    r"|prices?(?! (service|api|engine|feed|table|field|lookup|endpoint|cache)s?\b)"
    # ...and who else it reached, said plainly: time freed up, a wait, the people it reached, data not lost.
    r"|freed (\w+ )?up"
    # "the average wait", "their waits", "no longer waiting" are people waiting; "he agreed to wait" is not.
    r"|(the|a|their|his|her|its|\w+'s?) (\w+ )?waits?|waiting (time|times|list|lists|room)"
    # ...or queue where they are served: "the queue at the door went from forty minutes to ten"
    r"|queues? (at|outside|in) (the )?(door|desk|front desk|counter|till|register|entrance|gate|window|reception)"
    r"|(no longer|stopped|without|weren't|wasn't|not) waiting|people (who|whose|that)"
    r"|(lost|lose|losing) (\w+ ){0,2}data|data loss"
    # what people did that was lost: "we lost maybe two hundred uploads"
    r"|(lost|lose|losing) (\w+ ){0,3}(uploads|orders|bookings|sales|sign-?ups|messages|payments|files|photos)"
    # the reach said as the whole company: "which had been blocking every developer in the company"
    r"|(everyone|everybody|every [\w-]+|all the [\w-]+) (in|at|across) the (company|org|organi[sz]ation)"
    r"|(the whole|the entire) (company|org|organi[sz]ation)"
    r"|students|employees|staff|volunteers|visitors|players|guests|readers|convert(ed|s)?)\b"
    r"|\$\d"  # outside the \b group: "about $300,000" has no word boundary before the sign
    # Who the work reached, as people name them ("the nurses", "finance", "the store managers"), and what
    # changed for them: a chore gone, time given back, something sold, a review passed, people who stopped
    # leaving. A word list of outcomes alone heard 13 of 30 such results written for the purpose.
    # ("it errored in front of the professor": the audience of a failure, not someone it did something for)
    r"|\b(?<!front of the )((nurses|doctors|teachers|professors?|analysts|new hires|managers|owners|treasurer|operators"
    r"|reps|buyers|travell?ers|families|parents|residents|finance|legal|ops|marketing|warehouse|stores?|shops?"
    r"|restaurants?|clinics?|hospitals?|wards?|schools?|labs?|museums?|galler(y|ies)|librar(y|ies)|charit(y|ies)"
    r"|food banks?|shelters?|non-?profits?"
    r"|councils?|front desk|call cent(er|re)|the business)\b" + _OPINION +
    r"|(didn't|did not|don't|no longer|never) (have|had|need|needed) to|(weren't|wasn't) (stuck|chasing|waiting)"
    r"|(got|get|gave|give|had|have) (\w+ ){0,5}(evenings?|weekends?|mornings?|nights?|afternoons?|time|lives?) back"
    # a service given back to the people who use it, with how soon: "logins were back in about forty minutes"
    r"|(were|was|came) back (up |online )?(in|within) "
    # time people did not lose, and a purchase made: "nobody lost more than their morning", "add to cart went up"
    r"|(nobody|no one) lost (more than|any|a|their)|add[- ]to[- ](cart|basket)|carts?|baskets?"
    # ...time taken off a chore, or half of it given back: "which took a day off their average handling time",
    # "the reviewers were spending about half the time on his changes"
    r"|(took|shaved|knocked|cut) (a |an |\w+ ){1,3}(days?|hours?|minutes?|weeks?) off"
    # ...said as how long the chore takes someone now: "now it takes her about forty minutes instead of a full day"
    r"|(takes|took) (her|him|them|us|people|everyone|the team) (about |around |only |just )?(\w+ ){1,2}"
    r"(minutes?|hours?|days?) instead of"
    r"|spen(d|t|ding) (about |around |roughly |maybe )?(half|a third|a quarter|a fraction of) (the|their|our) time"
    # ...a loss kept small, and who it did not reach: "they lost half a day instead of two", "nobody outside the
    # QA team was affected"
    r"|(lost|wasted) (only |just )?(about |around )?(half )?(a|an|\w+) (hours?|days?|mornings?|afternoons?|weeks?) "
    r"instead of|(nobody|no one) (\w+ ){0,4}(was|were|got) (affected|hit|impacted)"
    # a customer buying more: "she'd started ordering her office's catering from us"
    r"|(ordering|ordered|orders?|buying|buys?) ([\w']+ ){0,3}from us"
    r"|sell|sold|selling|purchases?|bought|accreditation|compliance|certification|security review"
    # a body outside the team signing off, not the teams in the room agreeing: "legal signed off"
    r"|(legal|security|compliance|audit\w*|the (client|customer|board)s?) signed off"
    r"|passed (the|an|our|its|their) (\w+ )?(review|audit|inspection)"
    # ...said the other way round: "our privacy review passed the next quarter with no findings" (not "the code review
    # passed": the team's own review)
    r"|((privacy|security|compliance|safety|regulatory|legal|accessibility|external) (review|audit|inspection)|audit"
    r"|inspection)s? passed"
    r"|(stopped|stop) (quitting|leaving|churning|giving up|complaining|calling)|(nobody|no one|none of (us|them)) quit"
    # ...or were about to: "two of them had said they'd leave the rota"
    # (not "she said she'd leave it to me")
    r"|(said (they|he|she)('d| would)|(was|were) (going|about|planning) to|threatened to) (leave|quit)"
    r"(?=[,.]|$| (the|our|my) (team|company|rota|rotation|job|org)| (if|unless|because|and|but|so)\b)"
    # ...or were thinking of it, and stayed: "the person who was thinking of leaving stayed"
    r"|(leaving|quitting)( (the|our|my) (team|company|org))? (stayed|decided to stay)"
    # What customers and the business pay for without the words above: goods sent back, a claim bounced, a fine,
    # a subscription kept, work waiting in a queue, people's extra hours ("sofa returns dropped by a fifth",
    # "bounced claims went from one in eight to one in fifty", "a late one would have meant a penalty from the
    # regulator", "subscriptions stopped lapsing", "the backlog went from two weeks to two days", "without the
    # overtime"). "returns" only as goods coming back, not what a function returns.
    r"|(\w+ )?returns (dropped|fell|went|were|came|halved|by)|(fewer|less) returns|return rate"
    # money no longer going out: "we stopped paying for about thirty rooms a week at other hotels"
    r"|(stopped|stop|no longer|weren't|wasn't|without) paying (for|out)"
    r"|(bounced|rejected|denied|insurance) claims|claims (bounced|were rejected|came back|went from|dropped)"
    r"|penalt(y|ies)|fined|a fine (from|of)|regulators?|subscri(ptions?|bers?)|laps(e|ed|es|ing)"
    r"|backlog (went|fell|dropped|was|came)|(through|cleared) the backlog|overtime"
    r"|(to be|got|get|getting) paid"
    # ...work won or kept, and a change that pays its way: "we won back the account", "we stopped losing bids to the
    # cheaper agency", "it paid for itself in a month"
    r"|(won|win|winning) (back )?(the|an|a|our|their|that|this|two|three|\w+ more) (\w+ )?(accounts?|contracts?|deals?"
    r"|clients?|customers?|tenders?|bids?|business)|(stopped|stop|stopping) losing (\w+ )?(bids|deals|customers"
    r"|clients|accounts|tenders|business)|paid for itself"
    # ...and people who pay after trying, or come back to buy: "trial-to-paid went from eleven percent to fifteen",
    # "he came back a week later to buy a case"
    r"|trial[- ]to[- ]paid"
    # ...or said as what a visit ended in: "searches that ended in a click went from about half to two thirds"
    r"|(ended|end|ending) (in|with) a (click|purchase|sale|booking|sign[- ]?up|order)"
    r"|(came|come|coming) back (\w+ ){0,3}to (buy|order|shop|book)"
    # ...and people who pay, said as what they did: "a lot more people finished paying with the guest option"
    r"|(finish|finished|finishing|complete|completed|completing) (paying|checking out|checkout|the checkout"
    r"|their (orders?|purchases?|payments?)))\b"
)
# ... and, since nobody can list every role ("the pharmacists", "the HR folks", "the dispatch team"), said
# as a shape: people as the subject (a word for a person who does something: -ers, -ors, -ists, -ians,
# -ants, -ents, -ees, or a group), then what they could now do or were spared ("the tutors could see",
# "the couriers stopped getting sent"). The software's own workers, servers and parsers are not people.
_MACHINES = (r"(?:\w*lists|trees|variants|constants|\w*(?:vectors|errors|monitors|sensors|processors|iterators"
             r"|selectors|validators|connectors|descriptors|tensors|colors|mirrors|cursors|indicators|generators"
             r"|decorators)|components|environments|deployments|experiments|documents|segments|elements|arguments|comments"
             r"|moments|contents|attachments|improvements|measurements|adjustments|fragments|instruments"
             r"|requirements|statements|events|\w*(?:servers|containers|workers|routers|buffers|handlers"
             r"|listeners|schedulers|loggers|parsers|brokers|consumers|producers|controllers|clusters|layers"
             r"|headers|filters|parameters|markers|triggers|timers|counters|loaders|builders|runners|numbers"
             r"|folders|helpers|wrappers|pointers|papers|answers|letters|characters|computers|trackers|crawlers"
             r"|compilers|renderers|providers|bundlers|transformers|encoders|decoders|adapters|mappers|reducers"
             r"|resolvers|watchers|emitters|registers|others|matters|chapters))\b")
_FOR_SOMEONE = re.compile(
    r"\b(the|our|their|its|all the|most of the) ([\w']+ ){0,2}(?!" + _MACHINES + r")"
    # "the dispatch team could", not "the team was happy": the candidate's own team is not who it was for.
    r"([a-z]{2,}(ers|ors|ists|ians|ants|ents|ees)|[a-z]+ teams?|offices?|groups?|folks|staff|crews?|shifts?"
    r"|departments?|desks?"
    r"|company|city|charity|airline|guides|coaches|kids|landlords|families|grads|juniors|interns|hires|mentees"
    r"|newcomers|colleagues|teammates|patients|parents|students)"
    r"( (?!(?:was|were|is|are)\b)[a-z]+){0,4}? "
    # ("...the engineers started asking for her on their projects" is the mentee's standing, not what it did for them)
    r"(could|can|were able to|was able to|stopped|started(?! (asking|requesting) ((him|her|me) )?for\b)|got|didn't"
    r"|did not|no longer|kept|used"
    r"|had (way |much |a lot )?(less|more|fewer)|weren't|wasn't|never|closed|finished|saved|knew|found)\b"
)
_IMPACT = re.compile(f"(?:{_BUSINESS.pattern})|(?:{_FOR_SOMEONE.pattern})")
_GENERIC = re.compile(
    r"\b(communication is (important|key)|teamwork|team work|i learned a lot|learned the importance|great learning"
    r"|always (be|communicate)|it'?s important to|never give up|hard work|work(s|ing)? together|be more careful"
    r"|everything happens|good experience|valuable experience|collaboration is (key|important)"
    r"|great experience|(simple|simpler|simplicity) is (usually |always )?better|as a team is|speak up"
    r"|(is|are) (really |very |so )?important(?=[.!,]|$| (when|if|whenever) )|look for ways to improve"
    r"|feedback is a gift"
    r"|listen to (everyone|others|people|each other|your team)|learn from (my |our |your )?(mistakes|failures?)"
    r"|(bring|brought|get|got) (people|everyone) (along|on board)|need buy[- ]?in|go(ing)? the extra mile"
    r"|customer service is"
    # a virtue and its praise: "quality matters", "persistence pays off", "worth taking the time to do it right"
    r"|\w+ (really )?(matters|pays off|is everything|goes a long way)|do(ing)? (things|it) (the )?right"
    r"|tak(e|ing) the time to"
    # ...and process praised in general: "how important it is to have good processes", "always keep improving"
    r"|good process(es)?|(always |constantly )?keep (on )?improving|continuous(ly)? improv\w*"
    r"|how important it is to (have|be|keep|stay|always)"
    # advice to anyone, in the second person: "you have to stay calm", "you should always look at..."
    r"|you (always )?(have|got) to|you'?ve (always )?got to|you gotta|you should always|stay(ing)? calm"
    r"|on the same page"
    r"|(keep|keeping|have|having) an open mind|open[- ]minded|hear(ing)? (everybody|everyone|people|others) out"
    # self-belief as advice: "always believe in your ideas and push for them even when nobody else does"
    r"|believe in (your|yourself|my|myself|our)|push for (them|it|your \w+) even"
    # the sayings and virtues any story could close with: "fail fast", "lead by example", "I learned to delegate",
    # "every challenge is an opportunity", "it made me a better leader", "at the end of the day it's about people"
    r"|fail fast|measure twice|devil is in the details|no i in team|takes a village|can'?t please everyone"
    # "keep things simple until you need the complexity", "people don't always know what they want"
    r"|know(ing)? (your|the) audience|keep(ing)? (it|things|everything) simple"
    # "a simple process is better than no process", "something is better than nothing"
    r"|is (always |usually )?better than (no|nothing|none)\b"
    r"|(people|users|customers) (don'?t|do not) (always |really )?know what "
    r"they (want|need)"
    r"|trust but verify|quality over quantity|less is more|two heads are better|practice makes perfect"
    r"|better late than never|live and (you )?learn|culture eats|at the end of the day|lead(ing)? by example"
    # ("people don't care how much you know until...", read with the filler "you know" taken out)
    r"|marathon,? (and )?not a sprint|(don'?t|do not) care how much|knowledge is power"
    # "it's all about putting the user first", "it's all about communication", as words are read: the hedge "all"
    # taken out
    r"|(it'?s|it is) about (putting )?(the |your )?(users?|customers?|people|team|communication|relationships)\b"
    r"|put(ting)? (the |your )?(users?|customers?) first"
    r"|honesty is the best|people (always )?come first|never assume|(not|never) (be )?afraid to ask"
    r"|over-?communicat\w*|(be|being|stay|staying) (more )?(positive|proactive|humble|flexible|patient|empathetic"
    r"|organi[sz]ed)|the value of (patience|teamwork|communication|hard work|collaboration|persistence|listening)"
    r"|time management|(it'?s|it is) (okay|ok|fine) to (make mistakes|fail|change (course|direction))|adapt to change"
    r"|comfort zone|(failure|failing|mistakes) (is|are) (just )?(a )?part of (the journey|the process|growing|learning)"
    r"|(every|each|any) (challenge|setback|failure|problem|mistake) is an? (opportunity|lesson)"
    r"|(is|was) an? (great |good |real |valuable )?learning (opportunity|experience)"
    r"|you grow from (it|them|that|mistakes)"
    r"|(learned|learn|how) to (prioriti[sz]e|delegate|trust my team)|planning ahead"
    r"|grew (a lot )?as (an?|a person)|(made me|become|becoming) a better (leader|engineer|person|teammate"
    r"|communicator|developer))\b"
)
# "I then borrowed", "I also paired", "I personally wrote": a step all the same (the hedges are already out).
# ...and a kind of test or check said before the verb: "I load tested the queue", "I spot-checked twenty".
_ADVERB = (r"(?:(?:also|then|first|finally|personally|quickly|eventually|immediately|later|again|myself)\s+"
           r"|(?:load|stress|smoke|unit|spot|soak|dry)[- ]){0,2}")
_PAST_STEP = (r"\w+ed|wrote|rewrote|built|rebuilt|ran|reran|met|set|reset|led|sat|stood|brought|bought|took|made|read"
              r"|dug|got|put|sent|split|cut|gave|began|chose|drew|spent|found|caught|kept|held|taught|went|did|redid"
              r"|re-\w+"  # done again, as Whisper writes it: "I re-sent the invoices", "I re-ran the job"
              r"|drove|broke|threw|tore|shut|hit|let|won|fought|sold|left|froze|flew|hung|dove|spun|stuck|struck|swung"
              r"|shook|oversaw|undertook|withdrew|rode|sought|dealt|shot|swept|spoke|rang|told"
              r"|spread|fed|hid|slid|lit|wound|bound|bent|woke"
              r"|had (him|her|them|each|two|my)")  # not "I had the spec"
# People often tell the Action in the present: "so I sit down with the logs, I find the loop, I pull it out".
# Only verbs of doing: "I think", "I mean", "I guess", "I know" are not steps.
_PRESENT_STEP = (r"sit|find|pull|push|ship|spot|cap|write|rewrite|build|rebuild|call|open|add|fix|move|rip|take|grab"
                 r"|dig|check|start|kill|delete|drop|cut|split|pair|book|draw|map|script|measure|profile|trace|patch"
                 r"|roll|revert|merge|deploy|walk|sketch|pick|switch|swap|change|bump|restart|file|track|chase|phone"
                 r"|meet|schedule|throw|set up|go through|go back|go over|put together|pull together|run|set|put"
                 # Passing word on, counted here and half taken back by _TELLING_STEP.
                 r"|notice|send|tell|message|ping|email|escalate|raise|mention|report|flag|talk|ask")
_ACTION_STEP = re.compile(
    r"\bi " + _ADVERB + r"(" + _PAST_STEP + r"|" + _PRESENT_STEP + r")\b"
    # "I'd sat in on three calls" (had), "I'm going through the heap dumps" (the present, as it happened).
    r"|\bi'd " + _ADVERB + r"(\w+ed|written|built|sat|set|made|taken|gone|done|put|found|gotten|got|dug|brought)\b"
    # ...and what the speaker did each time ("I'd go through it with him the day before each review"): would, not had
    # ("what I'd run" names a step already counted, or done before the story: not one more)
    r"|(?<!what )(?<!which )(?<!that )\bi'd " + _ADVERB + r"(" + _PRESENT_STEP + r")\b"
    # Reading the evidence is a step: "I saw in the traces it was all timing out on the widget".
    r"|\bi " + _ADVERB + r"saw (in|on|from) (the|our|my|their) ([\w-]+ )?(traces?|logs?|dashboards?|graphs?|metrics"
    r"|data|dumps?|profiles?|query plans?|numbers)\b"
    # A proposal said out loud is a step: "so I said, can we try it for one week", "I said we have maybe two
    # hundred users, let's just do one app".
    r"|\bi (said|told (them|him|her|the team)),? ([^.?!]{0,60}?,? )?(can we|could we|let's|what if|why don't we"
    r"|how about)\b"
    r"|\bi'm " + _ADVERB + r"(?!(thinking|wondering|hoping|feeling|telling|asking|saying|talking|trying|going to)\b)"
    r"\w+ing (through|into|up|out|over|the|a|an|every|all|each|my|our|their|his|her|it|them)\b"
)
# A second step with the same "I": "I dug through the logs and found the job", "I pulled the logs and made a
# chart", "I opened the dashboard and checked the pool". Only a past verb of doing right after "and", with no
# other subject (we, they, he, she) since the "I".
_ALSO_DID = re.compile(
    r"\bi " + _ADVERB + r"(?:" + _PAST_STEP + r")\b(?:(?!\b(?:we|they|he|she|you|i|and)\b)[^.;?!])*"
    r"\band (?:then |also )?(found|made(?! sure)|wrote|built|ran|set|took|put|moved|added|fixed|rewrote|pulled|checked"
    r"|tested|turned|merged|shipped|opened|drew|booked|called|deleted|replaced|removed|measured|traced"
    r"|profiled|patched|reverted|deployed|rolled|started|split|cut|mapped|scripted)\b"
)
# "I looked into it" names no step at all: it cancels the step its verb counted.
_VAGUE_STEP = re.compile(r"\bi " + _ADVERB + r"(looked into|looked at|worked on|helped with)"
                         r" (it|this|that|things|the (issue|problem|bug))\b"
                         # ...nor does a verb of managing, whatever it manages: "I coordinated with design", "I
                         # handled the knowledge transfer", "I supported him through the first months".
                         r"|\bi " + _ADVERB + r"(coordinated|handled|dealt with|took care of|supported|facilitated"
                         r"|oversaw|managed(?! to\b)|helped (\w+ )?out|kept (\w+ ){1,3}in the loop)\b"
                         # "I tried a bunch of different things" names none of them
                         r"|\bi " + _ADVERB + r"tried (a bunch of|a few|some|lots of|a lot of|all kinds of"
                         r"|different|various) (different )?(things|stuff|approaches|ideas|options)\b"
                         # ...nor do options looked into and "it" figured out: "I looked into a few options ... and I
                         # kind of figured it out as I went"
                         r"|\bi " + _ADVERB + r"(looked (into|at)|explored) (a few|some|different|various) (options"
                         r"|approaches|ideas|tools)\b|\bi " + _ADVERB + r"figured (it|things|stuff) out\b"
                         # ...nor do "I worked with a couple of people on it", "I tried to share what I knew", "I
                         # made sure they were comfortable": who with, and the wish, not the work.
                         r"|\bi " + _ADVERB + r"(worked with [\w ]{1,30}? on (it|this|that|things)|tried to (share|help"
                         r"|support|explain|make|get|do)|made sure (they|he|she|everyone|everybody|people|it) "
                         r"(was|were) (ok|okay|fine|comfortable|happy|good|aligned|on board))\b"
                         # ...nor do people called together and a hearing given: "I got everyone together", "I made
                         # sure everyone had a chance to say what they saw".
                         r"|\bi " + _ADVERB + r"((got|brought|pulled) (everyone|everybody|people|the team|them"
                         r"|us|all of us) together|made sure (everyone|everybody|people) (had|got) (a|their) (chance"
                         r"|say|turn))\b"
                         # ...nor time spent with people, on nothing named: "I spent time with a couple of people on
                         # the team and went over things with them"
                         r"|\bi " + _ADVERB + r"spent (some |a lot of )?time with\b")
# Noticing something and passing word on is half a step: "I noticed it and sent a message" is not work done.
_TELLING_STEP = re.compile(r"\bi " + _ADVERB + r"(noticed|sent|told|spoke|rang|messaged|pinged|emailed|escalated"
                           r"|followed|raised|mentioned|reported|flagged|talked|asked|notice|send|tell|message|ping|email|escalate"
                           r"|raise|mention|report|flag|talk|ask)\b")

# A reflection speaks about oneself and what changed: "I would", "next time", "now I", "I learned".
REFLECT_CUE = re.compile(
    # "I'd say" only hedges what follows; "now, every quarter I..." is a habit the story changed.
    r"\b(i would(?! say)|i'd(?! say)|next time|now i|i now|i learned|i learnt|i realized|i realised|differently"
    r"|looking back|in hindsight|i still|since then|these days|nowadays"
    r"|now,? (every|each|whenever|when|before|any time|if))\b"
)
_STOP = set(
    "i me my we our the a an and or but so to of in on at for with that this it is was were be been had have has "
    "did do not no as by from about into than then there their they them you your what which who when how if "
    "would could should can will just really very more most also its it's i'm i've i'd learned learn lesson "
    "next time again realized think thought important".split()
    # Words any story shares with any lesson: a reflection that repeats them is not yet tied to this story.
    + "team teams people everyone everybody someone others other feedback work working things thing project "
    "always communicate communication listen listening problem problems issue issues good better help helped "
    "make made sure something way able need needed want wanted know knew going getting questions".split()
)


# Words people put into the middle of a phrase when they speak: "nobody really owned it", "they just kind of
# fixed it", "it's, like, honestly important". The phrase rules match the sentence with these taken out, so
# a hedge cannot hide a scope boundary or a hand-off; the quote still shows every word that was said.
_HEDGES = re.compile(
    r",?\s*\b(really|actually|just|basically|honestly|literally|totally|like|kind of|sort of|kinda|sorta|um+|uh+|er+"
    r"|hmm+|you know|i mean|i think|i guess|i'd say|pretty much|more or less|even|all|ever)\b,?\s*"
)


def plain(text: str) -> str:
    """Lower case, hedges out, spaces tidied: the form the phrase rules are matched against."""
    return re.sub(r"\s{2,}", " ", _HEDGES.sub(" ", text.lower())).strip()


def _plain_words(words: Sequence[Word]) -> tuple[str, list[int]]:
    """The sentence in plain form, and for each of its characters the index of the word it came from."""
    joined, owner = "", []
    for k, w in enumerate(words):
        joined += w.text.lower() + " "
        owner += [k] * (len(w.text) + 1)
    chars: list[tuple[str, int]] = []
    pos = 0
    for m in _HEDGES.finditer(joined):
        chars += zip(joined[pos:m.start()], owner[pos:m.start()], strict=True)
        chars.append((" ", owner[m.start()]))
        pos = m.end()
    chars += zip(joined[pos:], owner[pos:], strict=True)
    tidy = [c for k, c in enumerate(chars) if not (c[0] == " " and (k == 0 or chars[k - 1][0] == " "))]
    return "".join(c for c, _ in tidy), [k for _, k in tidy]


def _find(segments: Sequence[Segment], names: Sequence[str], pattern: re.Pattern[str],
          unless: Callable[[str], bool] | None = None) -> tuple[str, float, str] | None:
    """First match in the given sections: (quoted words, time of the first quoted word, section). A sentence
    `unless` says yes to is passed over."""
    for seg in segments:
        if seg.name not in names:
            continue
        for sentence in seg.sentences:
            text, owner = _plain_words(sentence.words)
            if unless and unless(text):
                continue
            m = pattern.search(text)
            if m and owner:
                return (*_quoted(sentence, owner, m), seg.name)
    return None


def _quoted(sentence: Sentence, owner: list[int], m: re.Match[str]) -> tuple[str, float]:
    """The words a match in the sentence's plain form came from, with context, and when the first was said."""
    first, last = owner[min(m.start(), len(owner) - 1)], owner[max(m.end() - 1, 0)]
    return _quote(sentence.words, first, last), sentence.words[first].start_s


# Who asks, when the ask names no one ("she asked me to have a look", "he came to me and asked"): someone above the
# speaker if the answer named one before it, or named nobody; a peer if the answer named only peers.
_ASKER_UNNAMED = re.compile(r"^(he|she|they)\b|\bcame to me\b")
_ABOVE = re.compile(r"\b(" + ABOVE_WORDS + r"|leadership)s?\b")
_PEER = re.compile(r"\b(teammates?|colleagues?|co-?workers?|friends?|mentees?|new hires?|classmates?|partners?"
                   # (another contractor or intern, not the speaker: "I was an intern there" names no peer)
                   r"|(?<!was an )(?<!was a )(?<!as an )(?<!as a )(?<!i'm an )(?<!i'm a )(contractors?|interns?)"
                   r"|customers?|one of (the|our|my|their) [\w-]+"
                   r"|a (new |junior |fellow |young )?(guy|girl|woman|man|junior|designer|developer|engineer|nurse) "
                   r"(on|in|from|at|who))\b")


# An ask the speaker then went against: "my lead wanted me to stay on the launch, but I thought locking people out
# was worse".
_PUSHED_AGAINST = re.compile(r"[^.]{0,60}?,? but i (thought|felt|figured|knew|decided|went|did|took)\b")
# ...or said so in the next sentence: "he wanted us to build one that quarter. I ran the data team, and I didn't think
# two anecdotes should decide a quarter of engineering".
_PUSHED_BACK = re.compile(r"^[^.]{0,40}?\b(i (didn'?t|did not) (think|agree)|i disagreed|i pushed back)\b")


def _assigned(segments: Sequence[Segment]) -> tuple[str, float, str] | None:
    """The first ask from above before the story's coda: (quoted words, time, section). "A teammate of mine had
    been stuck for three days; she asked me to have a look" is a peer's request, not the work handed down."""
    before = ""
    actions_told = 0
    told = [(seg, sentence) for seg in _before_coda(segments) for sentence in seg.sentences]
    for k, (seg, sentence) in enumerate(told):
        text, owner = _plain_words(sentence.words)
        # An ask after the first Action sentence is the lead's say in how the work went on ("I showed my
        # lead and she asked me to write it up", "then she told me to keep it off until Monday"): the
        # speaker was already at work, so it is not how the work came to them.
        judged = seg.name in ("situation", "task") or (seg.name == "action" and actions_told == 0)
        for m in _ASSIGNED.finditer(text) if judged and owner else ():
            pushed_back_next = k + 1 < len(told) and _PUSHED_BACK.match(plain(told[k + 1][1].text))
            if _PUSHED_AGAINST.match(text, m.end()) or pushed_back_next:
                continue  # the speaker went the other way: the ask is not how the work came to them
            said = before + " " + text[:m.start()]
            if _ASKER_UNNAMED.search(m.group(0)) and not _ABOVE.search(said) and _PEER.search(said):
                continue
            return (*_quoted(sentence, owner, m), seg.name)
        before += " " + text
        actions_told += seg.name == "action"
    return None


def _before_coda(segments: Sequence[Segment]) -> Sequence[Segment]:
    """The answer up to its coda: what is told after the last Action and a Result after it ("and my director
    asked me to lead the next one") is a consequence of the story, not how the work came to the candidate."""
    last_action = max((i for i, s in enumerate(segments) if s.name == "action"), default=None)
    if last_action is None:
        return segments
    result_after = next((i for i in range(last_action + 1, len(segments)) if segments[i].name == "result"), None)
    return segments if result_after is None else segments[:result_after + 1]


def _quote(words: Sequence[Word], first: int, last: int) -> str:
    """The words first..last of the sentence, with a few words of context after them."""
    return " ".join(w.text for w in words[first:last + 4][:14])


def _section_text(segments: Sequence[Segment], name: str) -> str:
    """The section's words in plain form (see `plain`)."""
    return plain(" ".join(s.text for s in segments if s.name == name))


def _first_words(segments: Sequence[Segment], name: str, n: int = 10) -> tuple[str, float | None]:
    for seg in segments:
        if seg.name == name:
            words = [w for s in seg.sentences for w in s.words]
            return " ".join(w.text for w in words[:n]), words[0].start_s
    return "", None


def _mmss(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def _words_from(words: Sequence[Word], t: float, n: int = 8) -> tuple[str, float | None]:
    """The n words spoken from time t on (or the last n when t is past the end), and when they began."""
    picked = [w for w in words if w.end_s > t][:n] or list(words[-n:])
    return (" ".join(w.text for w in picked), picked[0].start_s) if picked else ("", None)


def _missing(t: SectionTiming, timings: Sequence[SectionTiming], words: Sequence[Word]) -> Flag:
    """Point at where the section should have been: just before the next section in STAR order."""
    order = SECTION_NAMES.index(t.name)
    later = [x for x in timings if x.start_s is not None and SECTION_NAMES.index(x.name) > order]
    if later:
        nxt = min(later, key=lambda x: SECTION_NAMES.index(x.name))
        quote, at = _words_from(words, nxt.start_s or 0.0, 8)
        where = f"the {nxt.name} began with no {t.name} before it"
    else:
        quote, at = _words_from(words, words[-1].start_s + 1, 8)
        where = f"the answer ended with no {t.name}"
    return Flag(f"missing_{t.name}", t.name, quote, at, f"No {t.name} was heard: {where}.")


def timing_flags(timings: Sequence[SectionTiming], words: Sequence[Word], level: str | None) -> list[Flag]:
    flags = []
    for t in timings:
        if t.verdict == "missing":
            flags.append(_missing(t, timings, words))
        elif t.verdict == "long" and t.start_s is not None:
            # Quote what was being said when the section passed 1.5 x its target.
            quote, at = _words_from(words, t.start_s + 1.5 * t.target_s)
            flags.append(Flag(f"overrun_{t.name}", t.name, quote, at,
                              f"The {t.name} ran {t.duration_s:.0f} s against a {t.target_s:.0f} s target."))
        elif t.verdict == "short":
            flags.append(Flag(f"short_{t.name}", t.name, " ".join(t.text.split()[:14]), t.start_s,
                              f"The {t.name} lasted only {t.duration_s:.0f} s against a {t.target_s:.0f} s target."))
    low, high = answer_band(level)
    duration_s = words[-1].end_s - words[0].start_s
    if duration_s > high:
        quote, at = _words_from(words, words[0].start_s + high)
        flags.append(Flag("too_long", None, quote, at,
                          f"The answer ran {_mmss(duration_s)}; keep it within {_mmss(high)} (quoted: what you were "
                          f"saying when {_mmss(high)} passed)."))
    elif duration_s < low:
        quote, at = _words_from(words, words[-1].start_s + 1)
        flags.append(Flag("too_short", None, quote, at,
                          f"The answer lasted {duration_s:.0f} s; aim for {_mmss(low)} to {_mmss(high)}."))
    return flags


def content_flags(segments: Sequence[Segment], principles: Sequence[str] = (),
                  parses: SentenceParses | None = None) -> list[Flag]:
    """The content weaknesses of a segmented answer; given spaCy's parses of sentences (`SentenceParses`), the
    Action's steps are also read from the parse of its sentences (see `parsed_steps`)."""
    flags = []
    action_text = _section_text(segments, "action")
    if action_text:
        we, i = we_and_i(action_text)
        hit = _find(segments, ["action"], WE_WORDS)
        if hit and says_we(we, i):
            flags.append(Flag("we_language", "action", hit[0], hit[1],
                              f"The Action says 'we' {we} times and 'I' {i} times: what did you do?"))
        parse = None if parses is None else parses.tokens(
            [sentence.text for s in segments if s.name == "action" for sentence in s.sentences])
        steps = concrete_steps(action_text, parse)
        if steps < 2:
            quote, start = _first_words(segments, "action")
            flags.append(Flag("vague_action", "action", quote, start,
                              f"Only {steps:g} concrete first-person step(s) in the Action (passing word on counts "
                              "half); name 2-4 things you did."))
    hit = _assigned(segments)
    # "The VP asked me to make a recommendation, and it was my call": asked, and owned.
    if hit and not _OWNED_CALL.search(_section_text(segments, hit[2])):
        flags.append(Flag("assigned_task", hit[2], hit[0], hit[1], "The work was assigned to you, which hides "
                                                                   "ownership."))
    wants_scope = not principles or bool(SCOPE_PRINCIPLES & set(principles))
    if wants_scope and not (_find(segments, SECTION_NAMES, _SCOPE, unless=_echoes_the_ask if hit else None)
                            or not hit and _find(segments, ["situation", "task"], _OFFERED, unless=_answers_an_ask)):
        # Quote the Task, or the opening of the answer when there is no Task at all.
        quote, start = _first_words(segments, "task")
        if start is None and segments:
            quote, start = _first_words(segments, segments[0].name)
        flags.append(Flag("no_scope_boundary", "task", quote, start,
                          "The Task never says whose job this was, so the interviewer assumes it was assigned."))
    hit = _find(segments, ["action", "result", "task"], _HANDOFF, unless=_not_passed_on) or _handed_on_then_done(
        segments)
    if hit:
        flags.append(Flag("handoff", hit[2], hit[0], hit[1], "The problem was passed to others to solve."))
    result = _section_text(segments, "result")
    if result:
        quote, start = _first_words(segments, "result", 14)
        if not measure(result):
            flags.append(Flag("no_metric", "result", quote, start, "The Result has no number: say what changed, by "
                                                                   "how much."))
        if not business_impact(result):
            flags.append(Flag("no_business_impact", "result", quote, start,
                              "The Result never says what it meant for customers, money or time."))
    flags += _reflection_flags(segments)
    return flags


# Someone's opinion of the work, with what it was about: "the client was happy with the launch" says how the client
# felt, not what the launch did for them.
_OPINION_OF = re.compile(r"\b((was|were) (really |very |so |super |pretty )?(happy|pleased|glad|thrilled|satisfied)) "
                         r"(with|about) (the|our|their|how|it)( \w+)?")


def business_impact(text: str) -> re.Match[str] | None:
    """What the Result meant beyond the code: for customers, money, time, or the people it reached."""
    return _IMPACT.search(_OPINION_OF.sub(r"\1", text))


# A habit told in the present: "any change that touches two regions, I push to the smallest first and I sit on
# the graphs". Two steps of doing in the present and none in the past: a story told in the present ("so I sit
# down with the logs, I find the loop") turns to the past somewhere ("and I rolled it back").
_NOW_STEP = re.compile(r"\bi " + _ADVERB + r"(" + _PRESENT_STEP + r")\b")
_THEN_STEP = re.compile(r"\bi " + _ADVERB + r"(?!(need|feed|proceed|exceed|succeed)\b)(" + _PAST_STEP + r")\b")


def habit(text: str) -> re.Match[str] | None:
    """The first present-tense step of a habit the reply describes, or None."""
    now = list(_NOW_STEP.finditer(text))
    return now[0] if len(now) >= 2 and not _THEN_STEP.search(text) else None


# "I went off and built it", "I went ahead and rolled it back": one step, the second verb.
_WENT_AND = re.compile(r"\bi went (off |ahead |away )?and ")


def concrete_steps(text: str, parse: Any = None) -> float:
    """First-person steps in the plain text: the word lists' count or, given the spaCy parse of the same words,
    the parse's count when it reads more (each misses steps the other finds); passing word on counts half, and a
    step that names nothing ("I looked into it") takes one back."""
    text = _WENT_AND.sub("i ", text)
    listed = len(_ACTION_STEP.findall(text)) + len(_ALSO_DID.findall(text))
    steps = max(listed, parsed_steps(parse)) if parse is not None else listed
    return steps - len(_TELLING_STEP.findall(text)) / 2 - len(_VAGUE_STEP.findall(text))


# Verbs whose subject is "I" that say what the speaker was, had, thought, wanted, said or tends to do: not steps taken.
_NOT_A_STEP = frozenset(
    "was were am is are be been had has have could would should might must can will 'd 'm 've wanted want needed "
    "need thought think knew know felt feel guessed guess meant mean hoped hope wished wish liked like loved love "
    "realized realize realised realise learned learnt learn remembered remember believed believe wondered wonder "
    "tried try decided decide figured figure got get kept keep started start began begin went go came come said "
    "say saw see tend seem".split())


def parsed_steps(parse: Iterable[Any]) -> int:
    """Steps in a spaCy parse (the tokens of one Doc, or of each sentence's Doc in turn): each verb of doing, past or
    present, whose subject is "I", and each verb joined to it that has no subject of its own ("I loaded the
    certificate, tested a login and posted the fix": three). The parse reads verbs no word list names ("I shrank the
    database")."""
    steps = set()
    for token in parse:
        if token.lower_ == "i" and token.dep_ == "nsubj":
            steps |= {(id(verb.doc), verb.i) for verb in _sharing_the_subject(token.head)
                      if verb.tag_ in ("VBD", "VBP", "VBZ") and verb.lower_ not in _NOT_A_STEP}
    return len(steps)


def _sharing_the_subject(verb: Any) -> list[Any]:
    """The verb, and the verbs coordinated with it that name no subject of their own ("...and they added an index"
    has one, so it is not the speaker's step)."""
    verbs, todo = [verb], [verb]
    while todo:
        for child in todo.pop().children:
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children)
            if child.dep_ == "conj" and child.pos_ == "VERB" and not own_subject:
                verbs.append(child)
                todo.append(child)
    return verbs


# The past forms a story and its lesson tell the same verb in: "two services wrote most of it" and "look at what's
# being written" share "write". A six-letter prefix covers the regular ones.
_IRREGULAR = {"wrote": "write", "written": "write", "built": "build", "found": "find", "took": "take",
              "taken": "take", "made": "make", "sent": "send", "spent": "spend", "kept": "keep", "lost": "lose",
              "paid": "pay", "bought": "buy", "brought": "bring", "thought": "think", "taught": "teach",
              "caught": "catch", "sold": "sell", "told": "tell", "gave": "give", "given": "give", "broke": "break",
              "broken": "break", "chose": "choose", "chosen": "choose", "grew": "grow", "grown": "grow",
              "fell": "fall", "felt": "feel", "held": "hold", "learnt": "learn"}


def _content_words(text: str) -> set[str]:
    words = (_IRREGULAR.get(w, w) for w in re.findall(r"[a-z']+", text.lower()))
    return {_stem(w)[:6] for w in words if w not in _STOP and len(w) > 3}


def _stem(word: str) -> str:
    """The word without a regular ending, so a short verb matches its past: "pair earlier" and "I paired with him",
    "group failures" and "I grouped them" (a six-letter prefix alone keeps "paired" and "pair" apart)."""
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


# A platitude named as what the lesson is not: "a postmortem that ends with be more careful has found the person,
# not the gap", "instead of just saying communication is important, I now...".
_PLATITUDE_NAMED = re.compile(r"\b(ends? with|ended with|ending with|instead of( just)?( saying)?|rather than( just)?"
                              r"( saying)?)\s*$")


def _asserted_platitude(reflection: str) -> re.Match[str] | None:
    """The first platitude the reflection says as its own lesson, not one it names to set it aside."""
    for m in _GENERIC.finditer(reflection):
        if not _PLATITUDE_NAMED.search(reflection[:m.start()]):
            return m
    return None


def _reflection_flags(segments: Sequence[Segment]) -> list[Flag]:
    reflection = _section_text(segments, "reflection")
    if not reflection:
        return []
    story = " ".join(s.text for s in segments if s.name in ("situation", "task", "action", "result"))
    story_words = _content_words(story)
    shared = _content_words(reflection) & story_words
    generic = _asserted_platitude(reflection)
    # A platitude stays one when the story only names its topic first ("what I learned on the data center move is
    # that planning is everything"): the story's words count from the platitude on.
    tied = _content_words(reflection[generic.start():]) & story_words if generic else shared
    quote, start = _first_words(segments, "reflection", 14)
    if (generic and len(tied) < 3) or (not shared and len(reflection.split()) < 15):
        why = f"'{generic.group(0)}' could close any story" if generic else "nothing in it ties back to this story"
        return [Flag("generic_reflection", "reflection", quote, start, f"The Reflection is generic: {why}.")]
    return []


def delivery_flags(d: Delivery) -> list[Flag]:
    flags = []
    if d.speaking_s >= 20 and d.fillers_per_min > FILLERS_PER_MIN:
        sample = ", ".join(f"'{f.text}' at {f.start_s:.0f}s" for f in d.fillers[:4])
        flags.append(Flag("fillers", None, sample, d.fillers[0].start_s,
                          f"{len(d.fillers)} fillers ({d.fillers_per_min:.1f}/min)."))
    if d.speaking_s >= 20 and d.wpm > PACE_FAST_WPM:
        flags.append(Flag("pace_fast", None, f"{d.wpm:.0f} wpm over {d.speaking_s:.0f} s", d.start_s,
                          f"{d.wpm:.0f} words/min is hard to follow; aim for 130-170."))
    elif d.speaking_s >= 20 and 0 < d.wpm < PACE_SLOW_WPM:
        flags.append(Flag("pace_slow", None, f"{d.wpm:.0f} wpm over {d.speaking_s:.0f} s", d.start_s,
                          f"{d.wpm:.0f} words/min drags; aim for 130-170."))
    if len(d.long_pauses) >= LONG_PAUSES_COUNT:
        sample = ", ".join(f"{p.duration_s:.1f}s at {p.start_s:.0f}s" for p in d.long_pauses[:4])
        flags.append(Flag("long_pauses", None, sample, d.long_pauses[0].start_s,
                          f"{len(d.long_pauses)} pauses of 2 s or more."))
    return flags


def repaired(code: str | None, reply_words: Sequence[Word], story_text: str,
             parse: Iterable[Any] | None = None) -> tuple[bool, str]:
    """Did the follow-up reply supply what the targeted weakness lacked? Returns (repaired, evidence). Given the
    reply's spaCy parse, its steps are counted as the answer's Action's are (`concrete_steps`)."""
    text = " ".join(w.text for w in reply_words)
    low = plain(text)  # read as the answer's sections are: lower case, hedges out
    if code is None:
        return True, "no weakness was targeted"
    checks = {
        "no_scope_boundary": (_SCOPE, "a scope boundary"),
        "assigned_task": (re.compile(_SCOPE.pattern + "|" + _OWNED_CALL.pattern
                                     + r"|\b(because|i chose|i decided|i volunteered|i pushed)\b"),
                          "a reason of your own"),
        "missing_task": (re.compile(_SCOPE.pattern + r"|\b(my (goal|job|role|task)|i (needed|had|wanted|decided) "
                                                     r"to)\b"),
                         "what you owned"),
        "missing_situation": (re.compile(r"\b(was|were|had)\b"), "the context"),
    }
    if code == "no_business_impact":  # read as the Result's is: an opinion of the work is no consequence
        impact = business_impact(low)
        return (bool(impact), f"gave a business consequence: \"{impact.group(0)}\"" if impact
                else "still no business consequence")
    if code in ("no_metric", "short_result", "missing_result"):
        number = measure(low)
        return (bool(number), f"gave a number: \"{number.group(0)}\"" if number else "still no number")
    if code in checks:
        pattern, what = checks[code]
        m = pattern.search(low)
        return (bool(m), f"gave {what}: \"{m.group(0)}\"" if m else f"still no {what}")
    if code in ("we_language", "handoff", "vague_action", "missing_action", "short_action"):
        i = len(I_WORDS.findall(low))
        we = len(WE_WORDS.findall(low))
        steps = concrete_steps(low, parse)
        # "we" is repaired by owning the work; vague or missing actions by naming a step of your own.
        owned = i > we if code == "we_language" else i >= 1
        ok = owned and steps >= 1 and not _HANDOFF.search(low)
        return ok, f"'I' {i} times, 'we' {we} times, {steps:g} concrete step(s)"
    if code in ("generic_reflection", "missing_reflection", "short_reflection"):
        shared = _content_words(text) & _content_words(story_text)
        cue = REFLECT_CUE.search(low) or habit(low)
        specific = len(shared) >= 2 or NUMBER.search(low) or len(reply_words) >= 15
        ok = bool(cue) and bool(specific) and not (_GENERIC.search(low) and len(shared) < 3)
        said = f"\"{cue.group(0)}\"" if cue else "no 'I would / next time / now I'"
        return ok, f"{said}; ties back to the story through: {', '.join(sorted(shared)[:5]) or 'nothing'}"
    # Timing and delivery weaknesses are repaired by a reply that is itself well delivered.
    d = delivery(reply_words)
    ok = d.fillers_per_min <= FILLERS_PER_MIN and (d.wpm == 0 or PACE_SLOW_WPM <= d.wpm <= PACE_FAST_WPM)
    return ok, f"{d.wpm:.0f} wpm, {d.fillers_per_min:.1f} fillers/min in the reply"
