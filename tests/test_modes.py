"""Every practice mode through the real CLI, with files standing in for the candidate and --no-speak:
drill, probe, interview --round, learn, review (list, show, play, compare, trend, rescore), export, delete.
The real faster-whisper model and spaCy run underneath."""

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from simulator.analysis.timing import answer_band
from simulator.evaluate import load_dev_set
from simulator.modes.drill import OVER_MARGIN_S
from simulator.speech.audio import SAMPLE_RATE, load_audio, write_wav
from simulator.speech.synth import synthesize_sections
from simulator.types import SECTION_NAMES

from .cli import run_cli, spawn_cli

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "scripts" / "demo_audio"
pytestmark = pytest.mark.engines


def cli(rec: Path | None, *args, env=None, check=True, spawn=False):
    """The CLI in this process (or as a process of its own with `spawn`), with --recordings REC."""
    run = spawn_cli if spawn else run_cli
    r = run(*args, *(["--recordings", str(rec)] if rec else []), env=env)
    if check:
        assert r.returncode == 0, r.stderr[-3000:]
    return r


def as_json(r):
    return json.loads(r.stdout)


def spoken_attempt(folder: Path, sections: list[tuple[str, str]], reply: str) -> tuple[Path, Path]:
    """An answer spoken section by section and a reply, as WAV files in `folder`."""
    answer, _ = synthesize_sections(sections, rate=175)
    spoken_reply, _ = synthesize_sections([("reply", reply)])
    write_wav(folder / "answer.wav", answer)
    write_wav(folder / "reply.wav", spoken_reply)
    return folder / "answer.wav", folder / "reply.wav"


@pytest.fixture(scope="module")
def short_audio(tmp_path_factory):
    """A short spoken answer and reply (about 20 s and 8 s), for modes that replay in real time."""
    return spoken_attempt(tmp_path_factory.mktemp("short"), [
        ("situation", "Last spring our checkout page was timing out for about a tenth of our customers."),
        ("task", "It was not my team's service and nobody asked me, but I owned the fix."),
        ("action", "We looked at the logs and we rolled back the release."),
        ("result", "Timeouts stopped the same day."),
        ("reflection", "Communication is important."),
    ], "I checked the error rate with the finance team a month later and it stayed under one percent.")


@pytest.fixture(scope="module")
def archive(tmp_path_factory, short_audio):
    """One recordings folder with two complete interviews of the same question."""
    rec = tmp_path_factory.mktemp("rec")
    answer, reply = short_audio
    reports = []
    for answer_file in (DEMO / "answer.ogg", answer):
        r = cli(rec, "interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer_file),
                "--followup-audio", str(reply), "--fast", "--no-speak", "--json")
        reports.append(as_json(r))
    return rec, reports


# --- drill ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def long_answer(tmp_path_factory):
    """A development answer (d09) spoken at 175 wpm, cut to about 1:45 around its whole Action: past a junior's
    1:00 and short of 2:00, with an Action of about 71 s against a junior's 55 s target. (The full answer ran
    2:25 and made this the suite's slowest test, 148 s; CueWatch's own tests cover the cue at 2:00.)"""
    action = dict(next(a.parts for a in load_dev_set(ROOT / "tests/data/dev_answers.yaml") if a.id == "d09"))["action"]
    audio, spans = synthesize_sections([
        ("situation", "I was a senior engineer at an online grocery company when our order system started failing "
                      "during the Sunday evening peak. For three Sundays in a row, about eight percent of checkouts "
                      "timed out between six and eight."),
        ("task", "It was not my service and nobody had asked me, but I decided to own finding the root cause before "
                 "the next Sunday."),
        # Long enough that the guess is still in the Action well after it passes 55 s, on any CPU.
        ("action", action + " I also set up an alert on the connection pool, so that the on-call engineer would see it "
                            "filling up before customers did. Then I wrote a short runbook for the on-call rotation, I "
                            "walked two teammates through it, and I asked each of them to run the next failover drill "
                            "without me in the room."),
        ("result", "The next Sunday checkout timeouts fell from eight percent to under a tenth of a percent, and they "
                   "stayed there."),
        ("reflection", "Since then I always ask what changed outside the system when a failure repeats on a schedule."),
    ], rate=175)
    path = tmp_path_factory.mktemp("drill") / "long.wav"
    write_wav(path, audio)
    return path, spans


