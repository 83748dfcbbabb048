"""Attempts on disk: one private folder per attempt, JSON written atomically.

Recordings are the user's voice, so folders are 0700 and files 0600. Every JSON file is written to a
temporary file and moved into place with os.replace, so a crash never leaves half a report. The folder is
checked for writability and free space before recording starts, not after the answer is lost.

The folders are the truth; the SQLite index beside them (index.py) is a cache for listing and trends,
refreshed from them whenever it is read.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from .. import places
from ..errors import StorageError
from ..places import RECORDINGS_ENV

ID_PATTERN = re.compile(r"^\d{8}-\d{6}-[a-z0-9]{4}$")
MIN_FREE_BYTES = 64 * 1024 * 1024  # a 4-minute answer is 7.7 MB; keep ample room


def default_recordings_dir() -> Path:
    return places.recordings_dir()


def write_json(path: Path, data) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, indent=2, ensure_ascii=False)
            f.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Store:
    def __init__(self, root: Path | None = None, on_change: Callable[[Attempt], None] | None = None):
        self.root = Path(root) if root else default_recordings_dir()
        self.on_change = on_change  # told whenever an attempt's meta changes (the index listens)

    def check_writable(self) -> None:
        """Fail before recording if the folder cannot take an attempt."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = tempfile.NamedTemporaryFile(dir=self.root, prefix=".write-check-", delete=True)
            probe.close()
        except OSError as exc:
            raise StorageError(f"cannot write to the recordings folder {self.root} ({exc.strerror or exc}): "
                               f"pass --recordings DIR or set {RECORDINGS_ENV}") from None
        free = shutil.disk_usage(self.root).free
        if free < MIN_FREE_BYTES:
            raise StorageError(f"only {free // 1_000_000} MB free under {self.root}: free some space "
                               "or pass --recordings DIR on another disk")

    def new_attempt(self, meta: dict) -> Attempt:
        """Callers run check_writable() first, before anything is asked or recorded."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        for _ in range(20):  # two sessions starting in the same second draw different suffixes
            attempt_id = f"{stamp}-{secrets.token_hex(2)}"
            folder = self.root / attempt_id
            try:
                folder.mkdir(mode=0o700, parents=True)
                break
            except FileExistsError:
                continue
            except OSError as exc:
                raise StorageError(f"cannot create {folder} ({exc.strerror or exc}): pass --recordings DIR") from None
        else:
            raise StorageError(f"cannot find a free attempt id under {self.root}")
        attempt = Attempt(attempt_id, folder, self.on_change)
        # The pid tells a session still running from one that died (an incomplete attempt).
        attempt.write_meta({**meta, "id": attempt_id, "created": datetime.now(timezone.utc).isoformat(),
                            "status": "recording", "pid": os.getpid()})
        return attempt

    def attempt_ids(self) -> list[str]:
        """Every attempt folder, oldest first (ids start with their UTC time)."""
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if ID_PATTERN.match(p.name) and p.is_dir())

    def open(self, attempt_id: str) -> Attempt:
        return Attempt(attempt_id, self.path_of(attempt_id), self.on_change)

    def delete(self, attempt_id: str) -> Path:
        """Remove an attempt's folder and everything in it (audio, transcripts, report)."""
        folder = self.path_of(attempt_id)
        try:
            shutil.rmtree(folder)
        except OSError as exc:
            raise StorageError(f"could not delete {folder} ({exc.strerror or exc})") from None
        return folder

    def path_of(self, attempt_id: str) -> Path:
        """The folder of an attempt id; ids cannot name anything outside the recordings folder."""
        if not ID_PATTERN.match(attempt_id):
            raise StorageError(f"'{attempt_id}' is not an attempt id (like 20261123-101500-ab12)")
        folder = (self.root / attempt_id).resolve()
        if folder.parent != self.root.resolve() or not folder.is_dir():
            raise StorageError(f"no attempt '{attempt_id}' under {self.root}")
        return folder


class Attempt:
    def __init__(self, attempt_id: str, folder: Path, on_change: Callable[[Attempt], None] | None = None):
        self.id = attempt_id
        self.folder = folder
        self.on_change = on_change

    def file(self, name: str) -> Path:
        return self.folder / name

    def write_meta(self, meta: dict) -> None:
        write_json(self.file("attempt.json"), meta)
        if self.on_change:
            self.on_change(self)

    def record(self, **details: object) -> dict:
        """The report's "attempt" entry: where the attempt is kept, and how its turns ended."""
        return {"id": self.id, "folder": str(self.folder), **details}

    def update_meta(self, **changes) -> None:
        path = self.file("attempt.json")
        meta = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        meta.update(changes)
        self.write_meta(meta)

    def mark_failed(self) -> None:
        """Failed, unless already marked interrupted (a lost microphone is said as such)."""
        if self.meta().get("status") != "interrupted":
            self.update_meta(status="failed")

    def write(self, name: str, data) -> Path:
        path = self.file(name)
        write_json(path, data)
        return path

    def read(self, name: str):
        """A JSON file of the attempt, or None when it is absent; StorageError when it is damaged."""
        path = self.file(name)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise StorageError(f"{path} is damaged ({exc.__class__.__name__}: {str(exc)[:60]})") from None

    def meta(self) -> dict:
        meta = self.read("attempt.json")
        return meta if isinstance(meta, dict) else {"id": self.id}

    def status(self) -> str:
        """complete, interrupted or failed as written; a session that died while recording is incomplete."""
        meta = self.meta()
        status = meta.get("status", "incomplete")
        if status in ("recording", "answered"):
            return "in progress" if pid_alive(meta.get("pid")) else "incomplete"
        return status


def pid_alive(pid) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
