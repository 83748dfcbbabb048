"""Command line: parse options, build the engines, run a mode. Nothing else lives here.

Every SimulatorError becomes one line on stderr and a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
from pathlib import Path

from rich.console import Console

from .errors import SimulatorError
from .types import LEVELS, SECTION_NAMES

DESCRIPTION = "Local, voice-driven mock interviews for behavioral (STAR) questions."
log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="star-interview", description=DESCRIPTION)
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("interview", help="one spoken mock interview: question, answer, follow-up, report")
    p.add_argument("--question", metavar="ID", help="question id (see `bank list`); random otherwise")
    p.add_argument("--tag", help="pick among questions with this tag (principle, archetype, competency)")
    p.add_argument("--level", choices=LEVELS, help="level the answer is judged at (default mid)")
    p.add_argument("--answer-audio", type=Path, action="append", metavar="FILE",
                   help="a file stands in for the microphone (give one per question of a round; the last repeats)")
    p.add_argument("--followup-audio", type=Path, action="append", metavar="FILE",
                   help="a file stands in for the follow-up reply (one per question, like --answer-audio)")
    p.add_argument("--fast", action="store_true", help="read answer files at once instead of in real time")
    p.add_argument("--no-speak", action="store_true", help="print the interviewer's words instead of speaking")
    p.add_argument("--silence", type=float, default=8.0, metavar="S", help="seconds of silence that end an answer (8)")
    p.add_argument("--max-seconds", type=float, default=240.0, metavar="S", help="hard cap on an answer (240)")
    p.add_argument("--seed", type=int, help="random seed for the question choice")
    p.add_argument("--round", type=int, default=1, metavar="N", help="ask N questions in a row, then a summary")
    p.add_argument("--closing", action="store_true", help="end by asking for your questions (a round always does)")
    p.add_argument("--closing-audio", type=Path, metavar="FILE", help="a file stands in for your closing questions "
                   "(with --answer-audio and no --closing-audio, the closing question is skipped)")
    _story_option(p)
    _common(p)

    p = sub.add_parser("drill", help="timing drill: the 2-3 minute rule, or one section, against a live clock")
    p.add_argument("--question", metavar="ID", help="question id; random otherwise")
    p.add_argument("--tag", help="pick among questions with this tag")
    p.add_argument("--level", choices=LEVELS, help="level whose targets apply (default mid)")
    p.add_argument("--section", choices=SECTION_NAMES, help="drill this section alone against its target")
    p.add_argument("--tone", action="store_true", help="also sound a short tone at each cue")
    _stand_in(p, "--answer-audio")
    p.add_argument("--seed", type=int, help="random seed for the question choice")
    _story_option(p)
    _common(p)

    p = sub.add_parser("probe", help="practise follow-up probes: record a reply, score it against the markers")
    p.add_argument("--question", metavar="ID", help="a probe of this question")
    p.add_argument("--probe", metavar="PID", help="this probe of the question (default: one at random)")
    p.add_argument("--weakness", metavar="CODE", help="the probe for this weakness code")
    p.add_argument("--from", dest="from_attempt", metavar="ATTEMPT", help="the probe an earlier attempt asked")
    _stand_in(p, "--reply-audio")
    p.add_argument("--seed", type=int, help="random seed for the probe choice")
    _common(p)

    p = sub.add_parser("learn", help="walk through a question: targets, exemplar, tips, mistakes, probes")
    p.add_argument("id", metavar="ID", help="question id (see `bank list`)")
    p.add_argument("--level", choices=LEVELS)
    p.add_argument("--section", choices=SECTION_NAMES, help="only this section")
    p.add_argument("--no-speak", action="store_true", help="show the exemplar without speaking it")
    p.add_argument("--bank", type=Path, metavar="DIR", help="question bank folder (default: question_bank/)")

    p = sub.add_parser("quiz", help="test a pattern: multiple-choice items, easy to hard, with solutions")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--question", metavar="ID", help="items about this question's story")
    scope.add_argument("--principle", metavar="NAME", help="items about this principle (see `bank show`)")
    scope.add_argument("--archetype", metavar="NAME", help="items about this archetype (a file in questions/)")
    p.add_argument("--level", choices=LEVELS, help="only items meant for this level")
    p.add_argument("-n", type=int, default=10, metavar="N", help="how many items (10)")
    p.add_argument("--speak", action="store_true", help="also read each item aloud")
    p.add_argument("--seed", type=int, help="random seed for the choice and order of items")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON (the items go to stderr)")
    p.add_argument("--recordings", type=Path, metavar="DIR", help="where attempts are kept (or STAR_SIM_RECORDINGS)")
    p.add_argument("--bank", type=Path, metavar="DIR", help="question bank folder (default: question_bank/)")

    p = sub.add_parser("story", help="your own story bank: write, map, check and match stories to questions")
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--stories", type=Path, metavar="DIR", help="where your stories are kept (or STAR_SIM_STORIES)")
    shared.add_argument("--bank", type=Path, metavar="DIR", help="question bank folder (default: question_bank/)")
    shared.add_argument("--json", action="store_true", help="print the outcome as JSON")
    shared.add_argument("--recordings", type=Path, metavar="DIR", help="attempts, for how often each story was told")
    story_sub = p.add_subparsers(dest="story_command", required=True, metavar="ACTION")
    q = story_sub.add_parser("new", parents=[shared],
                             help="write a story from its archetype's template ($EDITOR, or field by field)")
    q.add_argument("--archetype", required=True, metavar="NAME", help="the archetype (a file in questions/)")
    q.add_argument("--fields", action="store_true", help="ask the fields one by one even when $EDITOR is set")
    story_sub.add_parser("list", parents=[shared], help="the coverage map: archetypes and principles against your "
                         "stories")
    q = story_sub.add_parser("check", parents=[shared],
                             help="judge a written story: flags, spoken length per section, what to fix")
    q.add_argument("id", metavar="ID")
    q = story_sub.add_parser("for", parents=[shared], help="which of your stories answer this question")
    q.add_argument("question_id", metavar="QUESTION_ID")

    p = sub.add_parser("review", help="list attempts, or show, replay, compare, trend or rescore them")
    p.add_argument("id", nargs="?", metavar="ID", help="an attempt id (see the list)")
    p.add_argument("--mode", choices=("interview", "drill", "probe", "quiz", "closing"), help="list only this mode")
    p.add_argument("--question", metavar="QID", help="list (or chart) only this question")
    p.add_argument("--status", help="list only this status (complete, incomplete, interrupted, ...)")
    p.add_argument("--since", metavar="DATE", help="list attempts from this date on (YYYY-MM-DD)")
    p.add_argument("--limit", type=int, metavar="N", help="list only the N most recent")
    p.add_argument("--play", action="store_true", help="replay the recording, the interviewer's questions included")
    p.add_argument("--section", choices=SECTION_NAMES, help="with --play: replay only this section of the answer")
    p.add_argument("--compare", metavar="ID2", help="show this attempt and ID2 side by side")
    p.add_argument("--trend", action="store_true", help="charts per question and per section")
    p.add_argument("--plot", type=Path, metavar="FILE", help="with --trend: also write a PNG plot")
    p.add_argument("--rescore", action="store_true", help="analyze the stored audio again with the current analysis")
    _common(p)

    p = sub.add_parser("export", help="write an attempt as a self-contained HTML page")
    p.add_argument("id", metavar="ID")
    p.add_argument("--html", type=Path, metavar="FILE", required=True, help="the page to write")
    p.add_argument("--recordings", type=Path, metavar="DIR", help="where attempts are kept (or STAR_SIM_RECORDINGS)")

    p = sub.add_parser("delete", help="remove an attempt completely: audio, transcripts, report, index entry")
    p.add_argument("id", metavar="ID")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.add_argument("--recordings", type=Path, metavar="DIR", help="where attempts are kept (or STAR_SIM_RECORDINGS)")

    p = sub.add_parser("analyze", help="analyze an answer from audio or a transcript")
    p.add_argument("answer", type=Path, metavar="ANSWER", help="wav/flac/mp3/ogg, .txt (150 wpm) or .json words")
    p.add_argument("--question", metavar="ID", help="question it answers (targets, probes)")
    p.add_argument("--level", choices=LEVELS)
    p.add_argument("--followup", type=Path, metavar="FOLLOWUP", help="the follow-up reply, audio or transcript")
    p.add_argument("--probe", metavar="ID", help="the probe the reply answers (default: the one chosen)")
    _common(p)

    p = sub.add_parser("bank", help="list, show or validate the question bank")
    p.add_argument("--bank", type=Path, metavar="DIR", help="question bank folder (default: question_bank/)")
    bank_sub = p.add_subparsers(dest="bank_command", required=True, metavar="ACTION")
    q = bank_sub.add_parser("list", help="list questions")
    q.add_argument("--tag")
    q.add_argument("--level", choices=LEVELS)
    q = bank_sub.add_parser("show", help="show one question with exemplars and probes")
    q.add_argument("id")
    q = bank_sub.add_parser("validate", help="validate a bank folder strictly")
    q.add_argument("path", nargs="?", type=Path)
    return parser


def reference() -> str:
    """docs/CLI.md: every command's --help, generated from the parser (scripts/cli-reference)."""
    parser = build_parser()
    parts = ["# Command line reference", "", "Generated from the parser by `scripts/cli-reference`; do not edit.", ""]

    def add(title: str, p: argparse.ArgumentParser) -> None:
        # argparse wraps to the terminal's width: a fixed one keeps the file the same everywhere.
        p.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=100)
        parts.extend([f"## {title}", "", "```", p.format_help().rstrip(), "```", ""])

    add("star-interview", parser)
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, sub in getattr(action, "choices", {}).items():
            add(f"star-interview {name}", sub)
            for inner in sub._subparsers._group_actions if sub._subparsers else ():
                for inner_name, leaf in getattr(inner, "choices", {}).items():
                    add(f"star-interview {name} {inner_name}", leaf)
    return "\n".join(parts)