def test_drill_cues_the_band_and_a_section_over_its_target_from_the_live_guess(tmp_path, long_answer, short_audio):
    path, spans = long_answer
    low, high = answer_band("junior")
    assert low + 10 < spans[-1][2] < high - 10
    rec = tmp_path / "rec"
    r = cli(rec, "drill", "--question", "debug-nobody-owned", "--level", "junior", "--answer-audio", str(path),
            "--fast", "--no-speak", "--json")
    report = as_json(r)
    drill = report["drill"]
    kinds = {c["kind"]: c for c in drill["cues"]}
    assert low <= kinds["band_low"]["at_s"] < low + 0.5  # the answer passed 1:00
    assert "band_high" not in kinds  # and ended before 2:00
    target = report["sections"][SECTION_NAMES.index("action")]["target_s"]
    action = next(s for s in spans if s[0] == "action")
    assert action[2] - action[1] > target + 3
    over = [c for c in drill["cues"] if c["kind"] == "section_over"]
    assert any("action" in c["text"] for c in over), over
    action_cue = next(c for c in over if "action" in c["text"])
    # Cued once the words heard in the guessed Action span its target: not before the true Action had run
    # it, less the few seconds by which the guessed start may miss the spoken one, and at most one stream
    # piece (15 s), the hold-back (2 s), the 3 s refresh after it and two more refreshes (a second guess must
    # agree where the Action began, and both must have heard it past its target), after the margin a guessed
    # section must pass its target by. The guess
    # put the Action's start within one sentence (a few seconds) of where it was spoken.
    guesses = drill["live_guesses"]
    since = next(g["since_s"] for g in guesses if g["section"] == "action" and g["at_s"] >= action_cue["at_s"])
    assert action_cue["at_s"] >= action[1] + target - 4, (action, action_cue)
    assert target <= action_cue["at_s"] - since <= target + OVER_MARGIN_S + 15 + 2 + 3 + 3 + 3, (since, action_cue)
    assert abs(since - action[1]) < 4, (since, action)
    # No section was cued before it could have run past its target.
    for cue in over:
        name = cue["text"].split()[0]
        true_start = next(s[1] for s in spans if s[0] == name)
        assert cue["at_s"] >= true_start + 0.8 * report["sections"][SECTION_NAMES.index(name)]["target_s"], cue
    order = [g["section"] for g in drill["live_guesses"]]
    assert order[0] == "situation" and "action" in order and order.index("action") < len(order) - 1
    # Shown afterwards: cues on screen, the section table, this question's drills so far.
    assert "1:00.0 passed" in r.stderr and "Drills of this question so far (1)" in r.stderr
    r = cli(rec, "drill", "--question", "debug-nobody-owned", "--answer-audio", str(short_audio[0]), "--fast",
            "--no-speak")
    assert "Drills of this question so far (2)" in r.stdout


def test_a_section_drill_times_one_section_against_its_target(tmp_path):
    """... and, told as one of the candidate's own stories, says which of its facts were heard."""
    from simulator.archive.stories import StoryShelf

    from .test_story import WEBHOOK

    rec = tmp_path / "rec"
    StoryShelf(tmp_path / "stories").write(WEBHOOK)
    r = cli(rec, "drill", "--question", "debug-nobody-owned", "--section", "situation", "--answer-audio",
            str(DEMO / "answer.ogg"), "--fast", "--no-speak", "--json", "--story", "webhook-retries", "--stories",
            str(tmp_path / "stories"))
    report = as_json(r)
    said = {f["kind"]: f["said"] for f in report["story"]["facts"]}
    assert said["scope"] and said["action 1"], report["story"]  # the demo answer tells the same story
    assert not said["tie-in"], report["story"]  # which it ends without the story's tie-in
    cues = [(c["kind"], c["at_s"]) for c in report["drill"]["cues"]]
    assert cues == [("section_over", 30.0), ("section_long", 45.0)]
    focus = report["drill"]["focus"]
    assert focus["name"] == "situation" and focus["target_s"] == 30 and focus["verdict"] == "long"
    assert "situation target 0:30.0" in r.stderr or "situation has passed its target" in r.stderr


