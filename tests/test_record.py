"""End-of-answer detection and the file-as-microphone path, with fakes and a fake clock."""

import threading
import wave

import numpy as np

from simulator.speech.audio import write_wav
from simulator.speech.record import EndPolicy, FileMicrophone, record

from .fakes import FakeClock, ToneMicrophone


class SpeechThenSilence:
    def __init__(self, speech_s, silence_s):
        self.speech_s, self.silence_s = speech_s, silence_s

    def chunks(self):
        for _ in range(int(self.speech_s * 10)):
            yield np.full(1600, 0.2, dtype=np.float32)
        for _ in range(int(self.silence_s * 10)):
            yield np.zeros(1600, dtype=np.float32)

    def close(self):
        pass


def test_silence_after_speech_ends_the_answer(tmp_path):
    rec = record(SpeechThenSilence(2.0, 30.0), tmp_path / "a.wav", EndPolicy(silence_s=3.0, max_s=60))
    assert rec.ended_by == "silence"
    assert abs(rec.duration_s - 5.0) < 0.11


def test_silence_before_any_speech_does_not_end_it(tmp_path):
    rec = record(SpeechThenSilence(0.0, 5.0), tmp_path / "a.wav", EndPolicy(silence_s=2.0, max_s=60))
    assert rec.ended_by == "end of file"


def test_hard_cap(tmp_path):
    rec = record(ToneMicrophone(30), tmp_path / "a.wav", EndPolicy(silence_s=5, max_s=4.0))
    assert rec.ended_by == "cap" and abs(rec.duration_s - 4.0) < 0.11


def test_enter_ends_the_answer(tmp_path):
    stop = threading.Event()
    seen = []

    def tick(seconds, quiet):
        seen.append(seconds)
        if seconds >= 1.5:
            stop.set()

    rec = record(ToneMicrophone(30), tmp_path / "a.wav", EndPolicy(), stop, tick)
    assert rec.ended_by == "enter" and abs(rec.duration_s - 1.5) < 0.11
    with wave.open(str(tmp_path / "a.wav")) as w:
        assert w.getnframes() == rec.audio.size


def test_file_microphone_plays_in_real_time_on_the_clock(tmp_path):
    path = tmp_path / "in.wav"
    write_wav(path, np.full(16000 * 3, 0.1, dtype=np.float32))
    clock = FakeClock()
    rec = record(FileMicrophone(path, clock=clock), tmp_path / "out.wav")
    assert rec.ended_by == "end of file" and rec.audio.size == 48000
    assert abs(clock.now() - 2.9) < 0.05  # slept until each chunk was due


def test_fast_file_microphone_does_not_wait(tmp_path):
    path = tmp_path / "in.wav"
    write_wav(path, np.full(16000 * 3, 0.1, dtype=np.float32))
    clock = FakeClock()
    record(FileMicrophone(path, clock=clock, fast=True), tmp_path / "out.wav")
    assert clock.now() == 0.0


def test_a_recording_is_a_valid_wav_before_its_first_block(tmp_path):
    # Killed between opening the file and the first block, the recording is still a valid WAV (empty),
    # which any player or reader opens, and which a reader polling a growing recording can read at once.
    from simulator.speech.audio import WavWriter

    writer = WavWriter(tmp_path / "a.wav")
    with wave.open(str(tmp_path / "a.wav")) as w:
        assert (w.getnframes(), w.getframerate(), w.getnchannels()) == (0, 16000, 1)
    writer.write(np.full(1600, 0.2, dtype=np.float32))
    with wave.open(str(tmp_path / "a.wav")) as w:  # still read from disk, not from the writer
        assert w.getnframes() == 1600
    writer.close()
