"""One mock interview: ask, record, transcribe, analyze, probe, record the reply, report, keep.

Everything is passed in (speaker, microphones, transcriber, analyzer, store, console), so tests run the
whole loop with fakes, and the CLI with the real engines. Models load in the background while the
question is spoken; the answer is on disk while it is recorded; a Ctrl-C keeps what was recorded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console
from rich.live import Live
from rich.text import Text

from ..errors import NoSpeechError, SimulatorError
from ..record import EndPolicy, EnterKey, Microphone, Recording, record
from ..render import clock, timeline_table
from ..speak import Speaker
from ..store import Attempt, Store
from ..transcribe import Transcriber
from ..types import Question, Transcript
from .analyze import transcribe_with_progress


class Interrupted(SimulatorError):
    exit_code = 130


@dataclass
class Background:
    """A value built on a thread (the analyzer with spaCy) while the question is spoken."""

    build: Callable[[], object]
    _value: object = None
    _error: BaseException | None = None
    _thread: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> Background:
        def run():
            try:
                self._value = self.build()
            except BaseException as exc:
                self._error = exc

        self._thread = threading.Thread(target=run, daemon=True, name="background-load")
        self._thread.start()
        return self

    @property
    def ready(self) -> bool:
        return self._thread is not None and not self._thread.is_alive()

    def get(self):
        if self._thread is None:
            self.start()
        self._thread.join()
        if self._error:
            raise self._error
        return self._value


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

    def run(self) -> dict:
        attempt = self.store.new_attempt({"mode": "interview", "question_id": self.question.id, "level": self.level})
        self.console.print(f"[dim]Attempt {attempt.id} in {attempt.folder}[/dim]")
        try:
            return self._run(attempt)
        except KeyboardInterrupt:
            attempt.update_meta(status="interrupted")
            raise Interrupted(f"stopped; everything recorded so far is kept in {attempt.folder}") from None
        except SimulatorError:
            attempt.update_meta(status="failed")
            raise

    def _run(self, attempt: Attempt) -> dict:
        self.console.rule("[bold]Question")
        self.speaker.say(self.question.text, save_to=attempt.file("question.wav"))
        answer = self._record(attempt, "answer", self.answer_mic)
        answer_text = self._transcribe(attempt, "answer", answer)
        analyzer = self._wait("Loading the analysis", self.analyzer)
        report = analyzer.analyze(answer_text, self.question, self.level)
        attempt.update_meta(status="answered", answer_s=round(answer.duration_s, 2))

        probe = report["probe"]
        self.console.print(timeline_table(report, "Your answer's sections against their targets"))
        self.console.rule("[bold]Follow-up")
        self.speaker.say(probe["text"], save_to=attempt.file("probe.wav"))
        reply = self._record(attempt, "followup", self.followup_mic)
        reply_text = self._transcribe(attempt, "followup", reply)
        report["followup"] = analyzer.analyze_followup(reply_text, report, self.question)
        report["attempt"] = {"id": attempt.id, "folder": str(attempt.folder),
                             "answer_ended_by": answer.ended_by, "followup_ended_by": reply.ended_by}
        attempt.write("report.json", report)
        attempt.update_meta(status="complete", score=report["score"]["overall"],
                            followup_score=report["followup"]["score"]["overall"])
        return report

    def _record(self, attempt: Attempt, name: str, make_mic: Callable[[], Microphone]) -> Recording:
        mic = make_mic()
        keys = (f"[bold]Speak now.[/bold] Enter: finish · {self.policy.silence_s:.0f} s of silence: finish · "
                f"cap {clock(self.policy.max_s)} · Ctrl-C: stop (what you said is kept)")
        self.console.print(keys)
        status = Text()

        def tick(seconds: float, quiet: float) -> None:
            status.plain = f"● REC {clock(seconds)}  (quiet {quiet:.1f} s)"

        with EnterKey() as enter:
            if self.live_ui and self.console.is_terminal:
                with Live(status, console=self.console, refresh_per_second=4, transient=True):
                    rec = record(mic, attempt.file(f"{name}.wav"), self.policy, enter.pressed, tick)
            else:
                rec = record(mic, attempt.file(f"{name}.wav"), self.policy, enter.pressed, tick)
        self.console.print(f"[dim]{name}: {clock(rec.duration_s)} recorded, ended by {rec.ended_by}[/dim]")
        if rec.ended_by == "interrupted":
            raise KeyboardInterrupt
        if rec.ended_by == "device lost":
            attempt.update_meta(status="interrupted", note=f"the input device went away during the {name}")
            raise SimulatorError(f"the microphone went away during the {name}; the {clock(rec.duration_s)} "
                                 f"recorded so far is kept in {rec.path}")
        return rec

    def _transcribe(self, attempt: Attempt, name: str, rec: Recording) -> Transcript:
        if self.model_loading is not None and self.model_loading.is_alive():
            with self.console.status("Loading the speech model..."):
                self.model_loading.join()
        transcript = transcribe_with_progress(self.transcriber, rec.audio, f"the {name}", self.console)
        attempt.write(f"{name}.transcript.json", transcript.to_json())
        if not transcript.words:
            raise NoSpeechError(f"no speech heard in the {name}: check the microphone; the recording is in {rec.path}")
        return transcript

    def _wait(self, what: str, background: Background):
        if not background.ready:
            with self.console.status(f"{what}..."):
                return background.get()
        return background.get()