# --- probe practice ----------------------------------------------------------------------------------

def test_probe_practice_scores_a_reply_against_the_probes_markers(tmp_path, bank):
    question = bank.questions["debug-nobody-owned"]
    probe = question.probes[0]
    strong, weak = tmp_path / "strong.wav", tmp_path / "weak.wav"
    write_wav(strong, synthesize_sections([("reply", probe.strong_example)])[0])
    write_wav(weak, synthesize_sections([("reply", probe.weak_example)])[0])
    rec = tmp_path / "rec"
    scores = {}
    for name, path in (("strong", strong), ("weak", weak)):
        r = cli(rec, "probe", "--question", question.id, "--probe", probe.id, "--reply-audio", str(path), "--fast",
                "--no-speak", "--json")
        report = as_json(r)
        assert report["probe"]["id"] == probe.id and report["followup"]["probe_id"] == probe.id
        scores[name] = report["followup"]["score"]["overall"]
        assert f"What a strong reply to {probe.id} contains" in r.stderr
    assert scores["strong"] > scores["weak"], scores
    listed = as_json(cli(rec, "review", "--mode", "probe", "--json"))
    assert len(listed) == 2 and all(row["followup_score"] is not None for row in listed)


def test_probe_by_weakness_from_an_attempt_and_from_the_most_frequent_weakness(archive, short_audio, bank):
    rec, reports = archive
    _, reply = short_audio
    common = ("--reply-audio", str(reply), "--fast", "--no-speak", "--json")
    r = as_json(cli(rec, "probe", "--weakness", "generic_reflection", *common))
    assert r["probe"]["targets"] == "generic_reflection"
    assert r["probe"]["id"] == bank.weaknesses["generic_reflection"].probe.id
    first = reports[0]["attempt"]["id"]
    r = as_json(cli(rec, "probe", "--from", first, *common))
    assert r["probe"]["id"] == reports[0]["probe"]["id"] and r["question"]["id"] == "debug-nobody-owned"
    r = cli(rec, "probe", *common)
    report = as_json(r)
    assert "Your most frequent weakness" in report["probe"]["why"]
    code = report["probe"]["targets"]
    listed = as_json(cli(rec, "review", "--json"))
    counts = {c: sum(c in row["flags"] for row in listed[:-1]) for row in listed for c in row["flags"]
              if c in bank.weaknesses}
    assert counts[code] == max(counts.values())


# --- round, learn ------------------------------------------------------------------------------------

def test_a_round_asks_different_questions_and_sums_up_what_repeats(tmp_path, short_audio):
    answer, reply = short_audio
    rec = tmp_path / "rec"
    closing, _ = synthesize_sections([("reply", "Yes, two. What is the biggest reliability problem the team has "
                                                "right now? And is the role remote?")])
    write_wav(tmp_path / "closing.wav", closing)
    r = cli(rec, "interview", "--round", "2", "--seed", "3", "--answer-audio", str(answer), "--followup-audio",
            str(reply), "--closing-audio", str(tmp_path / "closing.wav"), "--fast", "--no-speak", "--json")
    out = as_json(r)
    # The round ends with the candidate's questions, judged by the delivery rules and kept as an attempt.
    judged = out["summary"]["closing"]
    assert judged["verdict"] == "about the real work", judged
    assert [q["kind"] for q in judged["questions"]] == ["real work", "pay and perks"], judged
    assert "reliability problem" in judged["evidence"] and "Your questions at the end" in r.stderr
    questions = [rep["question"]["id"] for rep in out["reports"]]
    assert len(set(questions)) == 2
    codes = [{f["code"] for f in rep["flags"]} for rep in out["reports"]]
    repeated = {p["code"] for p in out["summary"]["patterns"]}
    assert repeated == codes[0] & codes[1] and "we_language" in repeated
    assert "we_language in 2 of 2 answers" in r.stderr.replace("\n", " ")
    rows = as_json(cli(rec, "review", "--json"))
    assert len(rows) == 3 and {row["round_id"] for row in rows} == {out["round"]}
    assert sorted(row["mode"] for row in rows) == ["closing", "interview", "interview"]


