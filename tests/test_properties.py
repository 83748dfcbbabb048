"""Property-based tests of the analysis (issue 7): on random word streams and timings it never raises,
sections never overlap, they stay within the answer's span, and their durations add up to it."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.analysis.timing import section_timings
from simulator.speech.unheard import doubtful_spans, unheard_spans
from simulator.types import SECTION_NAMES, Transcript, Word

# Words that pull towards every role, fillers, numbers, punctuation, and plain noise words.
VOCABULARY = [
    "I", "we", "they", "the", "team", "was", "at", "company", "my", "job", "nobody", "asked", "owned", "it",
    "built", "fixed", "wrote", "rolled", "back", "dropped", "40", "percent", "$90,000", "revenue", "learned",
    "next", "time", "would", "differently", "um", "uh", "you", "know", "like", "so", "and", "then", "because",
    "Situation.", "task,", "result.", "lesson?", "reflection!", "—", "...", "'", "A", "é", "🙂", "x" * 30,
]

words_and_gaps = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.floats(0.0, 4.0), st.floats(0.0, 1.5), st.floats(0.0, 1.0)),
    min_size=1, max_size=160,
)


def as_words(items) -> list[Word]:
    words, t = [], 0.0
    for text, gap, length, probability in items:
        t += gap
        words.append(Word(text, round(t, 3), round(t + length, 3), probability))
        t += length
    return words


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=words_and_gaps, level=st.sampled_from([None, "junior", "mid", "senior", "staff"]))
def test_analysis_of_any_word_stream(analyzer, bank, items, level):
    words = as_words(items)
    question = bank.questions["debug-nobody-owned"]
    report = analyzer.analyze(Transcript(tuple(words), words[-1].end_s + 1.0), question, level)
    first, last = words[0].start_s, words[-1].end_s

    spans = sorted((s["start_s"], s["end_s"]) for s in report["segments"])
    assert all(a_end <= b_start + 1e-6 for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False))
    assert all(first - 0.01 <= start <= end <= last + 0.01 for start, end in spans)
    # The segments tile the answer from its first word to its last, so their durations add up to it...
    assert abs(sum(end - start for start, end in spans) - (last - first)) < 0.05
    # ...and so do the five sections' (a section spoken in two runs counts both).
    sections = report["sections"]
    assert sorted(s["name"] for s in sections) == sorted(SECTION_NAMES)
    assert abs(sum(s["duration_s"] for s in sections) - (last - first)) < 0.05
    assert 0 <= report["score"]["overall"] <= 100


@settings(max_examples=300, deadline=None)
@given(items=words_and_gaps)
def test_section_timings_of_any_segmentation(items):
    from simulator.analysis.segment import Segmenter

    words = as_words(items)
    _, _, segments = Segmenter().segment(words)
    timings = section_timings(segments, dict.fromkeys(SECTION_NAMES, 20.0))
    spoken = [t for t in timings if t.start_s is not None]
    assert all(t.duration_s >= 0 for t in timings)
    assert all(t.verdict == "missing" for t in timings if t.start_s is None)
    assert abs(sum(t.duration_s for t in spoken) - (words[-1].end_s - words[0].start_s)) < 0.05


@settings(max_examples=300, deadline=None)
@given(items=words_and_gaps,
       speech=st.lists(st.tuples(st.floats(0, 300), st.floats(0, 30)), max_size=20))
def test_unheard_stretches_are_inside_speech_and_free_of_words(items, speech):
    words = as_words(items)
    voice = [(s, s + d) for s, d in speech]
    for start, end in unheard_spans(voice, words):
        assert end - start >= 3.0 - 0.01
        assert any(s - 1.0 <= start and end <= e + 1.0 for s, e in voice) or len(voice) > 1
        assert not any(w.start_s - 0.5 < end - 0.01 and w.end_s + 0.5 > start + 0.01 for w in words)
    for start, end in doubtful_spans(words):
        assert words[0].start_s - 0.01 <= start <= end <= words[-1].end_s + 0.01  # rounded to 10 ms


# --- set_apart, by example -------------------------------------------------------------------------------

def timed(text: str, start: float, step: float = 0.35, probability: float = 0.9) -> list[Word]:
    return [Word(t, start + i * step, start + i * step + 0.3, probability) for i, t in enumerate(text.split())]


def test_words_over_silence_or_doubted_by_the_decoder_are_not_heard_and_quiet_speech_is():
    """Whisper's closing inventions are caught by the audio under them, never by their wording."""
    from simulator.speech.evidence import Evidence

    rng = np.random.default_rng(3)
    rate = 16000
    room = 0.0005 * rng.standard_normal(6 * rate)  # a quiet room, about -66 dBFS
    audio = room.copy()
    t = np.arange(2 * rate) / rate
    audio[rate:3 * rate] += 0.01 * np.sin(2 * np.pi * 180 * t) * (1 + np.sin(2 * np.pi * 4 * t))  # soft, -40 dBFS
    audio = np.concatenate([audio, np.zeros(2 * rate)]).astype(np.float32)  # then digital silence
    evidence = Evidence.of(audio)
    assert evidence.heard(1.2, 2.8, no_speech_prob=0.1, confidence=0.9)  # quiet, but above the room
    assert evidence.heard(1.2, 2.8, no_speech_prob=0.5, confidence=0.8)  # doubted, but the words are sure
    assert not evidence.heard(6.5, 7.5, no_speech_prob=0.1, confidence=0.95)  # nothing there at all
    assert not evidence.heard(4.0, 5.5, no_speech_prob=0.6, confidence=0.4)  # room noise, decoder unsure


