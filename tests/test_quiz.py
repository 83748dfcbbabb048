"""The pattern quiz: generated items agree with the analysis, written items are validated, and the mode
runs from stdin keys into the archive and the trend."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from simulator.analysis import quiz
from simulator.analysis.transcripts import transcript_from_text
from simulator.types import QUIZ_DIFFICULTIES, QuizItem

from .cli import one_line_error, run_cli
from .test_bank import broken, edit, line_of, problems  # noqa: F401  (broken is a fixture)


@pytest.fixture(scope="module")
def confirmed(bank, analyzer):
    return quiz.confirm_all(quiz.candidates(bank, seed=11), quiz.checker_for(analyzer))


def test_every_archetype_has_at_least_ten_items(bank, confirmed):
    kept, _ = confirmed
    per_archetype = Counter(i.archetype for i in kept) + Counter(i.archetype for i in bank.quiz if i.archetype)
    archetypes = {q.archetype for q in bank.questions.values()}
    assert len(archetypes) == 10
    assert all(per_archetype[a] >= 10 for a in archetypes), per_archetype
    assert set(Counter(i.kind for i in kept)) == {"signal", "result_bar", "task", "probe_reply", "weakness",
                                                   "disqualifier", "principle"}


def test_items_are_well_formed(bank, confirmed):
    kept, _ = confirmed
    for item in [*kept, *bank.quiz]:
        assert 2 <= len(item.options) <= 4 and len(set(item.options)) == len(item.options), item.id
        assert all(o.strip() for o in item.options) and 0 <= item.answer < len(item.options), item.id
        assert item.steps and item.hint and item.mistake and item.difficulty in QUIZ_DIFFICULTIES, item.id


def _report(analyzer, bank, item: QuizItem) -> dict:
    question = bank.questions[item.question_id]
    return analyzer.analyze(transcript_from_text(question.weak.text), question)


def test_a_weakness_key_is_what_the_probe_choice_ranks_first(bank, analyzer, confirmed):
    kept, _ = confirmed
    items = [i for i in kept if i.kind == "weakness"]
    assert len(items) == 10
    for item in items:
        report = _report(analyzer, bank, item)
        raised = {bank.weaknesses[f["code"]].message for f in report["flags"]}
        assert item.options[item.answer] == bank.weaknesses[report["probe"]["targets"]].message
        assert not raised & {o for k, o in enumerate(item.options) if k != item.answer}, item.id  # none defensible


def test_a_disqualifier_key_holds_the_ownership_evidence_and_no_other_option_does(bank, analyzer, confirmed):
    kept, _ = confirmed
    items = [i for i in kept if i.kind == "disqualifier"]
    assert len(items) >= 6
    for item in items:
        evidence = [f["evidence"].strip(" .").lower() for f in _report(analyzer, bank, item)["flags"]
                    if f["code"] in quiz.OWNERSHIP_CODES]
        options = [o.lower() for o in item.options]
        assert any(e in options[item.answer] for e in evidence), (item.id, evidence, options[item.answer])
        for k, option in enumerate(options):
            if k != item.answer:
                assert not any(e in option for e in evidence), (item.id, option)


def test_a_strong_reply_key_outscores_every_other_option(bank, analyzer, confirmed):
    kept, _ = confirmed
    for item in [i for i in kept if i.kind == "probe_reply"]:
        question = bank.questions[item.question_id]
        main = analyzer.analyze(transcript_from_text(question.strong.text), question)
        probe_id = item.id.split(":", 1)[1]
        scores = [analyzer.analyze_followup(transcript_from_text(o), main, question, probe_id)["score"]["overall"]
                  for o in item.options]
        assert all(scores[item.answer] >= s + quiz.FOLLOWUP_MARGIN for k, s in enumerate(scores) if k != item.answer)


def test_items_the_analysis_does_not_back_are_dropped(bank):
    """An analysis that finds nothing confirms no item that rests on its findings: only the principle items,
    whose key is the bank's own pairing, survive."""
    nothing = {"flags": [], "probe": {"targets": None, "text": ""}, "score": {"overall": 50}}
    checker = quiz.Checker(lambda text, q: nothing, lambda text, report, q, pid: nothing)
    kept, dropped = quiz.confirm_all(quiz.candidates(bank, seed=1), checker)
    assert {i.kind for i in kept} == {"principle"}
    assert {i.kind for i in dropped} == {"signal", "result_bar", "task", "probe_reply", "weakness", "disqualifier"}


