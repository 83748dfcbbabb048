"""A real install: the wheel `pip install .` builds, in a new environment, run from another folder.

The new environment gets the project's dependencies from this one's site-packages (a .pth line), so the
test needs no network; the project itself comes only from the wheel, which must carry the question bank."""

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scripts" / "demo_audio"
pytestmark = pytest.mark.engines


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("install")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(work / "dist"), str(ROOT)], check=True, capture_output=True, cwd=work)
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    new_site = next((venv / "lib").glob("python*/site-packages"))
    (new_site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    wheel = next((work / "dist").glob("star_interview-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps",
                    "-q", str(wheel)], check=True, capture_output=True)
    return venv


def test_the_installed_program_runs_an_interview_from_any_folder(installed, tmp_path):
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STAR_SIM_")}
    env.update(HOME=str(home), XDG_DATA_HOME="", PYTHONPATH="")
    r = subprocess.run([str(installed / "bin" / "star-interview"), "interview", "--question", "debug-nobody-owned",
                        # the short demo reply as both: every second of audio is decoded anew in this process
                        "--answer-audio", str(DEMO / "followup.ogg"), "--followup-audio", str(DEMO / "followup.ogg"),
                        "--fast", "--no-speak", "--json"], capture_output=True, text=True, cwd=tmp_path, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads(r.stdout)
    folder = Path(report["attempt"]["folder"])
    # The user's data folder, not the checkout; the bank shipped inside the package.
    assert folder.parent == home / ".local" / "share" / "star-interview" / "recordings"
    assert report["question"]["text"].startswith("Tell me about a problem you fixed")
    where = subprocess.run([str(installed / "bin" / "python"), "-c",
                            "import simulator.places as p; print(p.bank_dir()); print(p.checkout())"],
                           capture_output=True, text=True, cwd=tmp_path, env=env, check=True).stdout.split()
    assert where[0].startswith(str(installed)) and where[1] == "None"
