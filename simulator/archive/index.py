"""The SQLite index of attempts: one row per attempt folder, for listing, filters and trends.

The folders stay the truth. Every read first brings the index up to date with them (new, changed and
removed folders, found by the modification times of attempt.json and report.json), so an attempt written
by another session, or a folder deleted by hand, shows up correctly. A missing or damaged index file is
moved aside and rebuilt from the folders; a damaged report is skipped with a warning, never fatal.
Two sessions writing at once are serialized by SQLite's own locking (busy timeout below).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import StorageError
from .store import Attempt, Store

log = logging.getLogger(__name__)
INDEX_NAME = "index.sqlite3"
INDEX_VERSION = 1
BUSY_TIMEOUT_S = 30.0

COLUMNS = ("id", "created", "mode", "status", "question_id", "question_text", "level", "section_focus",
           "round_id", "answer_s", "score", "verdict", "followup_score", "probe_id", "probe_targets",
           "sections", "flags", "stamp")
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS attempts (
    id TEXT PRIMARY KEY, created TEXT, mode TEXT, status TEXT, question_id TEXT, question_text TEXT,
    level TEXT, section_focus TEXT, round_id TEXT, answer_s REAL, score REAL, verdict TEXT,
    followup_score REAL, probe_id TEXT, probe_targets TEXT, sections TEXT, flags TEXT, stamp TEXT
);
PRAGMA user_version = {INDEX_VERSION};
"""


@dataclass(frozen=True)
class Row:
    """One attempt as listed: enough for `review`, trends and the most frequent weaknesses."""

    id: str
    created: str
    mode: str
    status: str
    question_id: str | None
    question_text: str | None
    level: str | None
    section_focus: str | None
    round_id: str | None
    answer_s: float | None
    score: float | None
    verdict: str | None
    followup_score: float | None
    probe_id: str | None
    probe_targets: str | None
    sections: dict  # name -> {duration_s, target_s, verdict}
    flags: list  # weakness codes raised in the answer and the reply


def stamp_of(folder: Path) -> str:
    """Changes whenever the attempt's meta or report is rewritten."""
    parts = []
    for name in ("attempt.json", "report.json"):
        try:
            parts.append(str(os.stat(folder / name).st_mtime_ns))
        except OSError:
            parts.append("-")
    return ":".join(parts)


def summarize(attempt: Attempt) -> dict:
    """The index row of an attempt folder; StorageError when its JSON is damaged."""
    meta = attempt.meta()
    report = attempt.read("report.json") or {}
    status = attempt.status()
    question = report.get("question") or {}
    followup = report.get("followup") or {}
    probe = report.get("probe") or {}
    sections = {s["name"]: {"duration_s": s["duration_s"], "target_s": s["target_s"], "verdict": s["verdict"]}
                for s in report.get("sections", [])}
    flags = [f["code"] for f in report.get("flags", [])] + [f["code"] for f in followup.get("flags", [])]
    score = (report.get("score") or {}).get("overall")
    answer_s = report.get("answer_s", meta.get("answer_s"))
    return {
        "id": attempt.id, "created": meta.get("created", ""), "mode": meta.get("mode", "interview"),
        "status": status, "question_id": question.get("id") or meta.get("question_id"),
        "question_text": question.get("text") or meta.get("question_text"), "level": meta.get("level"),
        "section_focus": meta.get("section"), "round_id": (meta.get("round") or {}).get("id"),
        "answer_s": answer_s, "score": score, "verdict": (report.get("score") or {}).get("verdict"),
        "followup_score": (followup.get("score") or {}).get("overall"),
        "probe_id": followup.get("probe_id") or probe.get("id"),
        "probe_targets": followup.get("targets") or probe.get("targets"),
        "sections": json.dumps(sections), "flags": json.dumps(flags), "stamp": stamp_of(attempt.folder),
    }


