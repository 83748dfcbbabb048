"""The CLI through its real entry point: help, analyze on text and JSON transcripts, probe choice."""

import json
import subprocess
import sys
from pathlib import Path

from .cli import run_cli as cli

ROOT = Path(__file__).resolve().parent.parent


def test_help_and_console_script():
    r = cli("--help")
    assert r.returncode == 0 and "interview" in r.stdout and "analyze" in r.stdout
    script = Path(sys.executable).parent / "star-interview"
    r = subprocess.run([str(script), "analyze", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "--followup" in r.stdout


def test_analyze_plain_text_is_timed_at_150_wpm(tmp_path, bank):
    q = bank.questions["debug-nobody-owned"]
    answer = tmp_path / "answer.txt"
    answer.write_text(q.weak.text)
    r = cli("analyze", str(answer), "--question", q.id, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    words = report["words"]
    assert words[1]["start_s"] - words[0]["start_s"] == 0.4  # 60 / 150
    assert report["probe"]["targets"] == "handoff"


def test_analyze_json_words_keep_their_times_and_a_named_probe_is_used(tmp_path, bank):
    q = bank.questions["debug-nobody-owned"]
    words, t = [], 10.0
    for token in q.strong.text.split():
        words.append({"text": token, "start_s": round(t, 2), "end_s": round(t + 0.3, 2)})
        t += 0.45
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({"words": words}))
    reply = tmp_path / "reply.txt"
    reply.write_text(q.probes[1].strong_example)
    r = cli("analyze", str(answer), "--question", q.id, "--followup", str(reply), "--probe", q.probes[1].id, "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["words"][0] == words[0]
    assert report["sections"][0]["start_s"] == 10.0
    assert report["followup"]["probe_id"] == q.probes[1].id
    assert report["followup"]["targets"] == q.probes[1].triggers[0]


def test_rich_view_shows_sections_flags_and_why(tmp_path, bank):
    q = bank.questions["debug-nobody-owned"]
    answer = tmp_path / "answer.txt"
    answer.write_text(q.weak.text)
    r = cli("analyze", str(answer), "--question", q.id)
    assert r.returncode == 0, r.stderr
    for expected in ("What the simulator heard", "handoff", "sent the platform team a message", "Most important"):
        assert expected in r.stdout


def test_bad_inputs_to_analyze_are_one_line_errors(tmp_path):
    broken = tmp_path / "words.json"
    broken.write_text('{"words": [{"text": "hi"}]}')
    for args, expected in (
        ((str(broken),), "is not a transcript"),
        ((str(tmp_path / "a.txt"), "--probe", "x"), "--probe goes with --followup"),
        ((str(broken), "--question", "no-such-question"), "unknown question"),
    ):
        (tmp_path / "a.txt").write_text("I fixed it.")
        r = cli("analyze", *args)
        assert r.returncode != 0 and "Traceback" not in r.stderr, r.stderr
        assert expected in r.stderr


def test_the_readmes_exit_codes_are_the_programs():
    import re

    import simulator.errors as errors

    table = (ROOT / "README.md").read_text().split("| exit | meaning |")[1].split("\n\n")[0]
    documented = {int(code) for code in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    raised = {cls.exit_code for cls in vars(errors).values()
              if isinstance(cls, type) and issubclass(cls, errors.SimulatorError)}
    assert documented == raised | {0, 2, 130}  # 2 is also argparse's usage error; 130 is Ctrl-C
    assert cli("no-such-command").returncode == 2
    assert cli("analyze", str(ROOT / "nope.wav")).returncode == errors.AudioFileError.exit_code == 5
    assert cli("review", "../../etc", "--recordings", str(ROOT / "recordings")).returncode == 8


def test_native_library_chatter_goes_to_the_debug_log_not_the_screen():
    # What ALSA printed in the middle of a live drill, written to descriptor 2 from C as ALSA does.
    script = (
        "import ctypes, logging, os, sys, threading\n"
        "from simulator.cli import route_native_chatter\n"
        "route_native_chatter()\n"
        "logging.basicConfig(level=logging.DEBUG if sys.argv[1] == '-v' else logging.WARNING,\n"
        "                    format='%(levelname)s: %(message)s')\n"
        "line = b'ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred\\n'\n"
        "ctypes.CDLL(None).write(2, line, len(line))\n"
        "print('error: what the user must read', file=sys.stderr)\n"
        "os.close(2)  # the pipe's last writer: the forwarder reads to its end and stops\n"
        # It may have read to the end and stopped already (two fresh runs saw it gone: StopIteration).
        "forwarder = next((t for t in threading.enumerate() if t.name == 'native-stderr'), None)\n"
        "forwarder and forwarder.join(5)\n"
    )
    for flag, expected in (("-", "error: what the user must read\n"),
                           ("-v", "error: what the user must read\n"
                                  "DEBUG: ALSA lib pcm.c:8570:(snd_pcm_recover) underrun occurred\n")):
        r = subprocess.run([sys.executable, "-c", script, flag], capture_output=True, text=True, cwd=ROOT)
        # The forwarding thread logs the library's line whenever it reads it: the order of the two is not
        # the program's to promise (a fresh run saw the DEBUG line first), only that each is where it belongs.
        assert r.returncode == 0 and sorted(r.stderr.splitlines()) == sorted(expected.splitlines()), r.stderr


def test_an_answer_is_capped_at_four_minutes_unless_told_otherwise():
    from simulator.cli import build_parser

    for command in ("interview", "drill", "probe"):
        assert build_parser().parse_args([command]).max_seconds == 240.0


def test_the_cli_reference_is_generated_from_the_parser_and_current():
    from simulator.cli import reference

    text = reference()
    for command in ("interview", "drill", "probe", "learn", "review", "export", "delete", "analyze", "bank validate"):
        assert f"## star-interview {command}\n" in text
    assert "--max-seconds S" in text and "--recordings DIR" in text
    written = (Path(__file__).resolve().parent.parent / "docs" / "CLI.md").read_text(encoding="utf-8")
    assert written == text, "docs/CLI.md is stale: run ./scripts/cli-reference"
