"""Streaming transcription: where it cuts, that words land on the answer's clock, and real-model quality."""

import re
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.stream import StreamingTranscriber, find_cut, quietest_point
from simulator.types import Transcript, Word

from .cli import wait_for

SR = 16000


@pytest.mark.parametrize(
    "speech, size, expected",
    [
        ([], 48000, 48000),  # no speech at all: cut it whole
        ([{"start": 0, "end": 40000}], 48000, 40000 + 2400),  # trailing pause of 0.5 s
        ([{"start": 0, "end": 47000}], 48000, None),  # still speaking
        ([{"start": 0, "end": 16000}, {"start": 24000, "end": 47900}], 48000, 20000),  # pause inside
        ([{"start": 0, "end": 16000}, {"start": 17000, "end": 47900}], 48000, None),  # gap too short
    ],
)
def test_find_cut(speech, size, expected):
    assert find_cut(np.zeros(size, dtype=np.float32), speech) == expected


def test_no_cut_before_the_minimum_piece():
    speech = [{"start": 0, "end": 16000}, {"start": 24000, "end": 47900}]
    assert find_cut(np.zeros(48000, dtype=np.float32), speech, min_at=32000) is None


def test_forced_cut_goes_to_the_quietest_moment_of_the_last_second():
    audio = np.full(SR * 15, 0.5, dtype=np.float32)
    audio[SR * 14 + 6400 : SR * 14 + 6720] = 0.0
    assert quietest_point(audio) == SR * 14 + 6400


class GridTranscriber:
    """Answers with one word per second of the answer's clock (at 0.1, 1.1, 2.1 ...) inside the audio given."""

    def __init__(self):
        self.calls = []

    def transcribe(self, audio, offset_s=0.0, context=""):
        self.calls.append((offset_s, audio.size, context))
        end = offset_s + audio.size / SR
        first = int(np.ceil(offset_s - 0.1))
        starts = [t for t in range(first, int(end)) if offset_s <= t + 0.1 and t + 0.3 <= end]
        words = tuple(Word(f"t{t}", t + 0.1, t + 0.3) for t in starts)
        return Transcript(words, audio.size / SR)


def pauses_every(seconds: float):
    """A fake VAD: speech with a 0.5 s pause every `seconds` of the answer."""

    def vad(audio):
        step, pause = int(seconds * SR), SR // 2
        return [{"start": s, "end": min(s + step - pause, audio.size)} for s in range(0, audio.size, step)]

    return vad


def feed(stream, seconds):
    for _ in range(int(seconds * 10)):
        stream.insert(np.zeros(1600, dtype=np.float32))


def test_pieces_are_cut_at_pauses_and_decoded_with_the_audio_and_words_before_them():
    recorder = GridTranscriber()
    stream = StreamingTranscriber(recorder, vad=pauses_every(4.0), speculate=False)
    feed(stream, 40)
    transcript = stream.finish()
    pieces = stream.pieces[:-1]  # the last entry is the (here empty) tail sent by finish()
    assert pieces[0][0] == 0.0 and all(a[1] == b[0] for a, b in zip(pieces, pieces[1:], strict=False))
    assert all(end - start >= 6.0 for start, end in pieces)  # no piece shorter than the minimum
    for (offset, size, _), (start, end) in zip(recorder.calls, stream.pieces, strict=True):
        assert offset + size / SR == pytest.approx(end)  # each call ends where its piece ends
        assert start - offset == pytest.approx(min(start, 8.0))  # and starts up to 8 s earlier
    assert recorder.calls[0][2] == "" and recorder.calls[-1][2].startswith("t0 t1")  # earlier text is the prompt
    # Overlaps and held-back words are merged: every word once, in order, on the answer's clock.
    assert [w.text for w in transcript.words] == [f"t{t}" for t in range(40)]
    assert transcript.duration_s == 40.0


def test_a_cut_is_forced_after_fifteen_seconds_without_a_pause():
    def all_voice(audio):
        return [{"start": 0, "end": audio.size}]

    stream = StreamingTranscriber(GridTranscriber(), vad=all_voice, speculate=False)
    feed(stream, 40)
    transcript = stream.finish()
    sizes = [end - start for start, end in stream.pieces]
    assert all(size <= 15.5 for size in sizes) and len(sizes) == 3
    assert [w.text for w in transcript.words] == [f"t{t}" for t in range(40)]


