from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
import time

import pytest

# Under pytest-xdist (./scripts/test runs two workers) the workers share the cores: CTranslate2's OpenMP threads
# must sleep when idle instead of spinning on a core another worker needs. Set before the model's library loads,
# which reads it once; commands started as processes inherit it.
WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if WORKERS > 1:
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from simulator.analysis.report import Analyzer, build_segmenter, load_spacy  # noqa: E402
from simulator.bank import load_bank  # noqa: E402


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skip is a failure: a missing ../shared, unshare or tmpfs privilege must not let a
    run pass that never exercised what it skipped."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get("CI") == "true" and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, which fails under CI=true: {reason}"


class RememberedDecodes:
    """The real Whisper model, with each distinct decode done once per test session.

    Many tests feed the same recording through a command (the demo answer alone goes through about twenty
    interviews, analyses and rescores), and the same samples with the same options decode to the same
    segments within one process. A repeated decode is served from what the model returned the first time:
    every result the tests see is the real model's, and about a fifth of the suite's time was decoding
    something decoded before. Commands run as a process of their own decode for real every time."""

    def __init__(self, model):
        self._model = model
        self._seen: dict[tuple, tuple[list, object]] = {}
        self._lock = threading.Lock()

    def transcribe(self, audio, **options):
        key = (hashlib.sha1(audio.tobytes()).hexdigest(), str(audio.dtype), audio.shape, repr(sorted(options.items())))
        with self._lock:
            seen = self._seen.get(key)
        if seen is None:
            segments, info = self._model.transcribe(audio, **options)
            seen = (list(segments), info)  # faster-whisper decodes lazily, as the segments are read
            with self._lock:
                self._seen[key] = seen
        return iter(seen[0]), seen[1]

    def __getattr__(self, name):
        return getattr(self._model, name)


@pytest.fixture(scope="session", autouse=True)
def decode_each_recording_once():
    from simulator.speech import transcribe

    real = transcribe._shared_model
    remembered: dict[int, RememberedDecodes] = {}

    def shared_model(model_ref: str, cpu_threads: int):
        # The workers' decoding threads together are the machine's cores (one each on the project's two).
        model = real(model_ref, max(1, cpu_threads // WORKERS))  # the program's cache: one per folder and threads
        if id(model) not in remembered:
            remembered[id(model)] = RememberedDecodes(model)
        return remembered[id(model)]

    transcribe._shared_model = shared_model
    yield
    transcribe._shared_model = real


@pytest.fixture(scope="session")
def bank():
    return load_bank()


@pytest.fixture(scope="session")
def nlp():
    return load_spacy()


@pytest.fixture(scope="session")
def analyzer(bank, nlp):
    return Analyzer(bank, build_segmenter(bank, nlp))


def start_pulse(runtime) -> dict:
    """Start a PulseAudio daemon with a null sink "virt" (its monitor the default microphone, the sink the
    speaker) in its own runtime folder; returns the environment that reaches it."""
    if not shutil.which("pulseaudio"):
        pytest.fail("pulseaudio is not installed: run ./scripts/setup")
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
    return env


def stop_pulse(env: dict) -> None:
    subprocess.run(["pulseaudio", "--kill"], env=env, capture_output=True)


@pytest.fixture(scope="session")
def pulse(tmp_path_factory):
    env = start_pulse(tmp_path_factory.mktemp("pulse"))
    yield env
    stop_pulse(env)
