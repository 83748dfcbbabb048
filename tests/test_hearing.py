"""Issue 12, the parts that need no model: what may hold speech is never a pause, missed speech is shown
in its place with its times, numbers read as numbers, and a file with a speaker on each channel keeps both."""

import json

import numpy as np
from rich.console import Console

from simulator.analysis.timing import delivery, find_pauses, missed_speech_note, no_speech_message
from simulator.analysis.transcripts import load_transcript_file
from simulator.modes.export import transcript_html
from simulator.render import transcript_view
from simulator.speech.audio import SAMPLE_RATE, load_audio, mix_channels, write_wav
from simulator.speech.transcribe import join_number_pieces, without_stacked_words
from simulator.speech.unheard import loop_span
from simulator.types import Transcript, Word


def words_at(*times: float) -> list[Word]:
    return [Word(f"w{i}", t, t + 0.3) for i, t in enumerate(times)]


def test_a_gap_over_voice_or_missed_speech_is_no_pause_and_a_silent_gap_is():
    words = words_at(0.0, 0.5, 10.0, 10.5, 20.0)
    assert [(p.start_s, p.end_s) for p in find_pauses(words)] == [(0.8, 10.0), (10.8, 20.0)]
    # Voice from 1 to 9.5 s: what is left of the first gap is under 2 s; the second is a pause outside 12-14 s.
    pauses = find_pauses(words, not_silent=[(1.0, 9.5), (12.0, 14.0)])
    assert [(p.start_s, p.end_s) for p in pauses] == [(14.0, 20.0)]  # 10.8-12.0 is under 2 s
    assert delivery(words, not_silent=[(0.0, 20.5)]).long_pauses == ()


def test_missed_speech_is_named_with_its_times_and_never_as_no_speech():
    note = missed_speech_note([(26.0, 43.0)])
    assert note.startswith("possibly missed speech from 0:26.0 to 0:43.0") and "not counted as a pause" in note
    assert "possibly missed speech from 0:00.0" in no_speech_message("answer", [(0.0, 12.0)])
    assert no_speech_message("answer", []).startswith("no speech heard in the answer")


def report_with_missed_speech() -> dict:
    return {"sentences": [{"start_s": 0.0, "end_s": 5.0, "role": "situation", "text": "We had an outage."},
                          {"start_s": 20.0, "end_s": 25.0, "role": "result", "text": "Errors fell by 0.3%."}],
            "unheard_speech": [[6.0, 18.5]]}


def test_the_transcript_shows_missed_speech_in_its_place():
    console = Console(width=200, record=True)
    console.print(transcript_view(report_with_missed_speech()))
    text = console.export_text()
    assert text.index("outage") < text.index("[0:06.0-0:18.5 possibly missed speech") < text.index("Errors")
    page = transcript_html(report_with_missed_speech())
    assert page.index("outage") < page.index("possibly missed speech to 0:18.5") < page.index("Errors")


def test_a_saved_transcript_keeps_its_missed_speech_and_voice(tmp_path):
    path = tmp_path / "answer.transcript.json"
    transcript = Transcript(tuple(words_at(0.0, 9.0)), 10.0, ((1.0, 8.0),), ((0.0, 9.3),))
    path.write_text(json.dumps(transcript.to_json()))
    loaded = load_transcript_file(path)
    assert loaded.unheard_speech == ((1.0, 8.0),) and loaded.voice == ((0.0, 9.3),)
    assert delivery(loaded.words, not_silent=loaded.voice + loaded.unheard_speech).long_pauses == ()


def test_number_pieces_join_and_other_words_do_not():
    pieces = "cut errors from 2 .5 % to 0 .3%, saving $8 ,000, in 2019, 3 teams".split()
    words = [Word(t, i * 0.3, i * 0.3 + 0.25) for i, t in enumerate(pieces)]
    joined = join_number_pieces(words)
    assert [w.text for w in joined] == "cut errors from 2.5% to 0.3%, saving $8,000, in 2019, 3 teams".split()
    money = next(w for w in joined if w.text == "$8,000,")
    assert (money.start_s, money.end_s) == (words[10].start_s, words[11].end_s)


