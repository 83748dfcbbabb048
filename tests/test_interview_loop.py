"""The interview loop with fakes: the right question is spoken, the right probe asked, files written."""

import io
import json
import stat

import pytest
from rich.console import Console

from simulator.archive.store import Store
from simulator.modes.interview import Interview
from simulator.modes.turn import Background
from simulator.speech.record import EndPolicy
from simulator.speech.stream import StreamingTranscriber

from .fakes import RememberingSpeaker, ScriptedTranscriber, ToneMicrophone, scripted


@pytest.fixture
def run_interview(tmp_path, bank, analyzer):
    def run(question_id, answer_text, reply_text, level="mid"):
        q = bank.questions[question_id]
        speaker = RememberingSpeaker()
        transcriber = ScriptedTranscriber(scripted(answer_text), scripted(reply_text))
        interview = Interview(
            question=q, speaker=speaker, transcriber=transcriber, analyzer=Background(lambda: analyzer).start(),
            store=Store(tmp_path / "rec"), console=Console(file=io.StringIO(), width=120),
            # As long as the scripted words: words past the end of the voice would be taken as written on silence.
            answer_mic=lambda: ToneMicrophone(scripted(answer_text).duration_s + 0.5),
            followup_mic=lambda: ToneMicrophone(scripted(reply_text).duration_s + 0.5), level=level,
            policy=EndPolicy(silence_s=5, max_s=600),
            # A VAD that never hears a pause: each answer reaches the scripted transcriber in one piece.
            stream_factory=lambda t: StreamingTranscriber(t, vad=lambda audio: [{"start": 0, "end": audio.size}],
                                                          force_cut_s=1e9, speculate=False),
        )
        report = interview.run()
        return report, speaker, transcriber, tmp_path / "rec" / report["attempt"]["id"]

    return run


def test_question_then_the_probe_for_the_top_weakness_are_spoken(run_interview, bank):
    q = bank.questions["debug-nobody-owned"]
    reply = "I brought a tested patch to their lead and followed up until it was merged."
    report, speaker, transcriber, folder = run_interview(q.id, q.weak.text, reply)
    spoken = [text for text, _ in speaker.said]
    assert spoken[0] == q.text
    assert spoken[1] == bank.questions[q.id].probes[0].text  # handoff -> the question's influence probe
    assert report["probe"]["id"] == "webhook-race-influence"
    assert report["followup"]["probe_id"] == "webhook-race-influence"
    # The transcriber got all of each recording, in one piece (this VAD never hears a pause).
    seconds = [scripted(text).duration_s + 0.5 for text in (q.weak.text, reply)]
    assert [abs(n - s * 16000) <= 1600 for n, s in zip(transcriber.heard, seconds, strict=True)] == [True, True]


def test_every_file_of_the_attempt_is_written_privately(run_interview, bank):
    q = bank.questions["debug-nobody-owned"]
    report, speaker, _, folder = run_interview(q.id, q.strong.text, "I checked the dashboard for 4 weeks.")
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["answer.transcript.json", "answer.wav", "attempt.json", "followup.transcript.json",
                     "followup.wav", "probe.wav", "question.wav", "report.json"]
    assert [path for _, path in speaker.said] == [folder / "question.wav", folder / "probe.wav"]
    saved = json.loads((folder / "report.json").read_text())
    assert saved["score"] == report["score"] and saved["probe"] == report["probe"]
    words = json.loads((folder / "answer.transcript.json").read_text())["words"]
    assert words[0]["text"] == q.strong.text.split()[0]
    meta = json.loads((folder / "attempt.json").read_text())
    assert meta["status"] == "complete" and meta["question_id"] == q.id
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())


def test_recording_is_on_disk_and_matches_the_microphone(run_interview, bank):
    import wave

    q = bank.questions["debug-hardest-bug"]
    _, _, _, folder = run_interview(q.id, q.strong.text, "I measured it.")
    with wave.open(str(folder / "answer.wav")) as w:
        expected = round((scripted(q.strong.text).duration_s + 0.5) * 10) * 1600  # whole 0.1 s chunks
        assert (w.getframerate(), w.getnchannels()) == (16000, 1) and abs(w.getnframes() - expected) <= 1600


def test_live_guess_names_the_section_being_spoken_and_its_time(analyzer, bank):
    from simulator.modes.turn import live_guess

    q = bank.questions["debug-nobody-owned"]
    so_far = " ".join(q.strong.sections[name] for name in ("situation", "task", "action"))
    words = scripted(so_far).words
    text = live_guess(analyzer.segmenter, words, words[-1].end_s + 1.0, q.targets_for("senior"))
    assert text.startswith("· now: action") and text.endswith("/ 1:30.0")
    assert live_guess(analyzer.segmenter, (), 2.0, q.targets_for(None)) == ""


def test_a_section_told_in_two_runs_is_timed_live_on_both():
    from simulator.modes.turn import current_section
    from simulator.types import SECTION_NAMES, Segment, Sentence, Word

    def run(name, start_s, end_s):
        return Segment(name, start_s, end_s, (Sentence(0, (Word("x", start_s, end_s - 0.5),)),))

    class StepsBack:  # situation 0-10, action 10-40, back to the situation 40-50, the action again from 50
        def segment(self, words, span_s=None):
            return [], [], [run("situation", 0, 10), run("action", 10, 40), run("situation", 40, 50),
                             run("action", 50, 62)]

        def content_scores(self, texts):
            return [dict.fromkeys(SECTION_NAMES, 0.0) for _ in texts]

    name, start_s, heard_s = current_section(StepsBack(), [Word("x", 0, 1)], 62.0, 175.0)
    assert (name, heard_s) == ("action", 61.5)
    assert heard_s - start_s == 30 + 11.5  # its first run and this one, not this one alone


def test_a_result_first_opening_read_as_the_situation_is_not_timed_as_the_situation_live(analyzer):
    """Live, before the story has gone far enough for a headline, the ordered labelling reads an opening outcome
    as part of the Situation it leads into; the Situation's time starts at its own first sentence, so its cue
    does not come a sentence early. An opening that is the Situation in its own words is timed from the start."""
    from simulator.modes.turn import current_section

    outcome = "So we ended up cutting the checkout errors from about three hundred a day to twelve."
    context = ("This was at a small online shop, I was the only backend person, and the payment provider had changed"
               " its API the week before, so refunds were failing every night.")
    words = scripted(f"{outcome} {context}").words
    sentences, labels, _ = analyzer.segmenter.segment(words, span_s=150.0)
    assert labels == ["situation", "situation"]  # what the labelling does with it
    name, start_s, heard_s = current_section(analyzer.segmenter, words, words[-1].end_s + 1, 150.0)
    assert (name, start_s, heard_s) == ("situation", sentences[1].start_s, words[-1].end_s)

    words = scripted(context).words
    assert current_section(analyzer.segmenter, words, words[-1].end_s + 1, 150.0)[:2] == ("situation", 0.0)