def test_learn_walks_every_section_then_the_probes(bank):
    question = bank.questions["debug-nobody-owned"]
    r = cli(None, "learn", question.id, "--no-speak")
    text = " ".join(r.stdout.split())
    for name in ("situation", "task", "action", "result", "reflection"):
        guide = bank.sections[name]
        target = question.targets_for(None)[name]
        assert f"{name}: target 0:{target:04.1f}" in text or f"{name}: target 1:{target - 60:04.1f}" in text
        assert " ".join(guide.tip.split())[:50] in text
        assert " ".join(guide.mistake.split())[:50] in text
        assert " ".join(question.strong.sections[name].split())[:50] in text
    assert text.index("reflection: target") < text.index("Follow-up probes")
    for probe in question.probes:
        assert " ".join(probe.strong_example.split())[:30] in text


# --- review ------------------------------------------------------------------------------------------

def test_review_lists_filters_and_shows_the_stored_report(archive):
    rec, reports = archive
    r = cli(rec, "review")
    for report in reports:
        assert report["attempt"]["id"] in r.stdout
    assert "debug-nobody-owned" in r.stdout and "complete" in r.stdout
    assert as_json(cli(rec, "review", "--mode", "drill", "--json")) == []
    assert len(as_json(cli(rec, "review", "--question", "debug-nobody-owned", "--mode", "interview", "--json"))) == 2
    shown = as_json(cli(rec, "review", reports[0]["attempt"]["id"], "--json"))
    assert shown["transcript"] == reports[0]["transcript"] and shown["score"] == reports[0]["score"]
    r = cli(rec, "review", reports[0]["attempt"]["id"])
    assert "What the simulator heard" in r.stdout and "Follow-up reply" in r.stdout


def test_compare_shows_two_attempts_section_by_section(archive):
    rec, reports = archive
    a, b = (rep["attempt"]["id"] for rep in reports)
    r = cli(rec, "review", a, "--compare", b)
    out = r.stdout
    assert a in out and b in out
    for name in ("situation", "task", "action", "result", "reflection", "score", "flags"):
        assert name in out
    only_b = {f["code"] for f in reports[1]["flags"]} - {f["code"] for f in reports[0]["flags"]}
    assert all(code in out for code in only_b)


def test_trend_charts_in_the_terminal_and_as_a_png(archive, tmp_path):
    rec, reports = archive
    plot = tmp_path / "trend.png"
    r = cli(rec, "review", "--trend", "--plot", str(plot))
    assert "Score per question" in r.stdout and "debug-nobody-owned" in r.stdout
    assert any(ch in r.stdout for ch in "▁▂▃▄▅▆▇█")
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and plot.stat().st_size > 10_000
    data = as_json(cli(rec, "review", "--trend", "--json"))
    assert [s for _, s in data["questions"]["debug-nobody-owned"]] == [rep["score"]["overall"] for rep in reports]