def test_choose_goes_easy_then_medium_then_hard_and_spreads_kinds(bank, analyzer):
    items = quiz.choose(bank.quiz, quiz.candidates(bank, seed=2), quiz.checker_for(analyzer), 10, random.Random(2))
    assert len(items) == 10
    order = [QUIZ_DIFFICULTIES.index(i.difficulty) for i in items]
    assert order == sorted(order) and Counter(order) == {0: 4, 1: 3, 2: 3}
    assert len({i.kind for i in items}) >= 5
    assert len({i.id for i in items}) == 10


def test_written_items_are_validated_with_file_and_line(broken):  # noqa: F811
    f = broken / "quiz.yaml"
    edit(f, "      - text: Think Big\n", "      - text: Think Big\n        correct: true\n")
    edit(f, "    difficulty: easy\n", "    difficulty: trivial\n")
    edit(f, "      - text: Good teamwork with the director.\n", "      - text: ''\n")
    msg = problems(broken)
    assert f"{f}:{line_of(f, 'difficulty: trivial')}: difficulty must be one of easy, medium, hard" in msg
    assert "exactly one option with 'correct: true' (found 2)" in msg
    assert f"{f}:{line_of(f, 'text: ' + chr(39) * 2)}: 'text' must be non-empty text" in msg


def quiz_run(rec, keys: str, *args):
    """`quiz ... --json` with `keys` as its stdin: the run and its report."""
    r = run_cli("quiz", *args, "--recordings", rec, "--json", stdin=keys)
    assert r.returncode == 0, r.stderr
    return r, r.json()


def test_a_quiz_from_stdin_keys_is_scored_kept_and_charted(tmp_path):
    rec = tmp_path / "rec"
    r, report = quiz_run(rec, "x\nA\nB\nC\nD\nA\nB\n", "--archetype", "mentoring", "-n", "6", "--seed", "4")
    items = report["quiz"]["items"]
    assert [i["given"] for i in items] == list("ABCDAB")  # "x" was refused and asked again
    assert "Press one of A, B, C, D" in r.stderr and r.stderr.count("Solution") == 6
    right = sum(i["given"] == i["answer"] for i in items)
    assert report["score"]["right"] == right and report["score"]["overall"] == round(100 * right / 6)
    assert [i["difficulty"] for i in items] == ["easy", "easy", "medium", "medium", "hard", "hard"]
    listed = run_cli("review", "--mode", "quiz", "--recordings", rec, "--json").json()
    assert [(row["mode"], row["question_id"], row["score"], row["status"]) for row in listed] == [
        ("quiz", "quiz:mentoring", report["score"]["overall"], "complete")]
    trend = run_cli("review", "--trend", "--recordings", rec)
    assert "Quiz score, percent right" in trend.stdout and "quiz:mentoring" in trend.stdout
    shown = run_cli("review", report["attempt"]["id"], "--recordings", rec)
    assert f"Quiz score: {right} of 6" in shown.stdout
    assert "is a quiz" in one_line_error(run_cli("review", report["attempt"]["id"], "--play", "--recordings", rec))


def test_stopping_a_quiz_keeps_the_answers_given(tmp_path):
    rec = tmp_path / "rec"
    r, report = quiz_run(rec, "A\nq\n", "--principle", "ownership", "-n", "5", "--seed", "1")
    assert len(report["quiz"]["items"]) == 1 and report["quiz"]["complete"] is False
    assert "stopped with q after 1 of 5" in r.stderr
    row = run_cli("review", "--recordings", rec, "--json").json()[0]
    assert row["status"] == "interrupted" and row["mode"] == "quiz"
    r, report = quiz_run(rec, "", "-n", "3")  # the input ends at once
    assert report["quiz"]["items"] == [] and "ended with the input" in r.stderr


def test_a_quiz_scope_the_bank_does_not_have_is_one_line(tmp_path):
    line = one_line_error(run_cli("quiz", "--archetype", "cooking", "--recordings", tmp_path))
    assert "unknown archetype 'cooking'" in line and "mentoring" in line
    assert "unknown principle" in one_line_error(run_cli("quiz", "--principle", "speed", "--recordings", tmp_path))


