"""Running the command line from tests: in this process (the default), or as a real process where the
process itself is the point (signals, no network, a sound server, an environment set before start-up).

In-process runs call `simulator.cli.main(argv)` with stdout and stderr captured and the environment set
for the call only. The engines load once per test session (the bank, spaCy and the Whisper model are
cached by the program itself), which is what makes a suite of real engines fast."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDE = {"COLUMNS": "160"}  # a wide terminal: table cells unwrapped, so tests can find text in them
WORKERS_DEADLINE_S = 120.0


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@contextlib.contextmanager
def environment(env: dict[str, str] | None):
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def standard_input(text: str | None):
    """`text` as the command's stdin (a pipe, not a terminal); None leaves stdin alone."""
    if text is None:
        yield
        return
    saved = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = saved


def run_cli(*args, env: dict[str, str] | None = None, stdin: str | None = None) -> Ran:
    """The CLI in this process. Threads it started (a model loading, a stream's worker) are waited for
    before returning, so one command's work never runs into the next test."""
    from simulator.cli import main

    before = set(threading.enumerate())
    out, err = io.StringIO(), io.StringIO()
    with environment({**WIDE, **(env or {})}), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            standard_input(stdin):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse: --help, or a usage error
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    deadline = time.monotonic() + WORKERS_DEADLINE_S
    for thread in set(threading.enumerate()) - before:
        if thread.name.startswith("tqdm"):  # tqdm's monitor lives as long as the process, by design
            continue
        thread.join(max(deadline - time.monotonic(), 0.0))
        assert not thread.is_alive(), f"{thread.name} still running after the command"
    return Ran(code, out.getvalue(), err.getvalue())


def spawn_cli(*args, env: dict[str, str] | None = None, prefix: tuple[str, ...] = (), timeout: float = 600) -> Ran:
    """The CLI as a real process (`python -m simulator`), for what only a process can show."""
    full_env = {**os.environ, **WIDE, **(env or {})}
    r = subprocess.run([*prefix, sys.executable, "-m", "simulator", *map(str, args)], capture_output=True, text=True,
                       cwd=ROOT, env=full_env, timeout=timeout)
    return Ran(r.returncode, r.stdout, r.stderr)


def wait_for(condition, timeout_s: float = 60.0, what: str = "the condition") -> None:
    """Poll until condition() holds, failing after timeout_s: tests wait on a state, never a fixed time."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def one_line_error(r: Ran) -> str:
    """A failure ends with one line on stderr that starts with "error:", with no traceback and a non-zero
    exit; returns that line."""
    assert r.returncode != 0, r.stdout[-2000:]
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    lines = [line for line in r.stderr.strip().splitlines() if line.strip()]
    assert lines and lines[-1].startswith("error:"), r.stderr[-3000:]
    return lines[-1]
