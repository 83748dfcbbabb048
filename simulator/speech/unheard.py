"""Speech that was heard but not understood as English: found, timed, and kept out of the analysis.

Two signs, because the English-only model fails in two ways on speech it cannot read:
- voice (Silero VAD) with no words at all for 3 s or more;
- words that are mostly not English words, word fragments ("-t") or written at low confidence. Given
  German, tiny.en writes English-looking sounds ("sufathan tleten", "Yidam") rather than nothing.
  Measured on ../shared/audio: in 12-word windows the German part of fw_multilingual.mp3 has 67-75% such
  words, the disfluent English of the MFA clips at most 50% (stammered names: "Montree, Montree"), JFK and
  the demo answers 0%.
Words in a stretch judged unreadable are taken out of the transcript, so the analysis scores only what
was understood; the stretch is reported with its time span as possibly missed speech, never as a pause.
(Text Whisper writes onto silence is caught earlier, by the evidence in the audio: evidence.py.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import SetupError
from ..types import Transcript, Word
from .vad import Span, join_spans

UNHEARD_MIN_S = 3.0  # shorter silences in the words are a cough, a laugh, a name Whisper dropped
WORD_REACH_S = 0.5  # a word accounts for the voice just around it (timestamps are approximate)
SPARSE_WORDS_PER_S = 0.8
SPARSE_SHARE = 0.5
WINDOW_WORDS = 12
DOUBTFUL_SHARE = 0.6
RARE_ZIPF = 1.0  # wordfreq's scale: 1.0 is once per billion words; technical terms ("idempotent") are ~1.8
LOW_PROBABILITY = 0.3
DOUBTFUL_MIN_S = 4.0
ABSORB_MAX_S = 2.0
BRIDGE_MAX_S = 6.0
BRIDGE_CONFIDENCE = 0.6  # the mean word probability under which a short run of words is a guess
PASSAGE_GAP_S = 1.5  # the pause that ends a sentence (segment.py splits sentences there too)
ADJOIN_S = 0.3  # closer than the shortest pause between sentences (Silero cuts at 0.3 s)


def unheard_spans(speech: Sequence[Span], words: Sequence[Word], min_s: float = UNHEARD_MIN_S) -> list[Span]:
    """Stretches of at least `min_s` inside detected speech that no word accounts for."""
    covered = join_spans([(w.start_s - WORD_REACH_S, w.end_s + WORD_REACH_S) for w in words], gap_s=0.0)
    unheard = []
    for start, end in join_spans(speech):
        cursor = start
        for c_start, c_end in covered:
            if c_end <= cursor or c_start >= end:
                continue
            if c_start - cursor >= min_s:
                unheard.append((cursor, c_start))
            cursor = max(cursor, c_end)
        if end - cursor >= min_s:
            unheard.append((cursor, end))
    return [(round(s, 2), round(e, 2)) for s, e in unheard]


def sparse_spans(speech: Sequence[Span], words: Sequence[Word], min_s: float = UNHEARD_MIN_S) -> list[Span]:
    """Stretches of talk of at least `min_s` holding far fewer words than speech does: under 0.8 a
    second (speech runs at 2 to 3), or under half the speaker's own rate over all their voice. That is
    what a decode leaves that skipped a sentence (often at the edge of Whisper's 30 s window) and
    stretched the next one's first words over the hole."""
    regions = sorted(speech)  # Silero's own regions: joining them would dilute the hole
    counts = [sum(start <= (w.start_s + w.end_s) / 2 <= end for w in words) for start, end in regions]
    voiced = sum(end - start for start, end in regions)
    rate = max(SPARSE_WORDS_PER_S, SPARSE_SHARE * sum(counts) / voiced) if voiced else SPARSE_WORDS_PER_S
    # No words at all is a gap, for unheard_spans: sparse means a few words stretched over a hole.
    return [(round(start, 2), round(end, 2)) for (start, end), inside in zip(regions, counts, strict=True)
            if end - start >= min_s and 0 < inside < rate * (end - start)]


@lru_cache(maxsize=4096)
def is_english_word(text: str) -> bool:
    bare = re.sub(r"[^a-z0-9']", "", text.lower()).strip("'")
    if not bare or any(c.isdigit() for c in bare):  # numbers and tokens like "p99" or "35k" (wordfreq says yes)
        return True
    hashes, key = _english_hashes(), hash(bare)
    at = int(np.searchsorted(hashes, key))
    return at < hashes.size and int(hashes[at]) == key


@lru_cache(maxsize=1)
def _english_hashes() -> np.ndarray:
    """The words of wordfreq's English list at RARE_ZIPF and up, as a sorted array of their hashes: a word is
    English when its hash is in it (the same answer as `zipf_frequency(word, "en") >= RARE_ZIPF` on every word
    without a digit, checked on the words of the spoken-style set, the real clips' transcripts, 20,000 words of
    the list and 20,000 random strings). Through wordfreq's own API the list stays in memory as 321,000 Python
    strings, and wordfreq's imports with it: 48 MB resident for the life of the process. Read here one
    frequency bucket at a time from wordfreq's data file, it leaves 2.6 MB of hashes. A str hash is salted per
    process; the array is built and read in the same one."""
    import gzip
    from array import array
    from importlib.util import find_spec

    import msgpack

    spec = find_spec("wordfreq")  # finds the package without importing it (and its regex and langcodes)
    path = Path(spec.submodule_search_locations[0]) / "data" / "large_en.msgpack.gz" if (
        spec and spec.submodule_search_locations) else None
    if path is None or not path.is_file():
        raise SetupError("wordfreq's English word list is missing: run ./scripts/setup (pip install 'wordfreq>=3,<4')")
    hashes = array("q")
    with gzip.open(path, "rb") as data:
        # wordfreq's cBpack: a header, then bucket i holds the words at 10 ** (-i / 100) (zipf 9 - i / 100).
        unpacker = msgpack.Unpacker(data, raw=False)
        buckets = unpacker.read_array_header() - 1
        header = unpacker.unpack()
        if not isinstance(header, dict) or header.get("format") != "cB":
            raise SetupError(f"{path} is not a wordfreq word list: run ./scripts/setup")
        for i in range(buckets):
            bucket = unpacker.unpack()
            if 9 - i / 100 >= RARE_ZIPF:
                hashes.extend(hash(w) for w in bucket)
    return np.sort(np.frombuffer(hashes, dtype=np.int64))


LOOP_REPEATS = 3
HESITATIONS = {"um", "uh", "er", "erm", "hmm", "hm", "mm", "ah", "uhm", "umm", "uhh"}


def token(text: str) -> str:
    """A word as the loop and stacked-word checks compare it: lower case, letters, digits and apostrophes."""
    return re.sub(r"[^a-z0-9']", "", text.lower())


def loop_span(words: Sequence[Word]) -> tuple[int, int] | None:
    """Where the decoder looped: a phrase of two to eight words said three times or more in a row ("see you
    next time, see you next time, see you next time"; "I'm out. I'm out. I'm out."), as (first, last+1)
    word indices, or None. Whisper loops over sound it cannot read, and such a loop is too short for its
    compression check. People repeat a word when they stammer ("Montreal? Montreal? Montreal?") and
    hesitate in runs ("uh, uh, uh"); neither is a phrase, so neither counts."""
    tokens = [token(w.text) for w in words]
    for n in range(2, 9):  # "see you in the next video" is six
        for i in range(len(tokens) - LOOP_REPEATS * n + 1):
            phrase = tokens[i:i + n]
            if len(set(phrase) - HESITATIONS - {""}) < 2:
                continue  # one word again and again, with or without an "uh": a stammer, not a loop
            repeats = 1
            while tokens[i + repeats * n:i + (repeats + 1) * n] == phrase:
                repeats += 1
            if repeats >= LOOP_REPEATS:
                return i, i + repeats * n
    return None


def doubtful(word: Word) -> bool:
    text = word.text.strip(".,?!\"")
    # "-t", "-fathan": Whisper's pieces of a word it could not spell, written as separate words.
    fragment = text.startswith("-") or (len(text) == 1 and text.isalpha() and text.lower() not in "ai")
    return fragment or word.probability < LOW_PROBABILITY or not is_english_word(word.text)


def doubtful_spans(words: Sequence[Word]) -> list[Span]:
    """Stretches where most words are not English words or were barely heard."""
    flags = [doubtful(w) for w in words]
    marked = [False] * len(words)
    for i in range(len(words) - WINDOW_WORDS + 1):
        if sum(flags[i:i + WINDOW_WORDS]) >= DOUBTFUL_SHARE * WINDOW_WORDS:
            for k in range(i, i + WINDOW_WORDS):
                marked[k] = marked[k] or flags[k]
    spans: list[Span] = []
    for i, word in enumerate(words):
        if not marked[i]:
            continue
        # A run of marked words, allowing the English-looking words between them ("the soft wear on").
        # A sentence pause ends the run: the last odd word of the English before it stays out.
        joined = i > 0 and word.start_s - words[i - 1].end_s < PASSAGE_GAP_S
        if spans and joined and any(marked[j] for j in range(max(0, i - WINDOW_WORDS // 2), i)):
            spans[-1] = (spans[-1][0], word.end_s)
        else:
            spans.append((word.start_s, word.end_s))
    return [(round(s, 2), round(e, 2)) for s, e in spans if e - s >= DOUBTFUL_MIN_S]


def set_apart(transcript: Transcript, speech: Sequence[Span]) -> Transcript:
    """The transcript without the words of unreadable stretches, which are reported in time order,
    together with voice that got no words and the stretches the transcript already holds as unheard."""
    heard = list(transcript.words)
    unreadable = doubtful_spans(heard) + unsure_passages(transcript.unsure, heard)
    kept = tuple(w for w in heard if not any(s <= w.start_s <= e for s, e in unreadable))
    gaps = unheard_spans(speech, kept)
    # The transcript's own unheard stretches (failed decodes) stay, unless a re-decode found English in them.
    earlier = [span for span in transcript.unheard_speech if not any(span[0] <= w.start_s <= span[1] for w in kept)]
    # Stretches a few seconds apart are one passage in another language, reported once.
    spans = join_spans([*earlier, *unreadable, *gaps], gap_s=UNHEARD_MIN_S)
    spans, bridged = bridge_doubtful_gaps(spans, list(kept))
    spans, bridged = absorb_edges(spans, bridged)
    return Transcript(tuple(bridged), transcript.duration_s, tuple((round(s, 2), round(e, 2)) for s, e in spans),
                      transcript.voice or tuple(speech), transcript.unsure)


def unsure_passages(unsure: Sequence[Span], words: Sequence[Word]) -> list[Span]:
    """Runs of unsure decodes lasting DOUBTFUL_MIN_S or more and holding WINDOW_WORDS words or more: German read
    by tiny.en comes back as English words ("these soft weights are preventing, so for if I take them") that
    only the decoder's own doubt gives away. Shorter unsure stretches keep their words: a hard sentence in a
    hoarse voice is one. So does a run of a few words spread over long pauses: a word or two at a time is too
    little to call another language (doubtful_spans judges twelve-word windows too), and a hesitant English
    speaker reads as unsure. mfa_internalsil (three words over 10 s: "Montreal... forced... aligner") was set
    apart whole on one CPU, kept on another: the decode's mean log-probability sat at the unsure line."""
    return [span for span in join_spans(unsure, gap_s=PASSAGE_GAP_S) if span[1] - span[0] >= DOUBTFUL_MIN_S
            and sum(span[0] <= w.start_s <= span[1] for w in words) >= WINDOW_WORDS]


def bridge_doubtful_gaps(spans: list[Span], words: list[Word]) -> tuple[list[Span], list[Word]]:
    """Two unreadable passages a few seconds apart, with only doubtful words between them, are one passage:
    between two stretches of German, tiny.en wrote "we're seeing it on the gate, we're seeing it on the"
    at a mean confidence of 0.5. English between two passages is heard with confidence, and stays."""
    out: list[Span] = []
    for span in spans:
        if out and span[0] - out[-1][1] <= BRIDGE_MAX_S:
            between = [w for w in words if out[-1][1] <= w.start_s < span[0]]
            if not between or sum(w.probability for w in between) / len(between) < BRIDGE_CONFIDENCE:
                out[-1] = (out[-1][0], span[1])
                continue
        out.append(span)
    kept = [w for w in words if not any(s <= w.start_s <= e for s, e in out)]
    return out, kept


def absorb_edges(spans: list[Span], words: list[Word]) -> tuple[list[Span], list[Word]]:
    """A short run of words going on without a pause after an unreadable passage belongs to it (the
    loop "and a man and a man" that ends the German): up to ABSORB_MAX_S, when a pause or the end follows."""
    out = []
    for start, end in spans:
        after = [w for w in words if w.start_s >= end - ADJOIN_S]
        run: list[Word] = []
        while after and after[0].start_s - (run[-1].end_s if run else end) <= ADJOIN_S:
            run.append(after.pop(0))
        if run and run[-1].end_s - run[0].start_s <= ABSORB_MAX_S:
            end = run[-1].end_s
        out.append((start, end))
    kept = [w for w in words if not any(s <= w.start_s and w.end_s <= e for s, e in out)]
    return out, kept
