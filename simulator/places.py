"""Where the program finds its question bank and keeps the user's attempts.

Run from a checkout (the folder holding pyproject.toml), both are the checkout's own: question_bank/ and
recordings/. Installed with `pip install .`, the bank is the copy shipped inside the package, and attempts
go to the user's data folder ($XDG_DATA_HOME/star-interview/recordings, by default
~/.local/share/star-interview/recordings). STAR_SIM_BANK and STAR_SIM_RECORDINGS override either.
"""

from __future__ import annotations

import os
from pathlib import Path

BANK_ENV = "STAR_SIM_BANK"
RECORDINGS_ENV = "STAR_SIM_RECORDINGS"
PACKAGE = Path(__file__).resolve().parent


def checkout() -> Path | None:
    """The source checkout this code runs from, if it does."""
    root = PACKAGE.parent
    return root if (root / "pyproject.toml").is_file() and (root / "question_bank").is_dir() else None


def bank_dir() -> Path:
    if os.environ.get(BANK_ENV):
        return Path(os.environ[BANK_ENV]).expanduser()
    root = checkout()
    return root / "question_bank" if root else PACKAGE / "question_bank"


def recordings_dir() -> Path:
    if os.environ.get(RECORDINGS_ENV):
        return Path(os.environ[RECORDINGS_ENV]).expanduser()
    root = checkout()
    if root:
        return root / "recordings"
    data = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data / "star-interview" / "recordings"
