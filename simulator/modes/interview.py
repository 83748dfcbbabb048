"""One mock interview: ask, record, transcribe, analyze, probe, record the reply, report, keep.

Everything is passed in (speaker, microphones, transcriber, analyzer, store, console), so tests run the
whole loop with fakes, and the CLI with the real engines. Models load in the background while the
question is spoken; the answer is on disk while it is recorded; a Ctrl-C keeps what was recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console

from ..analysis.story import compare_telling
from ..archive.store import Attempt, Store
from ..render import clock, timeline_table
from ..speech.protocols import Microphone, Speaker, Transcriber
from ..speech.record import EndPolicy, Recording
from ..speech.stream import StreamingTranscriber
from ..types import Question, Story, Transcript
from .turn import LIVE_GUESS_EVERY_S, Background, Turn, kept_on_failure, live_guess


@dataclass
class Interview:
    question: Question
    speaker: Speaker
    transcriber: Transcriber
    analyzer: Background
    store: Store
    console: Console
    answer_mic: Callable[[], Microphone]
    followup_mic: Callable[[], Microphone]
    level: str | None = None
    policy: EndPolicy = field(default_factory=EndPolicy)
    model_loading: threading.Thread | None = None
    live_ui: bool = True
    stream_factory: Callable[[Transcriber], StreamingTranscriber] = StreamingTranscriber
    answer_ended_at: dict[str, float] = field(default_factory=dict)
    turn_latency_s: float | None = None
    extra_meta: dict = field(default_factory=dict)  # e.g. which round this interview belongs to
    story: Story | None = None  # the candidate's written story this answer tells (interview --story)

    def run(self) -> dict:
        meta = {"mode": "interview", "question_id": self.question.id, "question_text": self.question.text,
                "level": self.level, "story": self.story.id if self.story else None, **self.extra_meta}
        attempt = self.store.new_attempt(meta)
        self.console.print(f"[dim]Attempt {attempt.id} in {attempt.folder}[/dim]")
        with kept_on_failure(attempt):
            return self._run(attempt)

    def _run(self, attempt: Attempt) -> dict:
        self.console.rule("[bold]Question")
        self.speaker.say(self.question.text, save_to=attempt.file("question.wav"))
        answer, answer_text = self._record_and_transcribe(attempt, "answer", self.answer_mic)
        analyzer = self._wait("Loading the analysis", self.analyzer)
        report = analyzer.analyze(answer_text, self.question, self.level)
        if self.story:
            report["story"] = compare_telling(self.story, report["transcript"])
        attempt.update_meta(status="answered", answer_s=round(answer.duration_s, 2))

        probe = report["probe"]
        self.console.print(timeline_table(report, "Your answer's sections against their targets"))
        self.console.rule("[bold]Follow-up")
        attempt.update_meta(probe_id=probe["id"], probe_text=probe["text"])
        probe_started = []
        self.speaker.say(probe["text"], save_to=attempt.file("probe.wav"),
                         on_start=lambda: probe_started.append(time.monotonic()))
        # Turn latency: from the end of the answer to the first sound (or line) of the probe.
        self.turn_latency_s = probe_started[0] - self.answer_ended_at["answer"] if probe_started else None
        reply, reply_text = self._record_and_transcribe(attempt, "followup", self.followup_mic)
        report["followup"] = analyzer.analyze_followup(reply_text, report, self.question)
        latency = None if self.turn_latency_s is None else round(self.turn_latency_s, 3)
        report["attempt"] = attempt.record(answer_ended_by=answer.ended_by, followup_ended_by=reply.ended_by,
                                           turn_latency_s=latency)
        attempt.write("report.json", report)
        attempt.update_meta(status="complete", score=report["score"]["overall"],
                            followup_score=report["followup"]["score"]["overall"])
        return report

    def _record_and_transcribe(self, attempt: Attempt, name: str,
                               make_mic: Callable[[], Microphone]) -> tuple[Recording, Transcript]:
        turn = Turn(self.transcriber, self.console, self.policy, self.live_ui, self.stream_factory, self.model_loading)
        guess: dict[str, Any] = {"at": 0.0, "text": ""}
        targets = self.question.targets_for(self.level)

        def status_line(seconds: float, quiet: float, stream: StreamingTranscriber) -> str:
            if seconds - guess["at"] >= LIVE_GUESS_EVERY_S and self.analyzer.ready:
                guess["at"] = seconds
                guess["text"] = live_guess(self.analyzer.get().segmenter, stream.live_words(), seconds, targets)
            return f"● REC {clock(seconds)}  (quiet {quiet:.1f} s)  {guess['text']}"

        rec, transcript, self.answer_ended_at[name] = turn.record(attempt, name, make_mic(), status_line)
        return rec, transcript

    def _wait(self, what: str, background: Background):
        if not background.ready:
            with self.console.status(f"{what}..."):
                return background.get()
        return background.get()