def test_words_that_take_no_time_are_not_speech_and_a_six_word_loop_is_a_loop():
    # As Whisper wrote them at the end of a real recording on a CPU with AMX int8 kernels: the real last
    # word, then a barely-heard "Thank" and a run of words all at the audio's last instant.
    said = [Word("Alright,", 31.90, 32.12, 0.42), Word("thanks.", 32.50, 32.60, 0.98),
            Word("Thank", 32.60, 32.96, 0.01)]
    invented = [Word(t, 32.96, 32.96, 0.8) for t in "you so much for watching".split()]
    assert [w.text for w in without_stacked_words(said + invented, 32.96)] == ["Alright,", "thanks."]
    # The same run in the middle of the audio is left to the missed-speech checks (German packs words too).
    assert without_stacked_words(said + invented, 60.0) == said + invented
    # Two words at one instant happen (a piece's last word split in two); they stay.
    pair = [Word("ten", 1.0, 1.3), Word("minutes", 1.3, 1.3), Word("later.", 1.3, 1.3)]
    assert without_stacked_words(pair, 1.3) == pair
    # ... and so does a quick "uh, uh, uh, uh" or "word, word, word" Whisper packed into no time (mfa_uhuh and
    # mfa_words on that CPU).
    for said_again in ("uh,", "word,"):
        run = [Word("Montreal,", 0.0, 0.6)] + [Word(said_again, 0.6, 0.6) for _ in range(4)] + [Word("more", 0.6, 1.0)]
        assert without_stacked_words(run, 1.0) == run
    tokens = "I'll see you in the next video see you in the next video see you in the next video".split()
    assert loop_span([Word(t, k * 0.3, k * 0.3 + 0.25) for k, t in enumerate(tokens)]) == (1, len(tokens))


def test_a_speaker_on_each_channel_is_kept_in_the_mix(tmp_path):
    t = np.arange(3 * SAMPLE_RATE) / SAMPLE_RATE
    voice = (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32)
    stereo = np.zeros((7 * SAMPLE_RATE, 2), dtype=np.float32)
    stereo[: voice.size, 0] = voice  # left speaks first
    stereo[4 * SAMPLE_RATE:, 1] = 0.5 * voice  # the right later, quieter
    path = tmp_path / "two.wav"
    write_wav(path, stereo)
    mono = load_audio(path)

    def level(a: float, b: float) -> float:
        return float(np.sqrt(np.mean(mono[int(a * SAMPLE_RATE):int(b * SAMPLE_RATE)] ** 2)))

    # Each speaker at (nearly) full level, not halved by averaging with a silent channel.
    assert level(0.5, 2.5) > 0.9 * 0.3 / np.sqrt(2) and level(4.5, 6.5) > 0.9 * 0.15 / np.sqrt(2)
    assert level(3.2, 3.8) < 1e-3
    same = mix_channels(voice, voice)
    assert np.allclose(same, voice)


def test_the_english_word_list_answers_as_wordfreq_does_without_holding_wordfreq_in_memory():
    import re
    import subprocess
    import sys
    from pathlib import Path

    from wordfreq import zipf_frequency

    from simulator.speech.unheard import RARE_ZIPF, is_english_word

    # Every digit-free word of the spoken-style set, and the sounds tiny.en writes for German, as wordfreq says.
    text = (Path(__file__).parents[1] / "question_bank" / "spoken_answers.yaml").read_text()
    words = {w for w in re.findall(r"[a-z']+", text.lower()) if w.strip("'")}
    words |= {"sufathan", "tleten", "yidam", "idempotent", "kubernetes", "don't", "montree", "maaaaan"}
    disagree = [w for w in words if is_english_word(w) != (zipf_frequency(w.strip("'"), "en") >= RARE_ZIPF)]
    assert len(words) > 2000 and not disagree, disagree[:20]
    assert not is_english_word("sufathan") and is_english_word("idempotent") and is_english_word("p99")
    # The list is read from wordfreq's data file, not through wordfreq (whose 321,000 strings stayed resident).
    probe = ("import sys; from simulator.speech.unheard import is_english_word as e; e('the'); "
             "print('wordfreq' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).parents[1]).stdout
    assert out.strip() == "False"


def test_a_missing_word_list_is_a_setup_error_not_a_traceback(monkeypatch):
    import pytest

    from simulator.errors import SetupError
    from simulator.speech import unheard

    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    unheard._english_hashes.cache_clear()
    unheard.is_english_word.cache_clear()
    with pytest.raises(SetupError, match="wordfreq"):
        unheard.is_english_word("zebra")
    monkeypatch.undo()
    assert unheard.is_english_word("zebra")
