"""Real recording through sounddevice from a PulseAudio null sink's monitor (no sound card needed).

The candidate's answer is played into the sink with paplay while `interview` records from the default
input; the sink is also recorded with parecord, to prove the Speaker's question actually reached it.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.audio import load_audio, write_wav
from simulator.synth import synthesize_sections
from simulator.transcribe import WhisperTranscriber

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.engines


@pytest.fixture(scope="module")
def pulse(tmp_path_factory):
    if not shutil.which("pulseaudio"):
        pytest.fail("pulseaudio is not installed: run ./scripts/setup")
    runtime = tmp_path_factory.mktemp("pulse")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(runtime)}
    env.pop("PULSE_SERVER", None)
    subprocess.run(["pulseaudio", "-D", "--exit-idle-time=-1", "-n", "--load=module-null-sink sink_name=virt",
                    "--load=module-native-protocol-unix", "--load=module-always-sink"], env=env, check=True,
                   capture_output=True)
    for _ in range(50):
        if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
            break
        time.sleep(0.1)
    subprocess.run(["pactl", "set-default-source", "virt.monitor"], env=env, check=True)
    subprocess.run(["pactl", "set-default-sink", "virt"], env=env, check=True)
    yield env
    subprocess.run(["pulseaudio", "--kill"], env=env, capture_output=True)


def words(text):
    return set(re.findall(r"[a-z]+", text.lower()))


def test_interview_records_from_the_default_input_and_speaks_into_the_sink(pulse, tmp_path):
    answer_text = ("While I was on the billing team, invoices were failing for large customers. "
                   "I rewrote the invoice batching job and added a retry queue. "
                   "Failures dropped from nine percent to zero, saving about forty support hours a month.")
    audio, _ = synthesize_sections([("answer", answer_text)], rate=160)
    answer_wav = tmp_path / "answer.wav"
    write_wav(answer_wav, audio)
    reply_wav = tmp_path / "reply.wav"
    reply, _ = synthesize_sections([("reply", "I checked the numbers with finance a month later.")])
    write_wav(reply_wav, reply)

    sink_wav = tmp_path / "sink.wav"
    sink = subprocess.Popen(["parecord", "--device=virt.monitor", "--rate=16000", "--channels=1",
                             "--file-format=wav", str(sink_wav)], env=pulse)
    rec = tmp_path / "rec"
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "interview", "--question", "debug-hardest-bug", "--silence", "2.5",
         "--max-seconds", "60", "--followup-audio", str(reply_wav), "--fast", "--json", "--recordings", str(rec)],
        cwd=ROOT, env=pulse, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(rec.glob("*/answer.wav")):
            time.sleep(0.05)
        assert list(rec.glob("*/answer.wav")), "the interview never started recording"
        time.sleep(0.5)
        subprocess.run(["paplay", str(answer_wav)], env=pulse, check=True)
        out, err = proc.communicate(timeout=180)
    finally:
        proc.kill()
        sink.terminate()
        sink.wait(timeout=10)
    assert proc.returncode == 0, err
    report = json.loads(out)
    heard = words(report["transcript"])
    key_words = {"billing", "invoices", "customers", "rewrote", "retry", "queue", "failures", "support", "hours"}
    assert len(key_words & heard) >= 6, heard
    assert report["attempt"]["answer_ended_by"] == "silence"

    # The question the Speaker said reached the sink, and was kept in the attempt.
    said = WhisperTranscriber().transcribe(load_audio(sink_wav)).text
    question_words = words("Tell me about the hardest production bug you have tracked down")
    assert len(question_words & words(said)) >= 6, said
    assert (Path(report["attempt"]["folder"]) / "question.wav").stat().st_size > 10_000
