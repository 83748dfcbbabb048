"""The attempt archive: folders as the truth, the SQLite index rebuilt from them, damage skipped, deletes
complete, concurrent sessions consistent, ids confined to the recordings folder."""

import json
import multiprocessing
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.archive.index import INDEX_NAME, Index
from simulator.archive.store import Store
from simulator.errors import StorageError

ROOT = Path(__file__).resolve().parent.parent


def fake_report(question_id="debug-nobody-owned", score=70.0, flags=("we_language",), action_s=80.0):
    sections = [{"name": n, "start_s": 0.0, "end_s": 1.0, "duration_s": d, "target_s": t, "verdict": "ok", "text": n}
                for n, d, t in (("situation", 25, 30), ("task", 15, 20), ("action", action_s, 90),
                                ("result", 18, 20), ("reflection", 12, 15))]
    return {"schema": 1, "question": {"id": question_id, "text": "Q?"}, "answer_s": 150.0, "duration_s": 151.0,
            "sections": sections, "flags": [{"code": c} for c in flags],
            "score": {"overall": score, "verdict": "hire"},
            "probe": {"id": "p1", "targets": flags[0] if flags else None}}


def make_attempt(store, mode="interview", status="complete", report=None, **meta):
    attempt = store.new_attempt({"mode": mode, "question_id": "debug-nobody-owned", **meta})
    (attempt.folder / "answer.wav").write_bytes(b"RIFF")
    if report is not None:
        attempt.write("report.json", report)
    attempt.update_meta(status=status)
    return attempt


@pytest.fixture
def archive(tmp_path):
    warnings = []
    store = Store(tmp_path / "rec")
    index = Index(store, warn=warnings.append)
    store.on_change = index.listen
    return store, index, warnings


def test_every_change_is_listed_with_its_figures(archive):
    store, index, warnings = archive
    a = make_attempt(store, report=fake_report(score=61.0))
    b = make_attempt(store, mode="drill", report=fake_report(score=75.0), section=None)
    rows = index.rows()
    assert [r.id for r in rows] == sorted([a.id, b.id])
    first = next(r for r in rows if r.id == a.id)
    assert (first.mode, first.status, first.score, first.answer_s) == ("interview", "complete", 61.0, 150.0)
    assert first.sections["action"] == {"duration_s": 80.0, "target_s": 90, "verdict": "ok"}
    assert first.flags == ["we_language"]
    assert [r.id for r in index.rows(mode="drill")] == [b.id]
    assert warnings == []


def test_a_missing_or_damaged_index_is_rebuilt_from_the_folders(archive):
    store, index, warnings = archive
    ids = {make_attempt(store, report=fake_report()).id for _ in range(3)}
    (store.root / INDEX_NAME).unlink()
    assert {r.id for r in index.rows()} == ids and warnings == []
    (store.root / INDEX_NAME).write_bytes(b"this is not a database" * 100)
    assert {r.id for r in index.rows()} == ids
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilt" in warnings[0]
    assert (store.root / f"{INDEX_NAME}.damaged").exists()
    assert stat.S_IMODE(os.stat(store.root / INDEX_NAME).st_mode) == 0o600


def test_a_damaged_report_is_skipped_with_a_warning(archive):
    store, index, warnings = archive
    good = make_attempt(store, report=fake_report())
    bad = make_attempt(store, report=fake_report())
    bad.file("report.json").write_text('{"schema": 1, "sections": [')
    assert [r.id for r in index.rows()] == [good.id]
    assert any(bad.id in w and "damaged" in w for w in warnings)
    bad.write("report.json", fake_report())  # repaired: listed again
    assert [r.id for r in index.rows()] == sorted([good.id, bad.id])


def test_a_session_that_died_while_recording_is_incomplete(archive):
    store, index, _ = archive
    attempt = store.new_attempt({"mode": "interview", "question_id": "q"})
    assert attempt.status() == "in progress"  # this process is alive
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    attempt.update_meta(pid=int(dead.stdout))
    assert attempt.status() == "incomplete"
    assert [(r.id, r.status) for r in index.rows()] == [(attempt.id, "incomplete")]
    assert [r.id for r in index.rows(status="incomplete")] == [attempt.id]


def test_delete_removes_the_folder_and_the_index_entry(archive):
    store, index, _ = archive
    keep = make_attempt(store, report=fake_report())
    gone = make_attempt(store, report=fake_report())
    store.delete(gone.id)
    index.remove(gone.id)
    assert not gone.folder.exists()
    with sqlite3.connect(store.root / INDEX_NAME) as db:
        assert [r[0] for r in db.execute("SELECT id FROM attempts")] == [keep.id]
    with pytest.raises(StorageError, match="no attempt"):
        store.delete(gone.id)


def test_a_folder_removed_by_hand_drops_out_of_the_list(archive):
    store, index, _ = archive
    a = make_attempt(store, report=fake_report())
    import shutil

    shutil.rmtree(a.folder)
    assert index.rows() == []


@pytest.mark.parametrize("bad_id", ["../../etc", "..", "/etc/passwd", "20261123-101500-ab12/../../x",
                                    "20261123-101500-AB12", "", "20261123-101500-ab12\x00"])
