"""The layers the folders promise: a pure analysis core, engines behind one module of Protocols, modes
that share the recording turn instead of importing each other."""

import ast
import os
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
SHARED_BY_MODES = {"turn", "followup"}  # helpers, not modes: every mode may use them

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {blocked} or name.startswith(("simulator.speech", "simulator.modes")):
            raise ImportError("blocked: " + name)
sys.meta_path.insert(0, Block())
"""


def test_the_analysis_imports_without_numpy_audio_or_the_terminal_ui():
    blocked = {"numpy", "rich", "sounddevice", "faster_whisper", "ctranslate2", "av", "pyttsx3", "matplotlib"}
    code = BLOCKER.format(blocked=sorted(blocked)) + (
        "import simulator.analysis.report, simulator.analysis.transcripts\n"
        "from simulator.analysis.report import Analyzer\n"
        "print('imported')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert r.returncode == 0 and r.stdout.strip() == "imported", r.stderr


def test_the_blocker_itself_blocks():
    # Without this the test above could pass with a blocker that blocks nothing.
    code = BLOCKER.format(blocked=["numpy"]) + "import simulator.speech.audio\n"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert r.returncode != 0 and "blocked: " in r.stderr


def _relative_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 1:
            names.update(alias.name for alias in node.names)
    return names


def test_modes_do_not_import_each_other():
    modes = {p.stem for p in (PACKAGE / "modes").glob("*.py") if p.stem != "__init__"}
    assert {"interview", "drill", "practice", "review"} <= modes
    for path in (PACKAGE / "modes").glob("*.py"):
        imported = _relative_imports(path) & (modes - SHARED_BY_MODES)
        assert not imported, f"{path.name} imports the mode(s) {sorted(imported)}"


def test_the_engines_protocols_live_in_one_module():
    defined = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(getattr(b, "id", None) == "Protocol" for b in node.bases):
                defined.append((path.relative_to(PACKAGE).as_posix(), node.name))
    assert {name for _, name in defined} >= {"Transcriber", "Microphone", "Speaker"}
    assert {where for where, _ in defined} == {"speech/protocols.py"}, defined


def test_importing_the_transcriber_leaves_the_environment_alone():
    code = "import os; before = dict(os.environ); import simulator.speech.transcribe; print(dict(os.environ) == before)"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HF_HUB")}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, env=env)
    assert r.stdout.strip() == "True", r.stderr
