"""The CLI through its real entry point: help, analyze on text and JSON transcripts, probe choice."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(*args):
    return subprocess.run([sys.executable, "-m", "simulator", *args], capture_output=True, text=True, cwd=ROOT)


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