def test_technical_english_is_kept_and_pseudo_words_are_set_apart_with_their_span():
    from simulator.speech.unheard import set_apart

    english = timed("I sharded the Postgres cluster and made the webhook retries idempotent with a runbook.", 0.5)
    german = timed("Yidam sufathan tleten -t -t venten the soft wear ufredam tesheresh frolbin sumodifitsian "
                   "liten ttsian", 8.0, probability=0.4)
    adjoining = timed("and a man", german[-1].end_s + 0.1)
    words = english + german + adjoining
    voice = [(0.4, english[-1].end_s), (german[0].start_s, words[-1].end_s)]  # a pause between the languages
    out = set_apart(Transcript(tuple(words), 20.0), voice)
    assert [w.text for w in out.words] == [w.text for w in english]
    (start, end), = out.unheard_speech
    assert start == german[0].start_s and end == round(adjoining[-1].end_s, 2)


def test_voice_with_no_words_is_reported():
    from simulator.speech.unheard import set_apart

    english = timed("We shipped the fix on Friday.", 0.5)
    out = set_apart(Transcript(tuple(english), 30.0), [(0.4, 3.0), (4.0, 12.5)])
    assert out.unheard_speech == ((4.0, 12.5),) and len(out.words) == len(english)


def test_a_long_unsure_passage_is_set_apart_and_a_short_one_keeps_its_words():
    from simulator.speech.unheard import set_apart

    english = timed("I rolled back the release myself and the errors stopped within the hour.", 0.5)
    guessed = timed("these soft weights are preventing so for if I take them so more", 6.0, probability=0.5)
    voice = [(0.4, english[-1].end_s), (6.0, guessed[-1].end_s)]
    long_unsure = set_apart(Transcript(tuple(english + guessed), 12.0, unsure=((6.0, guessed[-1].end_s),)), voice)
    assert [w.text for w in long_unsure.words] == [w.text for w in english]
    assert long_unsure.unheard_speech == ((6.0, round(guessed[-1].end_s, 2)),)
    short = set_apart(Transcript(tuple(english + guessed), 12.0, unsure=((6.0, 8.0),)), voice)
    assert len(short.words) == len(english + guessed) and short.unheard_speech == ()


def test_a_few_unsure_words_over_long_pauses_are_kept_not_called_another_language():
    """A hesitant speaker ("Montreal... forced... aligner", mfa_internalsil): eight unsure words over 10 s are
    too few to judge a language by; twelve unsure words over the same span are set apart, as above."""
    from simulator.speech.unheard import set_apart

    hesitant = timed("come on tree all forced align uh er", 0.5, step=1.2, probability=0.4)
    span = (0.5, hesitant[-1].end_s)
    voice = [(w.start_s, w.end_s) for w in hesitant]
    kept = set_apart(Transcript(tuple(hesitant), 11.0, unsure=(span,)), voice)
    assert [w.text for w in kept.words] == [w.text for w in hesitant] and kept.unheard_speech == ()
    more = timed("come on tree all forced align uh er so for if I", 0.5, step=0.8, probability=0.4)
    voice = [(w.start_s, w.end_s) for w in more]
    apart = set_apart(Transcript(tuple(more), 11.0, unsure=((0.5, more[-1].end_s),)), voice)
    assert apart.words == () and apart.unheard_speech


def test_an_unreadable_stretch_is_dropped_once_english_was_found_in_it():
    from simulator.speech.unheard import set_apart

    english = timed("We shipped the fix on Friday.", 0.5)
    out = set_apart(Transcript(tuple(english), 5.0, unheard_speech=((0.4, 2.5), (3.0, 4.5))), [(0.4, 4.5)])
    assert out.unheard_speech == ((3.0, 4.5),)


def test_a_stretch_far_below_the_speakers_own_rate_is_sparse():
    from simulator.speech.unheard import sparse_spans

    steady = timed(" ".join(["word"] * 30), 0.0, step=0.33)  # 3 words a second over 10 s
    hole = timed("and here is a long", 12.0)  # 5 words, then 3 s the decoder skipped: 1 a second
    regions = [(0.0, 10.0), (12.0, 17.0)]
    assert sparse_spans(regions, steady + hole) == [(12.0, 17.0)]
    assert sparse_spans(regions, steady + timed(" ".join(["word"] * 10), 12.0)) == []
