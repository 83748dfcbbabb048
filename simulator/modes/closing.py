"""The end of the interview: "do you have any questions for me?", the reply recorded like any turn, and
judged by the delivery rules (analysis/closing.py). Kept as its own attempt (mode `closing`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console

from ..analysis.closing import judge_closing
from ..analysis.report import SCHEMA
from ..archive.store import Store
from ..errors import NoSpeechError
from ..render import clock, render_closing
from ..speech.protocols import Microphone, Speaker
from ..speech.stream import StreamingTranscriber
from .turn import Turn, kept_on_failure

CLOSING_QUESTION = "That is everything from my side. Before we finish, is there anything you would like to ask me?"


@dataclass
class Closing:
    speaker: Speaker
    turn: Turn
    store: Store
    console: Console
    mic: Callable[[], Microphone]
    extra_meta: dict

    def run(self) -> dict:
        attempt = self.store.new_attempt({"mode": "closing", "question_id": "closing",
                                          "question_text": CLOSING_QUESTION, **self.extra_meta})
        with kept_on_failure(attempt):
            self.console.rule("[bold]Your questions")
            self.speaker.say(CLOSING_QUESTION, save_to=attempt.file("question.wav"))

            def status_line(seconds: float, quiet: float, _stream: StreamingTranscriber) -> str:
                return f"● REC {clock(seconds)}  (quiet {quiet:.1f} s)"

            unheard: list = []
            try:
                _rec, transcript, _ = self.turn.record(attempt, "closing", self.mic(), status_line)
                text = transcript.text
            except NoSpeechError:
                # Saying nothing is an answer here ("no questions"), unless there was voice the model could
                # not read: then the verdict says it may have missed what was asked.
                saved = attempt.read("closing.transcript.json") or {}
                unheard, text = saved.get("unheard_speech", []), ""
            judged = judge_closing(text)
            if unheard:
                judged.update(verdict="not heard", advice="Possibly missed speech at " + ", ".join(
                    f"{clock(a)} to {clock(b)}" for a, b in unheard) + ": listen to closing.wav.")
            report = {"schema": SCHEMA, "mode": "closing", "question": {"id": "closing", "text": CLOSING_QUESTION},
                      "closing": judged, "unheard_speech": unheard, "attempt": attempt.record()}
            attempt.write("report.json", report)
            attempt.update_meta(status="complete")
        render_closing(judged, self.console)
        return report
