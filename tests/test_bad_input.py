"""Issue 7, bad input: silence, noise, another language, damaged and unusual files, a six-minute answer,
odd answers. Through the real CLI (`analyze`, and `interview` with file answers) and the real model."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.audio import SAMPLE_RATE, load_audio, write_wav

from .cli import one_line_error
from .cli import run_cli as cli

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = ROOT.parent / "shared" / "audio"
DEMO = ROOT / "scripts" / "demo_audio"
pytestmark = pytest.mark.engines


def interview(answer: Path, rec: Path, *extra):
    return cli("interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer),
               "--followup-audio", str(answer), "--fast", "--no-speak", "--recordings", str(rec), *extra)


@pytest.fixture(scope="module")
def demo():
    return load_audio(DEMO / "answer.ogg")


# --- silence and noise ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["silence", "noise", "hum"])
def test_silence_or_noise_is_no_speech_never_a_transcript(tmp_path, kind):
    rng = np.random.default_rng(1)
    t = np.arange(20 * SAMPLE_RATE) / SAMPLE_RATE
    audio = {"silence": np.zeros(t.size),
             "noise": 0.3 * rng.standard_normal(t.size),
             "hum": 0.2 * np.sin(2 * np.pi * 50 * t) + 0.02 * rng.standard_normal(t.size)}[kind]
    path = tmp_path / f"{kind}.wav"
    write_wav(path, audio.astype(np.float32))
    r = cli("analyze", str(path), "--json")
    assert "no speech heard in the answer" in one_line_error(r) and r.returncode == 7
    rec = tmp_path / "rec"
    err = one_line_error(interview(path, rec))
    assert "no speech heard in the answer" in err and "the recording is in" in err
    folder = next(p for p in rec.iterdir() if p.is_dir())
    assert (folder / "answer.wav").stat().st_size > 0  # what was recorded is kept
    assert not (folder / "report.json").exists()  # and never scored
    assert json.loads((folder / "answer.transcript.json").read_text())["words"] == []


# --- another language --------------------------------------------------------------------------------

def german_is_set_apart(report: dict) -> None:
    """The German (about 0:31 to the end) is reported, the English before it analyzed, and nothing is
    written for the German. Bounds, not exact times: int8 kernels differ from one CPU to another."""
    spans = report["unheard_speech"]
    assert spans and 29.0 <= spans[0][0] <= 33.0 and spans[-1][1] >= 57.0, spans
    covered = sum(min(e, 57.0) - max(s, 33.0) for s, e in spans if e > 33.0 and s < 57.0)
    assert covered >= 0.9 * 24.0, spans  # nearly all of 0:33-0:57 is reported, not shown as pauses
    assert "hereby granted" in report["transcript"].lower()
    assert [w["text"] for w in report["words"] if w["start_s"] >= 32.0] == []  # no invented English for it
    assert not any(p["start_s"] >= 31.0 for p in report["delivery"]["long_pauses"])


@pytest.mark.skipif(not (SHARED_AUDIO / "fw_multilingual.mp3").exists(), reason="../shared/audio is not beside this "
                                                                                "checkout")
def test_german_after_english_is_reported_with_its_span_and_the_english_is_analyzed(tmp_path):
    r = cli("analyze", str(SHARED_AUDIO / "fw_multilingual.mp3"), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    german_is_set_apart(report)
    assert report["sections"] and report["score"]["overall"] >= 0
    r = cli("analyze", str(SHARED_AUDIO / "fw_multilingual.mp3"))
    text = " ".join(r.stdout.split())
    assert re.search(r"possibly missed speech from 0:(29|3[0-3])\.\d to 0:5[7-9]\.\d", text), text[-2000:]


@pytest.mark.skipif(not (SHARED_AUDIO / "fw_multilingual.mp3").exists(), reason="../shared/audio is not beside this "
                                                                                "checkout")
def test_german_in_an_interview_answer_is_found_by_the_stream_too(tmp_path):
    r = interview(SHARED_AUDIO / "fw_multilingual.mp3", tmp_path / "rec", "--json")
    assert r.returncode == 0, r.stderr
    german_is_set_apart(json.loads(r.stdout))


def test_only_another_language_says_so(tmp_path):
    if not (SHARED_AUDIO / "fw_multilingual.mp3").exists():
        pytest.skip("../shared/audio is not beside this checkout")
    german = load_audio(SHARED_AUDIO / "fw_multilingual.mp3")[31 * SAMPLE_RATE:]
    path = tmp_path / "german.wav"
    write_wav(path, german)
    err = one_line_error(cli("analyze", str(path)))
    assert "no English speech in the answer" in err and "possibly missed speech from 0:0" in err


# --- damaged and unusual files --------------------------------------------------------------------------

def _ffmpeg_like(tmp_path, demo, kind) -> Path:
    """The demo answer re-encoded the way a user's file might come: via PyAV, which faster-whisper uses."""
    import av

    path = tmp_path / {"8k": "phone.wav", "48k-stereo": "studio.wav", "flac": "answer.flac"}[kind]
    rate, layout = {"8k": (8000, "mono"), "48k-stereo": (48000, "stereo"), "flac": (16000, "mono")}[kind]
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le" if path.suffix == ".wav" else "flac", rate=rate, layout=layout)
        frame = av.AudioFrame.from_ndarray((np.clip(demo, -1, 1) * 32767).astype(np.int16)[None, :], format="s16",
                                           layout="mono")
        frame.sample_rate = SAMPLE_RATE
        resampler = av.AudioResampler(format="s16", layout=layout, rate=rate)
        for resampled in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