def test_rescore_of_an_incomplete_attempt(tmp_path):
    """The process is killed while the candidate speaks: listed as incomplete, then rescored."""
    rec = tmp_path / "rec"
    proc = subprocess.Popen([sys.executable, "-m", "simulator", "interview", "--question", "debug-hardest-bug",
                             "--answer-audio", str(DEMO / "answer.ogg"), "--followup-audio", str(DEMO / "followup.ogg"),
                             "--no-speak", "--recordings", str(rec)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        wavs = list(rec.glob("*/answer.wav"))
        if wavs and wavs[0].stat().st_size > 8 * 32000:  # 8 s of the answer on disk (it is fed in real time)
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    rows = as_json(cli(rec, "review", "--json"))
    assert [row["status"] for row in rows] == ["incomplete"]
    attempt_id = rows[0]["id"]
    r = cli(rec, "review", attempt_id)
    assert "incomplete" in r.stdout and "--rescore" in r.stdout
    report = as_json(cli(rec, "review", attempt_id, "--rescore", "--json"))
    assert report["question"]["id"] == "debug-hardest-bug" and report["words"]
    assert 6 < report["duration_s"] < 30
    rows = as_json(cli(rec, "review", "--json"))
    assert rows[0]["status"] == "rescored" and rows[0]["score"] == report["score"]["overall"]


# --- replay through the virtual sound device -----------------------------------------------------------

def voiced_seconds(path: Path) -> float:
    audio = load_audio(path)
    frames = audio[: audio.size // 160 * 160].reshape(-1, 160)
    return float((np.sqrt((frames**2).mean(axis=1)) > 0.01).sum()) * 0.01


def played_into_sink(pulse, tmp_path, *args):
    """Run the command while parecord records the speaker; the recording holds 0.3 s either side."""
    sink = tmp_path / "sink.wav"
    recorder = subprocess.Popen(["parecord", "--device=virt.monitor", "--rate=16000", "--channels=1",
                                 "--file-format=wav", str(sink)], env=pulse)

    def recorded_to(size: int) -> None:
        deadline = time.monotonic() + 10
        while not sink.exists() or sink.stat().st_size < size:
            assert time.monotonic() < deadline, "parecord recorded nothing"
            time.sleep(0.02)

    try:
        recorded_to(44 + int(0.3 * 32000))
        r = cli(None, *args, env=pulse, spawn=True)  # a process of its own: it opens the pulse sink
        recorded_to(sink.stat().st_size + int(0.3 * 32000))
    finally:
        recorder.terminate()
        recorder.wait(timeout=10)
    return r, sink


@pytest.fixture(scope="module")
def replay_audio(tmp_path_factory):
    """An answer of one short sentence a section (about 9 s) and a one-line reply: replay plays in real time."""
    return spoken_attempt(tmp_path_factory.mktemp("replay"), [
        ("situation", "Last spring our checkout page was timing out."),
        ("task", "Nobody asked me, but I owned the fix."),
        ("action", "I read the logs and I rolled back the release."),
        ("result", "Timeouts stopped that day."),
        ("reflection", "Now I watch every deploy."),
    ], "The error rate stayed under one percent.")


def test_replay_plays_the_interview_and_one_section_into_the_speaker(pulse, tmp_path, replay_audio):
    answer, reply = replay_audio
    rec = tmp_path / "rec"
    report = as_json(cli(rec, "interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer),
                         "--followup-audio", str(reply), "--fast", "--no-speak", "--json"))
    attempt = report["attempt"]["id"]
    r, sink = played_into_sink(pulse, tmp_path, "review", attempt, "--play", "--section", "action", "--json",
                               "--recordings", str(rec))
    action = next(s for s in report["sections"] if s["name"] == "action")
    assert as_json(r)["played"] == [{"file": "answer.wav", "from_s": action["start_s"], "to_s": action["end_s"]}]
    assert abs(voiced_seconds(sink) - voiced_seconds_of_span(answer, action)) < 0.6

    r, sink = played_into_sink(pulse, tmp_path, "review", attempt, "--play", "--json", "--recordings", str(rec))
    played = [p["file"] for p in as_json(r)["played"]]
    assert played == ["question.wav", "answer.wav", "probe.wav", "followup.wav"]  # the interviewer's words spoken anew
    # Everything stored was played: the speaker heard as much voice as the four files hold.
    folder = rec / attempt
    stored = sum(voiced_seconds(folder / name) for name in played)
    assert abs(voiced_seconds(sink) - stored) < 1.5, (voiced_seconds(sink), stored)
    from simulator.speech.stream import transcribe_recording
    from simulator.speech.transcribe import WhisperTranscriber

    transcript = transcribe_recording(WhisperTranscriber(), load_audio(sink))
    heard = transcript.text.lower().replace("check out", "checkout")
    # Question, answer, reply, in the order played. tiny.en once skipped the answer's first sentence of this
    # recording on a fresh machine (never here): a phrase may go unheard only if the transcript says that
    # it may have missed speech, which is the product's promise for any recording.
    expected = ("to fix", "checkout", "rolled back", "stayed under")
    found = [heard.find(phrase) for phrase in expected if phrase in heard]
    assert found == sorted(found), heard
    assert len(found) == len(expected) or transcript.unheard_speech, heard
    assert len(found) >= len(expected) - 1, heard
    # The probe is whichever the analysis chose, so look for most of its longer words rather than a phrase.
    probe_words = {w.strip("?,.").lower() for w in report["probe"]["text"].split() if len(w.strip("?,.")) >= 5}
    assert len([w for w in probe_words if w in heard]) >= 0.6 * len(probe_words), (probe_words, heard)


def voiced_seconds_of_span(path: Path, section: dict) -> float:
    audio = load_audio(path)[int(section["start_s"] * SAMPLE_RATE):int(section["end_s"] * SAMPLE_RATE)]
    frames = audio[: audio.size // 160 * 160].reshape(-1, 160)
    return float((np.sqrt((frames**2).mean(axis=1)) > 0.01).sum()) * 0.01


# --- export and delete -----------------------------------------------------------------------------------

def test_export_html_section_links_seek_the_audio_in_headless_chromium(archive, tmp_path):
    rec, reports = archive
    report = reports[0]
    page = tmp_path / "attempt.html"
    cli(rec, "export", report["attempt"]["id"], "--html", str(page))
    html = page.read_text()
    assert "data:audio/ogg;base64," in html and "http" not in html.split("<body>")[1].replace("http-equiv", "")
    for sentence in report["sentences"][:3]:
        assert sentence["text"][:30].replace("'", "&#x27;")[:20] in html or sentence["text"][:20] in html
    action = next(s for s in report["segments"] if s["name"] == "action")
    # The test adds a probe script to a copy: wait for the audio, click the action link, report where it seeked.
    probe = tmp_path / "probe.html"
    probe.write_text(html.replace("</body>", """<script>
answer.addEventListener("seeked", () => { document.title = "seeked:" + answer.currentTime.toFixed(2); });
function go() { document.querySelector('a.section[data-name="action"]').click(); }
if (answer.readyState >= 1) go(); else answer.addEventListener("loadedmetadata", go);
</script></body>"""))
    chromium = next((c for c in ("chromium", "chromium-browser") if shutil.which(c)), None)
    assert chromium, "chromium is not installed: run ./scripts/setup"
    out = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                          "--autoplay-policy=no-user-gesture-required", "--virtual-time-budget=8000", "--dump-dom",
                          probe.as_uri()],
                         capture_output=True, text=True, timeout=120)
    title = out.stdout.split("<title>")[1].split("</title>")[0]
    assert title.startswith("seeked:"), (title, out.stderr[-2000:])
    assert abs(float(title.split(":")[1]) - action["start_s"]) < 0.05


def test_delete_removes_everything_of_an_attempt(tmp_path, short_audio):
    answer, reply = short_audio
    rec = tmp_path / "rec"
    keep = as_json(cli(rec, "interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer),
                       "--followup-audio", str(reply), "--fast", "--no-speak", "--json"))["attempt"]
    gone = as_json(cli(rec, "interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer),
                       "--followup-audio", str(reply), "--fast", "--no-speak", "--json"))["attempt"]
    r = cli(rec, "delete", gone["id"], check=False)
    assert r.returncode != 0 and "--yes" in r.stderr and Path(gone["folder"]).exists()
    cli(rec, "delete", gone["id"], "--yes")
    assert not Path(gone["folder"]).exists()
    assert [row["id"] for row in as_json(cli(rec, "review", "--json"))] == [keep["id"]]
    import sqlite3

    with sqlite3.connect(rec / "index.sqlite3") as db:
        assert [row[0] for row in db.execute("SELECT id FROM attempts")] == [keep["id"]]
    r = cli(rec, "review", gone["id"], check=False)
    assert r.returncode != 0 and "no attempt" in r.stderr and "Traceback" not in r.stderr
