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


def test_spacy_is_loaded_without_its_command_line_and_still_parses():
    # spaCy's command line (typer, requests, weasel, jinja2) costs memory that reading a pipeline never uses.
    code = ("import sys\nfrom simulator.analysis.report import load_spacy\n"
            "doc = load_spacy()('I rewrote the retry job.')\n"
            "print([t.dep_ for t in doc][:2], sorted({'typer', 'requests', 'weasel', 'jinja2'} & set(sys.modules)))\n"
            "import spacy\nprint(spacy.info(silent=True)['spacy_version'] == spacy.__version__,\n"
            "      'typer' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert r.stdout.splitlines() == ["['nsubj', 'ROOT'] []", "True True"], r.stderr


def test_a_spacy_that_needs_more_of_its_command_line_is_imported_as_it_is(tmp_path):
    fake = tmp_path / "spacy"
    (fake / "cli").mkdir(parents=True)
    (fake / "__init__.py").write_text("from .cli.info import info\nfrom .cli.download import download\n")
    (fake / "cli" / "__init__.py").write_text("")
    (fake / "cli" / "info.py").write_text("def info(): return 'real info'\n")
    (fake / "cli" / "download.py").write_text("def download(): pass\n")
    code = ("from simulator.analysis.report import _import_spacy_without_its_command_line as imp\n"
            "spacy = imp()\nprint(spacy.info(), spacy.download.__module__)\n"
            # ...and a spaCy already in is left as it is, its command line too
            "import sys\ncli = sys.modules['spacy.cli']\nimp()\nprint(sys.modules['spacy.cli'] is cli)\n")
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{PACKAGE.parent}"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent, env=env)
    assert r.stdout.split() == ["real", "info", "spacy.cli.download", "True"], r.stderr
