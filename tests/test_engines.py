"""The real engines: faster-whisper with the embedded model, the CLI under bad input, no network, SIGKILL."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.audio import load_audio, write_wav
from simulator.speech.stream import transcribe_recording
from simulator.speech.transcribe import WhisperTranscriber

from .cli import one_line_error, spawn_cli
from .cli import run_cli as cli

ROOT = Path(__file__).resolve().parent.parent
SHARED_AUDIO = ROOT.parent / "shared" / "audio"
DEMO = ROOT / "scripts" / "demo_audio"
pytestmark = pytest.mark.engines


def normalized(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


@pytest.fixture(scope="module")
def transcriber():
    return WhisperTranscriber()


@pytest.mark.skipif(not (SHARED_AUDIO / "fw_jfk.flac").exists(), reason="../shared/audio is not beside this checkout")
def test_whisper_hears_jfk_in_order(transcriber):
    manifest = (SHARED_AUDIO / "MANIFEST.md").read_text()
    reference = re.search(r'fw_jfk.flac`: "([^"]+)"', manifest).group(1)
    t = transcribe_recording(transcriber, load_audio(SHARED_AUDIO / "fw_jfk.flac"))
    assert normalized(t.text) == normalized(reference)
    starts = [w.start_s for w in t.words]
    assert starts == sorted(starts) and 0 <= starts[0] < 1.0 and t.words[-1].end_s <= 11.1


def test_demo_answer_transcribes_with_its_key_words(transcriber):
    t = transcribe_recording(transcriber, load_audio(DEMO / "answer.ogg"))
    heard = set(normalized(t.text))
    assert {"webhook", "retry", "scheduler", "patch", "alert"} <= heard


def files_args(*extra, answer: Path = DEMO / "answer.ogg"):
    return ("interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer),
            "--followup-audio", str(DEMO / "followup.ogg"), "--fast", "--no-speak", *extra)


def test_interview_with_files_prints_the_same_json_it_saves(tmp_path):
    r = cli(*files_args("--json", "--recordings", str(tmp_path)))
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    saved = json.loads((Path(report["attempt"]["folder"]) / "report.json").read_text())
    assert saved == report
    assert report["probe"]["targets"] in ("short_result", "no_business_impact", "no_metric")
    assert report["followup"]["repaired"]["repaired"] is True
    assert [s["name"] for s in report["sections"]] == ["situation", "task", "action", "result", "reflection"]


def test_analyze_json_matches_the_interview_report_shape(tmp_path):
    r = cli("analyze", str(DEMO / "answer.ogg"), "--question", "debug-nobody-owned", "--followup",
            str(DEMO / "followup.ogg"), "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["schema"] == 1 and report["followup"]["probe_id"] == report["probe"]["id"]


@pytest.mark.skipif(shutil.which("unshare") is None or os.geteuid() != 0, reason="unshare -n needs root")
def test_interview_runs_with_no_network_at_all(tmp_path):
    check = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if check.returncode != 0:
        pytest.skip(f"unshare -n is not permitted here: {check.stderr.decode().strip()}")
    # The short demo reply as answer and reply: what is tested is that nothing reaches for the network, and a
    # process of its own decodes every second of audio it is given.
    r = spawn_cli(*files_args("--json", "--recordings", str(tmp_path), answer=DEMO / "followup.ogg"),
                  prefix=("unshare", "-n"), env={"HF_HUB_OFFLINE": "0"})
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["followup"]["score"]["overall"] > 0


def test_missing_model_path(tmp_path):
    r = cli(*files_args("--model", "/no/such/model", "--recordings", str(tmp_path)))
    assert "model path /no/such/model does not exist" in one_line_error(r) and r.returncode == 3


@pytest.mark.parametrize("content", [b"", b"this is not audio at all\n" * 40], ids=["zero-bytes", "text-named-wav"])
def test_unreadable_answer_file(tmp_path, content):
    bad = tmp_path / "answer.wav"
    bad.write_bytes(content)
    err = one_line_error(cli("interview", "--question", "debug-nobody-owned", "--answer-audio", str(bad),
                             "--followup-audio", str(bad), "--no-speak", "--recordings", str(tmp_path / "rec")))
    assert str(bad) in err


def test_missing_answer_file(tmp_path):
    err = one_line_error(cli("analyze", str(tmp_path / "nope.wav")))
    assert "no such file" in err


def test_espeak_missing(tmp_path):
    # Make the espeak-ng library fail to load, exactly as it does when the package is not installed.
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        "import ctypes\n"
        "_load = ctypes.cdll.LoadLibrary\n"
        "def _refuse(name, *a, **k):\n"
        "    if 'espeak' in str(name):\n"
        "        raise OSError(f'{name}: cannot open shared object file')\n"
        "    return _load(name, *a, **k)\n"
        "ctypes.cdll.LoadLibrary = _refuse\n"
    )
    args = [a for a in files_args("--recordings", str(tmp_path / "rec")) if a != "--no-speak"]
    err = one_line_error(spawn_cli(*args, env={"PYTHONPATH": str(site)}))  # the library refused at start-up
    assert "espeak-ng" in err and "--no-speak" in err


def test_no_input_device(tmp_path):
    env = {"PULSE_SERVER": "unix:/nonexistent", "XDG_RUNTIME_DIR": str(tmp_path)}
    # A process of its own: PortAudio finds its devices once, when it starts.
    err = one_line_error(spawn_cli("interview", "--question", "debug-nobody-owned", "--no-speak",
                                   "--recordings", str(tmp_path / "rec"), env=env, timeout=60))
    assert "input device" in err and "--answer-audio" in err


def test_sigkill_mid_recording_leaves_a_playable_wav(tmp_path):
    long_answer = tmp_path / "long.wav"
    rng = np.random.default_rng(0)
    write_wav(long_answer, (0.2 * rng.standard_normal(16000 * 60)).astype(np.float32))
    rec = tmp_path / "rec"
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "interview", "--question", "debug-nobody-owned",
                             "--answer-audio", str(long_answer), "--followup-audio", str(long_answer), "--no-speak",
                             "--recordings", str(rec)], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    def recorded_s() -> float:
        for path in rec.glob("*/answer.wav"):
            try:
                with wave.open(str(path)) as w:  # the header is rewritten as the recording grows
                    return w.getnframes() / w.getframerate()
            except (EOFError, wave.Error):  # created a moment ago: its header is not on disk yet
                return 0.0
        return 0.0

    try:
        deadline = time.monotonic() + 60
        while recorded_s() < 3.0:  # three seconds of the answer are on disk
            assert time.monotonic() < deadline, "the interview never recorded 3 s"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
    wav_path = next(rec.glob("*/answer.wav"))
    seconds = recorded_s()
    assert 3.0 <= seconds <= 3.6  # what was on disk when it was killed, and at most a few blocks more
    decoded = load_audio(wav_path)  # a real decoder agrees with the header
    assert abs(decoded.size / 16000 - seconds) < 0.05
    meta = json.loads(next(rec.glob("*/attempt.json")).read_text())
    assert meta["status"] == "recording"  # never marked complete: a later review shows it as incomplete


def test_speaker_falls_back_to_the_espeak_command_line_when_pyttsx3_gives_nothing(tmp_path, monkeypatch):
    from simulator.errors import SetupError
    from simulator.speech import speak
    from simulator.speech.speak import Pyttsx3Speaker, read_wav

    speaker = Pyttsx3Speaker(play=False, show=lambda text: None)
    monkeypatch.setattr(speaker, "_synthesize_with_pyttsx3", lambda text, path, timeout_s: False)
    asked = []
    command_line = speak.synthesize_with_espeak_cli
    def espeak_cli(text, *rest):
        asked.append(text)
        return command_line(text, *rest)

    monkeypatch.setattr(speak, "synthesize_with_espeak_cli", espeak_cli)
    line = tmp_path / "probe.wav"
    speaker.synthesize("What did you measure afterwards?", line)
    assert asked == ["What did you measure afterwards?"]  # the second try, with the same words
    audio, rate = read_wav(line)
    assert 1.0 < audio.size / rate < 5.0, audio.size / rate  # about 2 s for the five words
    # ...and it says them: the real model hears the probe in the fallback's audio.
    heard = transcribe_recording(WhisperTranscriber(), load_audio(line)).text.lower()
    assert "measure" in heard and "afterwards" in heard, heard
    assert line.stat().st_mode & 0o777 == 0o600

    monkeypatch.setenv("PATH", str(tmp_path / "no-such-bin"))  # and with no espeak-ng command either
    with pytest.raises(SetupError, match="espeak-ng produced no audio"):
        speaker.synthesize("What did you measure afterwards?", tmp_path / "again.wav")