def test_when_the_answer_ends_only_the_tail_is_left():
    stream = StreamingTranscriber(GridTranscriber(), vad=pauses_every(4.0), speculate=False)
    feed(stream, 30)
    done_before_end = len(stream.pieces)
    stream.finish()
    assert done_before_end >= 3 and len(stream.pieces) - done_before_end == 1
    start, end = stream.pieces[-1]
    assert end - start <= 8.5


def paused_at_end_up_to(limit_s: float):
    """A fake VAD: audio up to limit_s ends in a 0.5 s pause; longer audio is speech throughout."""

    def vad(audio):
        if audio.size <= limit_s * SR:
            return [{"start": 0, "end": max(audio.size - SR // 2, 1)}]
        return [{"start": 0, "end": audio.size}]

    return vad


def test_speculation_at_a_pause_leaves_nothing_to_decode_when_the_answer_ends_there():
    recorder = GridTranscriber()
    stream = StreamingTranscriber(recorder, vad=paused_at_end_up_to(99), speculate=True)
    feed(stream, 5)  # shorter than a piece, ending in a pause
    wait_for(lambda: recorder.calls, 10.0, "a decode")  # the idle worker decodes it tentatively
    calls = len(recorder.calls)
    transcript = stream.finish()
    assert calls == 1 and len(recorder.calls) == 1 and stream.finish_decoded_s == 0.0
    assert [w.text for w in transcript.words] == [f"t{t}" for t in range(5)]


def test_speech_after_the_speculation_is_decoded_at_the_end():
    recorder = GridTranscriber()
    stream = StreamingTranscriber(recorder, vad=paused_at_end_up_to(5), speculate=True)
    feed(stream, 5)
    wait_for(lambda: recorder.calls, 10.0, "a decode")  # the speculative decode of the first 5 s
    feed(stream, 2)  # the candidate went on speaking
    transcript = stream.finish()
    assert len(recorder.calls) == 2 and stream.finish_decoded_s == 7.0
    assert [w.text for w in transcript.words] == [f"t{t}" for t in range(7)]


def test_a_silent_tail_commits_the_held_back_words_without_decoding():
    recorder = GridTranscriber()
    stream = StreamingTranscriber(recorder, vad=pauses_every(4.0), speculate=False)
    feed(stream, 8)  # one piece is cut at the pause at 7.5 s; its last 2 s are held back
    stream.vad = lambda audio: []  # from here on, only silence
    feed(stream, 1)
    transcript = stream.finish()
    assert len(stream.pieces) == 2 and stream.finish_decoded_s == 0.0
    # t6 (at 6.1 s) was held back from the piece ending at 7.65 s; it is kept, and nothing is decoded again.
    assert [w.text for w in transcript.words] == [f"t{t}" for t in range(7)]


def test_a_failing_worker_surfaces_at_finish_without_stopping_the_recording():
    class Broken:
        def transcribe(self, audio, offset_s=0.0, context=""):
            raise RuntimeError("model died")

    stream = StreamingTranscriber(Broken(), vad=pauses_every(4.0), speculate=False)
    feed(stream, 10)  # insert() keeps working
    with pytest.raises(RuntimeError, match="model died"):
        stream.finish()


def words_of(text):
    return re.findall(r"[a-z']+", text.lower())


def wer(reference, hypothesis):
    r, h = words_of(reference), words_of(hypothesis)
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
    return d[len(h)] / len(r)


@pytest.mark.engines
def test_the_live_stream_hears_an_answer_as_well_as_its_recording_is_heard_afterwards(analyzer):
    """While recording, pieces are cut by the VAD as audio arrives and the tail is speculated on; a
    recording on disk (analyze, rescore) is cut from one VAD pass. Both must give the same words."""
    import yaml

    from simulator.speech.stream import transcribe_recording
    from simulator.speech.synth import synthesize_sections
    from simulator.speech.transcribe import WhisperTranscriber

    dev = yaml.safe_load((Path(__file__).parent / "data" / "dev_answers.yaml").read_text())["answers"]
    parts = [tuple(p) for p in next(a for a in dev if a["id"] == "d09")["parts"]]  # a 3-minute answer
    audio, _ = synthesize_sections(parts)
    reference = " ".join(text for _, text in parts)
    transcriber = WhisperTranscriber()
    whole = transcribe_recording(transcriber, audio)
    stream = StreamingTranscriber(transcriber)
    for i in range(0, audio.size, 1600):
        stream.insert(audio[i : i + 1600])
    streamed = stream.finish()
    assert len(stream.pieces) >= 8
    # The goal (within 1 WER point) is over the 41 dev answers (scripts/eval). On one 219-word answer a point
    # is two words, and which two moves with the CPU's int8 kernels: 0.107 streamed against 0.082 whole on a
    # CPU with AMX (2026-12-02), 0.008 apart on the one before. Six words of slack here.
    assert wer(reference, streamed.text) <= wer(reference, whole.text) + 0.03
    sections = [analyzer.analyze(t, None)["sections"] for t in (whole, streamed)]
    moved = [abs((a["start_s"] or 0) - (b["start_s"] or 0)) for a, b in zip(*sections, strict=True)]
    # A sentence whose words differ slightly between the two paths can change section (scripts/eval: 97%
    # of section starts within 1 s, the largest move 14 s), so one section of five may move further.
    assert sum(m <= 1.0 for m in moved) >= len(moved) - 1, moved


class DoubtfulTranscriber(GridTranscriber):
    """GridTranscriber that also reports the second half of its audio as a stretch it was unsure of."""

    def transcribe(self, audio, offset_s=0.0, context=""):
        heard = super().transcribe(audio, offset_s, context)
        seconds = audio.size / SR
        doubt = ((offset_s + seconds / 2, offset_s + seconds),)
        return Transcript(heard.words, heard.duration_s, doubt, unsure=doubt)


def test_drafts_show_the_live_guess_what_is_being_said_and_never_reach_the_transcript():
    recorder = DoubtfulTranscriber()
    always_speaking = lambda audio: [{"start": 0, "end": audio.size}]  # noqa: E731  no pause: no piece is cut
    stream = StreamingTranscriber(recorder, vad=always_speaking, speculate=False, drafts=True)
    feed(stream, 8)
    stream.settle()  # --fast: the worker drafts the pending 8 s now
    assert stream.words() == () and [w.text for w in stream.live_words()] == [f"t{t}" for t in range(8)]
    calls = len(recorder.calls)
    stream.settle()  # nothing new arrived: no second draft of the same audio
    assert len(recorder.calls) == calls
    without_drafts = StreamingTranscriber(DoubtfulTranscriber(), vad=always_speaking, speculate=False)
    feed(without_drafts, 8)
    without_drafts.settle()
    assert without_drafts.live_words() == ()
    feed(stream, 4)
    feed(without_drafts, 4)
    transcript = stream.finish()
    # The tail is decoded for good at the end; the report is what it would have been without drafts:
    # the same words and the same doubts (a draft's doubts are not kept).
    assert len(recorder.calls) == calls + 1
    plain = without_drafts.finish()
    assert transcript.words == plain.words and transcript.words[0].text == "t0"
    assert transcript.unheard_speech == plain.unheard_speech and transcript.unsure == plain.unsure == ((6.0, 12.0),)


def test_a_draft_does_not_decode_again_what_the_speculation_at_a_pause_already_heard():
    recorder = GridTranscriber()
    stream = StreamingTranscriber(recorder, vad=paused_at_end_up_to(99), speculate=True, drafts=True)
    feed(stream, 5)  # shorter than a piece, ending in a pause: the idle worker speculates
    wait_for(lambda: recorder.calls, 10.0, "a decode")
    stream.settle()  # asks for a draft of the same 5 s
    assert len(recorder.calls) == 1
    assert [w.text for w in stream.live_words()] == [f"t{t}" for t in range(5)]
    stream.finish()


def test_the_live_words_hold_each_word_once_when_a_draft_reads_the_held_back_words_again():
    recorder = GridTranscriber()
    stream = StreamingTranscriber(recorder, vad=pauses_every(4.0), speculate=False, drafts=True)
    for _ in range(6):  # 18 s in 3 s steps, as the drill refreshes its guess: pieces are cut and drafts made
        feed(stream, 3)
        stream.settle()
        live = [w.text for w in stream.live_words()]
        # The draft of the pending audio starts over the last piece's held-back words and reads them again.
        assert live == [f"t{t}" for t in range(len(live))], live
    assert len(live) >= 16 and stream.words()  # heard nearly to the end, and some of it kept for good
    stream.finish()
