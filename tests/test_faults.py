"""Issue 7, faults and privacy: Ctrl-C, a microphone that goes away, a read-only or full recordings
folder, no network for review and export, attempt ids that try to leave the recordings folder."""

import json
import os
import signal
import subprocess
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.audio import SAMPLE_RATE, load_audio, write_wav

from .cli import run_cli as cli
from .cli import spawn_cli, wait_for
from .conftest import start_pulse, stop_pulse

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scripts" / "demo_audio"
pytestmark = pytest.mark.engines


def start(*args, env=None):
    # A suite launched in the background (`cmd &` in a script) starts with SIGINT ignored, and Python then
    # never installs its Ctrl-C handler; give the child the default back, as a terminal would have it.
    return subprocess.Popen([sys.executable, "-m", "simulator", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def last_line(stderr: str) -> str:
    assert "Traceback" not in stderr, stderr
    return [line for line in stderr.strip().splitlines() if line.strip()][-1]


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


@pytest.fixture(scope="module")
def three_minutes(tmp_path_factory):
    demo = load_audio(DEMO / "answer.ogg")
    gap = np.zeros(SAMPLE_RATE, dtype=np.float32)
    path = tmp_path_factory.mktemp("long") / "three.wav"
    write_wav(path, np.concatenate([demo, gap, demo, gap, demo])[: 180 * SAMPLE_RATE])
    return path


# --- Ctrl-C ------------------------------------------------------------------------------------------------

def interrupt(proc, rec: Path) -> Path:
    """Ctrl-C the interview: exit 130 and a last line naming the attempt's folder, which is returned."""
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    folder = next(rec.glob("*/answer.wav")).parent
    assert str(folder) in last_line(stderr)
    return folder


def test_ctrl_c_while_recording_keeps_the_answer_and_says_where(tmp_path, three_minutes):
    rec = tmp_path / "rec"
    proc = start("interview", "--question", "debug-nobody-owned", "--answer-audio", str(three_minutes),
                 "--followup-audio", str(three_minutes), "--no-speak", "--recordings", str(rec))
    wait_for(lambda: any(wav_seconds(p) >= 3.0 for p in rec.glob("*/answer.wav") if p.stat().st_size > 44))
    folder = interrupt(proc, rec)
    assert 2.5 <= wav_seconds(folder / "answer.wav") <= 4.5
    assert json.loads((folder / "attempt.json").read_text())["status"] == "interrupted"
    listing = cli("review", "--recordings", str(rec))
    assert folder.name in listing.stdout and "interrupted" in listing.stdout
    # What was said before Ctrl-C can still be analyzed.
    r = cli("review", folder.name, "--rescore", "--json", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["words"]


def test_ctrl_c_while_transcribing_keeps_the_recording(tmp_path, three_minutes):
    rec = tmp_path / "rec"
    # --fast: the whole file is "recorded" at once, so Ctrl-C lands while the worker is still transcribing.
    proc = start("interview", "--question", "debug-nobody-owned", "--answer-audio", str(three_minutes),
                 "--followup-audio", str(three_minutes), "--no-speak", "--fast", "--silence", "60",
                 "--recordings", str(rec))
    wait_for(lambda: any(wav_seconds(p) >= 175 for p in rec.glob("*/answer.wav") if p.stat().st_size > 44))
    folder = interrupt(proc, rec)  # the worker has minutes of audio to decode: it is busy now
    assert wav_seconds(folder / "answer.wav") >= 175
    assert not (folder / "report.json").exists()
    assert json.loads((folder / "attempt.json").read_text())["status"] == "interrupted"


def test_ctrl_c_during_analyze_is_a_clean_exit(three_minutes):
    proc = start("-v", "analyze", str(three_minutes))
    for line in proc.stderr:  # the debug log says when the decoder starts on the audio
        if "Processing audio" in line:
            break
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "interrupted" in last_line(stderr)


# --- the microphone goes away ---------------------------------------------------------------------------------

def test_the_microphone_going_away_keeps_what_was_recorded(tmp_path):
    env = start_pulse(tmp_path / "pulse")
    rec = tmp_path / "rec"
    try:
        proc = start("interview", "--question", "debug-nobody-owned", "--no-speak", "--recordings", str(rec), env=env)
        wait_for(lambda: any(wav_seconds(p) >= 2.0 for p in rec.glob("*/answer.wav") if p.stat().st_size > 44))
    finally:
        stop_pulse(env)  # the sound server dies: PortAudio's stream stops delivering
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode != 0
    line = last_line(stderr)
    folder = next(rec.glob("*/answer.wav")).parent
    assert "the microphone went away during the answer" in line and str(folder) in line
    assert wav_seconds(folder / "answer.wav") >= 2.0
    assert json.loads((folder / "attempt.json").read_text())["status"] == "interrupted"


# --- a read-only or full recordings folder -------------------------------------------------------------------

@pytest.fixture
def mounted(tmp_path):
    target = tmp_path / "mnt"
    target.mkdir()
    mounts = []

    def mount(options: str) -> Path:
        mount = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)]
        r = subprocess.run(mount, capture_output=True, text=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        mounts.append(target)
        return target

    yield mount
    for m in mounts:
        subprocess.run(["umount", str(m)], capture_output=True)


@pytest.mark.parametrize("options, expected", [("ro,size=8m", "cannot write to the recordings folder"),
                                               ("size=1m", "MB free under")], ids=["read-only", "full"])
def test_an_unusable_recordings_folder_is_found_before_recording(tmp_path, mounted, options, expected):
    folder = mounted(options)
    answer = DEMO / "answer.ogg"
    started = time.monotonic()
    r = cli("interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer), "--followup-audio",
            str(answer), "--recordings", str(folder))
    line = last_line(r.stderr)
    assert r.returncode == 8 and expected in line and str(folder) in line
    assert "Speak now" not in r.stdout + r.stderr  # nothing was asked or recorded
    assert time.monotonic() - started < 20
    assert not [p for p in folder.iterdir() if p.is_dir()]


# --- privacy ------------------------------------------------------------------------------------------------

def test_review_and_export_run_with_no_network(tmp_path):
    if subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    rec = tmp_path / "rec"
    answer = DEMO / "followup.ogg"  # short: the rescore below transcribes it twice again, with no network
    r = cli("interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer), "--followup-audio",
            str(answer), "--fast", "--no-speak", "--json", "--recordings", str(rec))
    assert r.returncode == 0, r.stderr
    attempt = json.loads(r.stdout)["attempt"]["id"]
    for args in (("review",), ("review", attempt), ("review", "--trend"), ("review", attempt, "--rescore"),
                 ("export", attempt, "--html", str(tmp_path / "a.html"))):
        r = spawn_cli(*args, "--recordings", str(rec), prefix=("unshare", "-n"))
        assert r.returncode == 0, (args, r.stderr)
    assert (tmp_path / "a.html").stat().st_size > 10_000


@pytest.mark.parametrize("attempt_id", ["../../etc", "/etc", "..", "20261123-101500-ab12/../../x"])
def test_attempt_ids_cannot_leave_the_recordings_folder(tmp_path, attempt_id):
    rec = tmp_path / "rec"
    rec.mkdir()
    (tmp_path / "secret").mkdir()
    for args in (("review", attempt_id), ("delete", attempt_id, "--yes"), ("export", attempt_id, "--html",
                                                                             str(tmp_path / "x.html"))):
        r = cli(*args, "--recordings", str(rec))
        assert r.returncode != 0
        assert "is not an attempt id" in last_line(r.stderr), r.stderr
    assert (tmp_path / "secret").exists() and not (tmp_path / "x.html").exists()


def test_review_survives_a_damaged_index_and_a_damaged_report(tmp_path):
    rec = tmp_path / "rec"
    answer = DEMO / "answer.ogg"
    ids = []
    for _ in range(2):
        r = cli("interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer), "--followup-audio",
                str(answer), "--fast", "--no-speak", "--json", "--recordings", str(rec))
        assert r.returncode == 0, r.stderr
        ids.append(json.loads(r.stdout)["attempt"]["id"])
    (rec / "index.sqlite3").write_bytes(b"this is not a database" * 100)
    (rec / ids[0] / "report.json").write_text('{"schema": 1, "sections": [')  # cut off mid-write
    for args in (("review",), ("review", "--trend")):
        r = cli(*args, "--recordings", str(rec))
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert ids[1] in r.stdout if args == ("review",) else "debug-nobody-owned" in r.stdout, r.stdout
    text = " ".join((r.stdout + r.stderr).split())
    assert "damaged" in text
    assert (rec / "index.sqlite3.damaged").exists()  # moved aside, and a new index built from the folders
    r = cli("review", "--recordings", str(rec))
    out = " ".join((r.stdout + r.stderr).split())
    assert f"warning: skipped attempt {ids[0]}" in out and "damaged" in out and ids[1] in out
    assert "1 attempt(s)" in out  # the damaged one is skipped, the other listed
    r = cli("review", ids[0], "--recordings", str(rec))
    assert r.returncode != 0 and "is damaged" in last_line(r.stderr)
