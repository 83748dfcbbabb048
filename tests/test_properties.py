"""Property-based tests of the analysis (issue 7): on random word streams and timings it never raises,
sections never overlap, they stay within the answer's span, and their durations add up to it."""

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


def test_words_written_onto_silence_are_dropped():
    from simulator.speech.unheard import set_apart

    spoken = timed("I rolled back the release and the errors stopped.", 0.5)
    tail = [Word(t, 9.0, 9.0, 0.9) for t in "thank you for watching see you in the next video".split()]
    out = set_apart(Transcript(tuple(spoken + tail), 10.0), [(0.4, spoken[-1].end_s)])
    assert [w.text for w in out.words] == [w.text for w in spoken] and out.unheard_speech == ()


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