class Index:
    def __init__(self, store: Store, warn: Callable[[str], None] | None = None):
        self.store = store
        self.path = store.root / INDEX_NAME
        self.warn = warn or (lambda message: log.warning("%s", message))

    # --- opening, and rebuilding when the file is damaged ----------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        db.row_factory = sqlite3.Row
        return db

    def _open(self) -> sqlite3.Connection:
        self.store.root.mkdir(parents=True, exist_ok=True)
        try:
            db = self._connect()
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != INDEX_VERSION:
                db.executescript("DROP TABLE IF EXISTS attempts;" + SCHEMA)
            db.execute("SELECT count(*) FROM attempts").fetchone()
            os.chmod(self.path, 0o600)
            return db
        except sqlite3.DatabaseError as exc:
            return self._rebuild_damaged(exc)

    def _rebuild_damaged(self, exc: Exception) -> sqlite3.Connection:
        aside = self.path.with_name(f"{INDEX_NAME}.damaged")
        self.warn(f"the index {self.path} was damaged ({exc}); it is rebuilt from the attempt folders "
                  f"(the old file is kept as {aside.name})")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm", "-journal"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            db = self._connect()
            db.executescript(SCHEMA)
            os.chmod(self.path, 0o600)
            return db
        except (OSError, sqlite3.DatabaseError) as again:
            raise StorageError(f"cannot rebuild the index {self.path} ({again})") from None

    # --- keeping it in step with the folders -------------------------------------------------------

    def sync(self) -> None:
        """Add new or changed folders, drop rows whose folder is gone."""
        with closing(self._open()) as db, db:
            known = dict(db.execute("SELECT id, stamp FROM attempts").fetchall())
            on_disk = set(self.store.attempt_ids())
            for gone in set(known) - on_disk:
                db.execute("DELETE FROM attempts WHERE id = ?", (gone,))
            for attempt_id in sorted(on_disk):
                folder = self.store.root / attempt_id
                if known.get(attempt_id) == stamp_of(folder) and not self._may_have_died(db, attempt_id):
                    continue
                self._upsert(db, Attempt(attempt_id, folder))

    @staticmethod
    def _may_have_died(db: sqlite3.Connection, attempt_id: str) -> bool:
        status = db.execute("SELECT status FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        return status is not None and status[0] == "in progress"

    def _upsert(self, db: sqlite3.Connection, attempt: Attempt) -> None:
        try:
            row = summarize(attempt)
        except StorageError as exc:
            self.warn(f"skipped attempt {attempt.id}: {exc}")
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt.id,))
            return
        marks = ", ".join("?" for _ in COLUMNS)
        db.execute(f"INSERT OR REPLACE INTO attempts ({', '.join(COLUMNS)}) VALUES ({marks})",
                   [row[c] for c in COLUMNS])

    def update(self, attempt: Attempt) -> None:
        with closing(self._open()) as db, db:
            self._upsert(db, attempt)

    def listen(self, attempt: Attempt) -> None:
        """Store.on_change: keep the index current, but never let it stop a recording."""
        try:
            self.update(attempt)
        except (StorageError, sqlite3.Error, OSError) as exc:
            self.warn(f"the index was not updated ({exc}); it is brought up to date on the next review")

    def remove(self, attempt_id: str) -> None:
        with closing(self._open()) as db, db:
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))

    # --- reading -------------------------------------------------------------------------------------

    def rows(self, *, mode: str | None = None, question: str | None = None, status: str | None = None,
             since: str | None = None, section: str | None = None, limit: int | None = None) -> list[Row]:
        """Attempts oldest first, after bringing the index up to date with the folders."""
        self.sync()
        where, args = [], []
        equal_to = (("mode", mode), ("question_id", question), ("status", status), ("section_focus", section))
        for column, value in equal_to:
            if value:
                where.append(f"{column} = ?")
                args.append(value)
        if since:
            where.append("created >= ?")
            args.append(since)
        sql = "SELECT * FROM attempts" + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
        with closing(self._open()) as db:
            found = [self._row(r) for r in db.execute(sql, args).fetchall()]
        return found[-limit:] if limit else found

    @staticmethod
    def _row(r: sqlite3.Row) -> Row:
        values = {c: r[c] for c in COLUMNS if c != "stamp"}
        values["sections"] = json.loads(values["sections"] or "{}")
        values["flags"] = json.loads(values["flags"] or "[]")
        return Row(**values)