@pytest.mark.parametrize("kind", ["8k", "48k-stereo", "clipped", "truncated"])
def test_unusual_but_decodable_files_are_transcribed(tmp_path, demo, kind):
    if kind == "clipped":
        path = tmp_path / "clipped.wav"
        write_wav(path, np.clip(demo * 8.0, -1.0, 1.0))  # hard clipping, as a hot microphone gives
    elif kind == "truncated":
        whole = tmp_path / "whole.wav"
        write_wav(whole, demo)
        data = whole.read_bytes()
        path = tmp_path / "truncated.wav"
        path.write_bytes(data[: len(data) // 2 + 1])  # cut mid-sample; the header still claims it all
    else:
        path = _ffmpeg_like(tmp_path, demo, kind)
    r = cli("analyze", str(path), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    heard = report["transcript"].lower().replace("web hook", "webhook")  # tiny.en writes it either way
    assert "webhook" in heard and "retry" in heard, heard
    expected_s = demo.size / SAMPLE_RATE / (2 if kind == "truncated" else 1)
    assert abs(report["duration_s"] - expected_s) < 1.0


def test_files_decode_to_the_samples_faster_whisper_decodes(tmp_path, demo):
    """audio.decode_samples is PyAV called as faster_whisper.audio.decode_audio calls it (without importing
    faster-whisper before the first question): the same samples, to the bit, whatever the file."""
    from faster_whisper.audio import decode_audio

    from simulator.speech.audio import decode_samples

    whole = tmp_path / "whole.wav"
    write_wav(whole, demo[: 20 * SAMPLE_RATE])
    truncated = tmp_path / "truncated.ogg"
    data = (DEMO / "answer.ogg").read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    files = [DEMO / "answer.ogg", whole, truncated, _ffmpeg_like(tmp_path, demo[: 20 * SAMPLE_RATE], "8k"),
             _ffmpeg_like(tmp_path, demo[: 20 * SAMPLE_RATE], "48k-stereo")]
    files += [p for p in (SHARED_AUDIO / "fw_multilingual.mp3", SHARED_AUDIO / "mfa" / "mfa_um.flac") if p.exists()]
    for path in files:
        stereo = path.name == "studio.wav"
        expected = decode_audio(str(path), sampling_rate=SAMPLE_RATE, split_stereo=stereo)
        expected = np.stack(expected, axis=1).ravel() if stereo else expected
        got = decode_samples(path, stereo=stereo)
        assert got.dtype == np.float32 and got.shape == expected.shape and np.array_equal(got, expected), path


@pytest.mark.parametrize("kind", ["zero-bytes", "text-named-wav", "unsupported", "header-only"])
def test_undecodable_files_are_one_line_errors(tmp_path, kind):
    path = tmp_path / {"zero-bytes": "a.wav", "text-named-wav": "a.wav", "unsupported": "a.mid",
                       "header-only": "a.wav"}[kind]
    if kind == "zero-bytes":
        path.write_bytes(b"")
    elif kind == "text-named-wav":
        path.write_text("this is a shopping list, not audio\n" * 20)
    elif kind == "unsupported":  # a MIDI file: music notes, not sound
        path.write_bytes(b"MThd\x00\x00\x00\x06\x00\x00\x00\x01\x00\x60MTrk\x00\x00\x00\x04\x00\xff\x2f\x00")
    else:
        whole = tmp_path / "w.wav"
        write_wav(whole, np.zeros(16000, dtype=np.float32))
        path.write_bytes(whole.read_bytes()[:44])
    r = cli("analyze", str(path))
    assert str(path) in one_line_error(r) and r.returncode == 5
    rec = tmp_path / "rec"
    err = one_line_error(interview(path, rec))
    assert str(path) in err


# --- a long answer ----------------------------------------------------------------------------------------

def test_a_long_answer_is_flagged_too_long_and_an_interview_caps_it(tmp_path, demo):
    # Six minutes of words (plain text is timed at 150 words a minute): the flag is the analysis's, whatever
    # heard the words. (The memory a long answer takes through the real model is a scripts/bench figure.)
    path = tmp_path / "six.txt"
    path.write_text("I was on call so I traced the errors and I rolled back the release and it held. " * 60)
    r = cli("analyze", str(path), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["answer_s"] > 5.5 * 60
    assert "too_long" in {f["code"] for f in report["flags"]}
    # Through the interview the cap ends a six-minute recording (--max-seconds, 240 by default), and nothing
    # said before the cap is lost.
    gap = np.zeros(SAMPLE_RATE, dtype=np.float32)
    reps = int(np.ceil(6 * 60 / (demo.size / SAMPLE_RATE + 1)))
    long = np.concatenate([np.concatenate([demo, gap])] * reps)[: 6 * 60 * SAMPLE_RATE]
    audio = tmp_path / "six.wav"
    write_wav(audio, long)
    rec = tmp_path / "rec"
    r = interview(audio, rec, "--json", "--max-seconds", "60")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["attempt"]["answer_ended_by"] == "cap"
    assert 59 <= report["duration_s"] <= 61
    assert report["words"][-1]["end_s"] > 55


# --- odd answers -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, check", [
    ("Um, uh, um. Uh, hmm, um. Er, um, uh.", "fillers"),
    ("Fixed.", "one_word"),
])
def test_odd_spoken_answers_are_handled(tmp_path, text, check):
    from simulator.speech.synth import synthesize_sections

    path = tmp_path / "odd.wav"
    write_wav(path, synthesize_sections([("answer", text)])[0])
    r = cli("analyze", str(path), "--json")
    if r.returncode != 0:  # Whisper may write no words for a murmur: then that is said plainly
        err = one_line_error(r)
        assert "no speech heard" in err or "possibly missed speech from 0:0" in err
        return
    report = json.loads(r.stdout)
    codes = {f["code"] for f in report["flags"]}
    assert report["score"]["overall"] < 40
    assert "too_short" in codes or "missing_action" in codes, codes


def test_an_answer_with_no_pauses_at_all(tmp_path):
    words = [{"text": w, "start_s": i * 0.3, "end_s": i * 0.3 + 0.3}
             for i, w in enumerate(("I was on call and I saw the errors climb so I rolled back the release and "
                                    "the errors fell to zero within ten minutes and I learned to check dashboards "
                                    "first").split() * 6)]
    path = tmp_path / "words.json"
    path.write_text(json.dumps({"words": words}))
    r = cli("analyze", str(path), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    spans = [(s["start_s"], s["end_s"]) for s in report["sections"] if s["start_s"] is not None]
    assert spans and all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert report["delivery"]["long_pauses"] == []