def test_ctrl_c_in_a_quiz_keeps_the_answers_and_exits_as_interrupted(tmp_path, bank):
    import io

    from rich.console import Console

    from simulator.archive.store import Store
    from simulator.modes.quiz import Quiz
    from simulator.modes.turn import Interrupted

    keys = iter(["B"])

    def press(_console, _prompt):
        key = next(keys, None)
        if key is None:
            raise KeyboardInterrupt
        return key

    store = Store(tmp_path / "rec")
    quiz_run = Quiz(list(bank.quiz[:3]), store, Console(file=io.StringIO()), {"archetype": None}, keys=press)
    with pytest.raises(Interrupted) as stopped:
        quiz_run.run()
    assert stopped.value.exit_code == 130 and "the 1 answer(s) given so far are kept" in str(stopped.value)
    (attempt_id,) = store.attempt_ids()
    attempt = store.open(attempt_id)
    report = attempt.read("report.json")
    assert [i["given"] for i in report["quiz"]["items"]] == ["B"] and attempt.meta()["status"] == "interrupted"


def test_speak_reads_each_item_and_its_options_aloud(tmp_path, bank):
    import io

    from rich.console import Console

    from simulator.archive.store import Store
    from simulator.modes.quiz import Quiz

    from .fakes import RememberingSpeaker

    speaker = RememberingSpeaker()
    items = list(bank.quiz[:2])
    Quiz(items, Store(tmp_path / "rec"), Console(file=io.StringIO()), {}, speaker,
         keys=lambda _console, _prompt: "A").run()
    assert [saved for _, saved in speaker.said] == [None, None]  # nothing of a quiz is recorded
    first = speaker.said[0][0]
    assert first.startswith(items[0].stem) and f"B. {items[0].options[1]}" in first



def test_at_a_terminal_one_key_answers_without_enter_and_a_wrong_key_is_asked_again(tmp_path):
    """The quiz in a real pseudo-terminal: cbreak mode, so the key alone answers (no Enter is ever sent)."""
    import os
    import pty
    import select
    import sys

    from .cli import ROOT, wait_for

    pid, fd = pty.fork()
    if pid == 0:  # the child: the quiz at a terminal
        os.chdir(ROOT)
        os.environ["COLUMNS"] = "100"
        os.execv(sys.executable, [sys.executable, "-m", "simulator", "quiz", "-n", "2", "--seed", "5",
                                  "--recordings", str(tmp_path / "rec")])
    seen = bytearray()
    ended = False

    def read_some() -> None:
        nonlocal ended
        if not ended and select.select([fd], [], [], 0.05)[0]:
            try:
                seen.extend(os.read(fd, 65536))
            except OSError:  # the quiz exited and its terminal closed
                ended = True

    def shows(text: str) -> bool:
        read_some()
        assert text.encode() in seen or not ended, f"ended without {text!r}: {seen.decode(errors='replace')[-600:]}"
        return text.encode() in seen

    try:
        wait_for(lambda: shows("Your answer ("), what="the first item")
        os.write(fd, b"x")  # not an option: refused, asked again
        wait_for(lambda: shows("Press one of"), what="the refusal")
        os.write(fd, b"b")  # one key: answered
        wait_for(lambda: shows("Solution"), what="the solution")
        os.write(fd, b"q")
        wait_for(lambda: shows("stopped with q after 1 of 2"), what="the stop")
        wait_for(lambda: read_some() or ended, 30, "the quiz to exit")  # before its terminal goes away
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0
    assert len(list((tmp_path / "rec").glob("*/report.json"))) == 1  # the one answer given is kept


def test_a_key_typed_while_the_solution_prints_is_not_thrown_away(monkeypatch):
    """Deterministic: the key is in the terminal before the prompt asks (setcbreak's default flush lost it)."""
    import io
    import os
    import pty
    import sys
    import threading

    from rich.console import Console

    from simulator.modes.quiz import read_key

    master, slave = pty.openpty()
    monkeypatch.setattr(sys, "stdin", open(slave, encoding="utf-8", closefd=False))
    os.write(master, b"q")  # typed ahead, in the terminal's ordinary line mode
    got: list = []
    reader = threading.Thread(target=lambda: got.append(read_key(Console(file=io.StringIO()), "? ")), daemon=True)
    reader.start()
    reader.join(5)
    os.close(master)  # unblocks a reader still waiting for a key that was thrown away
    reader.join(5)
    os.close(slave)
    assert got == ["q"]