def _stand_in(p: argparse.ArgumentParser, flag: str) -> None:
    """Options of the modes that record one spoken turn."""
    p.add_argument(flag, type=Path, metavar="FILE", help="a file stands in for the microphone")
    p.add_argument("--fast", action="store_true", help="read the file at once instead of in real time")
    p.add_argument("--no-speak", action="store_true", help="print the interviewer's words instead of speaking")
    p.add_argument("--silence", type=float, default=8.0, metavar="S", help="seconds of silence that end the turn (8)")
    p.add_argument("--max-seconds", type=float, default=240.0, metavar="S", help="hard cap on the turn (240)")


def _story_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--story", metavar="ID", help="the answer tells this story of yours: report what it kept and "
                   "dropped (without --question: a question of the story's archetype)")
    p.add_argument("--stories", type=Path, metavar="DIR", help="where your stories are kept (or STAR_SIM_STORIES)")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print the report as JSON instead of the rich view")
    p.add_argument("--model", metavar="PATH_OR_NAME", help="Whisper model folder (CTranslate2) or cached name")
    p.add_argument("--recordings", type=Path, metavar="DIR", help="where attempts are kept (or STAR_SIM_RECORDINGS)")
    p.add_argument("--bank", type=Path, metavar="DIR", help="question bank folder (default: question_bank/)")