def test_ids_cannot_reach_outside_the_recordings_folder(archive, bad_id):
    store, _, _ = archive
    with pytest.raises(StorageError):
        store.path_of(bad_id)


def test_a_symlinked_attempt_pointing_outside_is_refused(archive, tmp_path):
    store, _, _ = archive
    outside = tmp_path / "outside"
    outside.mkdir()
    store.root.mkdir(parents=True, exist_ok=True)
    (store.root / "20261123-101500-ab12").symlink_to(outside)
    with pytest.raises(StorageError):
        store.path_of("20261123-101500-ab12")


def _session(root: str, n: int) -> None:
    store = Store(Path(root))
    index = Index(store)
    store.on_change = index.listen
    for _ in range(n):
        make_attempt(store, report=fake_report())


def test_two_sessions_at_once_write_separate_attempts_and_a_consistent_index(tmp_path):
    root = tmp_path / "rec"
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_session, args=(str(root), 8)) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    store = Store(root)
    assert len(store.attempt_ids()) == 16
    with sqlite3.connect(root / INDEX_NAME) as db:
        indexed = sorted(r[0] for r in db.execute("SELECT id FROM attempts"))
    assert indexed == store.attempt_ids()  # every write reached the index, none lost to the other session
    assert all(json.loads((root / i / "attempt.json").read_text())["status"] == "complete" for i in indexed)


@pytest.mark.parametrize("attempts", [1, 3])
def test_the_trend_plot_counts_attempts_in_whole_numbers_and_shows_each_as_a_point(attempts):
    from simulator.modes.review import trend_figure

    data = {"questions": {"q": [(f"a{i}", 60.0 + i) for i in range(attempts)]},
            "sections": {"action": [(f"a{i}", 80.0 + i, 90.0) for i in range(attempts)], "task": []}}
    fig = trend_figure(data)
    for axes in fig.axes:
        low, high = axes.get_xlim()
        ticks = [t for t in axes.get_xticks() if low <= t <= high]
        assert ticks == [float(n) for n in range(1, attempts + 1)], ticks
        line = axes.get_lines()[0]
        assert line.get_marker() == "o" and list(line.get_xdata()) == list(range(1, attempts + 1))


def test_attempts_go_to_the_checkouts_recordings_folder_unless_told_otherwise(monkeypatch, tmp_path):
    from simulator.archive.store import RECORDINGS_ENV, default_recordings_dir

    monkeypatch.delenv(RECORDINGS_ENV, raising=False)
    checkout = Path(__file__).resolve().parent.parent
    assert default_recordings_dir() == checkout / "recordings" and (checkout / "simulator").is_dir()
    monkeypatch.setenv(RECORDINGS_ENV, str(tmp_path))
    assert default_recordings_dir() == tmp_path


@pytest.mark.parametrize("width, question", [(80, "ambiguity-u…"), (60, "\n    interview 3:07.3, score 72, "
                                                                        "interrupted: ambiguity-")])
def test_the_list_keeps_every_id_whole_in_a_narrow_terminal_or_a_pipe(width, question):
    import io

    from rich.console import Console

    from simulator.archive.index import Row
    from simulator.modes.review import list_view

    rows = [Row(f"20261124-0119{k}3-00d{k}", "2026-11-24T01:19:13+00:00", "interview", "interrupted",
                "ambiguity-unclear-requirements", "Describe a project...", None, "action", None, 187.3, 72.0,
                "hire", None, None, None, {}, []) for k in range(3)]
    out = io.StringIO()
    Console(file=out, width=width).print(list_view(rows, width))
    text = out.getvalue()
    assert max(len(line) for line in text.splitlines()) <= width
    assert all(row.id in text for row in rows)
    assert text.count(question) == 3  # 80 columns: the question shortened; narrower: on a line of its own


@pytest.mark.parametrize("width, bar", [(80, 19), (160, 30)])
def test_the_section_table_fits_an_80_column_terminal_with_its_bars_whole(width, bar):
    import io

    from rich.console import Console

    from simulator.render import timeline_table
    from simulator.types import SECTION_NAMES

    starts = (0.0, 11.0, 18.0, 37.0, 48.0, 57.0)
    sections = [{"name": name, "start_s": starts[k], "end_s": starts[k + 1], "duration_s": starts[k + 1] - starts[k],
                 "target_s": target, "verdict": "ok"}
                for k, (name, target) in enumerate(zip(SECTION_NAMES, (30, 20, 90, 20, 15), strict=True))]
    out = io.StringIO()
    Console(file=out, width=width).print(timeline_table({"sections": sections, "duration_s": 57.0}))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    rows = [line for line in lines if line.startswith("│ ")]
    assert len(rows) == 5 and all(line.endswith("│") for line in rows), lines  # not cropped at the edge
    # Each bar is as wide as the table could give it (never cropped), with its target marked.
    bars = [line.rsplit("│", 2)[1] for line in rows]
    assert all(len(b) == bar + 2 and "|" in b for b in bars), bars
    assert "| marks each target" in out.getvalue()