def leave(code: int) -> int:
    """After an error or Ctrl-C a worker may still be inside the model's native code (a transcription
    cut short); letting the interpreter tear down under it crashes the process (SIGSEGV/SIGABRT seen).
    Everything the user needs is already on disk, so in that case exit at once with the intended code."""
    if any(t.daemon and t.is_alive() for t in threading.enumerate()):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def run() -> None:
    """The console script and `python -m simulator`."""
    return_freed_memory()
    route_native_chatter()
    code = main()
    sys.exit(leave(code) if code else 0)


M_TRIM_THRESHOLD = -1  # glibc's mallopt parameter
TRIM_THRESHOLD = 1 << 20


def return_freed_memory() -> None:
    """Let glibc hand freed memory back to the system. By default its thresholds grow with the large
    buffers CTranslate2 allocates and frees per decoded piece, so freed memory stays in the process: a
    4-minute interview peaked at 602 MB, 446 MB with a fixed 1 MB trim threshold (scripts/bench, same run)."""
    if os.environ.get("STAR_SIM_MALLOC_DEFAULTS"):  # scripts/bench's baseline
        return
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
        if libc is not None and hasattr(libc, "mallopt"):
            libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    except OSError:  # not glibc (musl, macOS): its own allocator's defaults stand
        log.debug("mallopt is not available")


def route_native_chatter() -> None:
    """Libraries written in C print to file descriptor 2 behind Python's back: ALSA's "underrun occurred"
    in the middle of the recording screen, PortAudio's and CTranslate2's notes. Python's own stderr keeps
    the terminal (a copy of descriptor 2); descriptor 2 itself becomes a pipe whose lines go to the debug
    log (`-v`), so nobody reads them on screen unless they asked to."""
    try:
        terminal = os.dup(2)
        read_end, write_end = os.pipe()
        os.dup2(write_end, 2)
        os.close(write_end)
    except OSError:  # no descriptor 2 to begin with: nothing to route
        return
    sys.stderr = os.fdopen(terminal, "w", buffering=1, encoding=sys.stderr.encoding, errors="backslashreplace")
    native = logging.getLogger("native")

    def forward() -> None:
        with os.fdopen(read_end, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                native.debug("%s", line.rstrip())

    threading.Thread(target=forward, name="native-stderr", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code; it never ends the process (tests call it in-process)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    json_out = getattr(args, "json", False)
    # With --json, stdout carries only the report; everything a person reads goes to stderr.
    console = Console(stderr=json_out, highlight=False)
    try:
        from . import commands

        report = commands.run(args, console)
    except SimulatorError as exc:
        Console(stderr=True, highlight=False).print(f"[bold red]error:[/bold red] {exc}", soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        Console(stderr=True).print("error: interrupted")
        return 130
    if json_out and report is not None:
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return 0
