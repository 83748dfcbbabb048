"""One mock interview: ask, record, transcribe, analyze, probe, record the reply, report, keep.

Everything is passed in (speaker, microphones, transcriber, analyzer, store, console), so tests run the
whole loop with fakes, and the CLI with the real engines. Models load in the background while the
question is spoken; the answer is on disk while it is recorded; a Ctrl-C keeps what was recorded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.live import Live
from rich.text import Text

from ..analysis.timing import no_speech_message
from ..archive.store import Attempt, Store
from ..errors import NoSpeechError, SimulatorError
from ..render import clock, timeline_table
from ..speech.record import EndPolicy, EnterKey, Microphone, Recording, record
from ..speech.speak import Speaker
from ..speech.stream import StreamingTranscriber
from ..speech.transcribe import Transcriber
from ..types import Question, Transcript

LIVE_GUESS_EVERY_S = 3.0


def current_section(segmenter, words, now_s: float, expected_s: float) -> tuple[str, float, float] | None:
    """The section the candidate seems to be in, when it began, and the end of the last word heard in it,
    from the words so far. The answer is taken to be heading for `expected_s` (the sum of the section
    targets) until it runs longer. Words arrive a few seconds behind the voice, so what a section has run
    for certain is up to its last heard word, not up to now."""
    segments = segmenter.segment(words, span_s=max(now_s, expected_s))[2] if words else []
    if not segments:
        return None
    last = segments[-1]
    return last.name, last.start_s, last.sentences[-1].end_s


def live_guess(segmenter, words, now_s: float, targets: dict[str, float]) -> str:
    """Which section the candidate seems to be in, and its time against its target, from the words so far."""
    current = current_section(segmenter, words, now_s, sum(targets.values()))
    if current is None:
        return ""
    name, start_s, _ = current
    return f"· now: {name} {clock(now_s - start_s)} / {clock(targets[name])}"


Status = Callable[[float, float, StreamingTranscriber], str]  # (seconds, quiet seconds, stream) -> status line


@dataclass
class Turn:
    """How one spoken turn is recorded: source, end policy, the transcriber streaming alongside, the screen."""

    transcriber: Transcriber
    console: Console
    policy: EndPolicy = field(default_factory=EndPolicy)
    live_ui: bool = True
    stream_factory: Callable[[Transcriber], StreamingTranscriber] = StreamingTranscriber
    model_loading: threading.Thread | None = None

    def record(self, attempt: Attempt, name: str, mic: Microphone, status_line: Status) -> tuple[Recording, Transcript, float]:
        """Record with the transcription running alongside; afterwards only the tail is left to do.
        Returns the recording, its transcript, and the monotonic time the turn ended."""
        stream = self.stream_factory(self.transcriber)
        keys = (f"[bold]Speak now.[/bold] Enter: finish · {self.policy.silence_s:.0f} s of silence: finish · "
                f"cap {clock(self.policy.max_s)} · Ctrl-C: stop (what you said is kept)")
        self.console.print(keys)
        status = Text()

        def tick(seconds: float, quiet: float) -> None:
            status.plain = status_line(seconds, quiet, stream)

        with EnterKey() as enter:
            args = (mic, attempt.file(f"{name}.wav"), self.policy, enter.pressed, tick, stream.insert)
            if self.live_ui and self.console.is_terminal:
                with Live(status, console=self.console, refresh_per_second=4, transient=True):
                    rec = record(*args)
            else:
                rec = record(*args)
        ended_at = time.monotonic()
        self.console.print(f"[dim]{name}: {clock(rec.duration_s)} recorded, ended by {rec.ended_by}[/dim]")
        if rec.ended_by in ("interrupted", "device lost"):
            # Keep what was transcribed so far next to the audio, then stop.
            attempt.write(f"{name}.transcript.json", Transcript(stream.words(), rec.duration_s).to_json())
            if rec.ended_by == "interrupted":
                raise KeyboardInterrupt
            attempt.update_meta(status="interrupted", note=f"the input device went away during the {name}")
            raise SimulatorError(f"the microphone went away during the {name}; the {clock(rec.duration_s)} "
                                 f"recorded so far is kept in {rec.path}")
        loading = self.model_loading is not None and self.model_loading.is_alive()
        with self.console.status("Loading the speech model..." if loading else f"Transcribing the end of the {name}..."):
            transcript = stream.finish()
        attempt.write(f"{name}.transcript.json", transcript.to_json())
        if not transcript.words:
            raise NoSpeechError(no_speech_message(name, transcript.unheard_speech, f"; the recording is in {rec.path}"))
        return rec, transcript, ended_at


class Interrupted(SimulatorError):
    exit_code = 130


@contextmanager
def kept_on_failure(attempt: Attempt):
    """Ctrl-C or an error: the attempt's status says so, and Ctrl-C's message says where its files are."""
    try:
        yield
    except KeyboardInterrupt:
        attempt.update_meta(status="interrupted")
        raise Interrupted(f"stopped; everything recorded so far is kept in {attempt.folder}") from None
    except SimulatorError:
        attempt.mark_failed()
        raise


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
    stream_factory: Callable[[Transcriber], StreamingTranscriber] = StreamingTranscriber
    answer_ended_at: dict[str, float] = field(default_factory=dict)
    turn_latency_s: float | None = None
    extra_meta: dict = field(default_factory=dict)  # e.g. which round this interview belongs to

    def run(self) -> dict:
        meta = {"mode": "interview", "question_id": self.question.id, "question_text": self.question.text,
                "level": self.level, **self.extra_meta}
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
        report["attempt"] = {"id": attempt.id, "folder": str(attempt.folder),
                             "answer_ended_by": answer.ended_by, "followup_ended_by": reply.ended_by,
                             "turn_latency_s": None if self.turn_latency_s is None else round(self.turn_latency_s, 3)}
        attempt.write("report.json", report)
        attempt.update_meta(status="complete", score=report["score"]["overall"],
                            followup_score=report["followup"]["score"]["overall"])
        return report

    def _record_and_transcribe(self, attempt: Attempt, name: str,
                               make_mic: Callable[[], Microphone]) -> tuple[Recording, Transcript]:
        turn = Turn(self.transcriber, self.console, self.policy, self.live_ui, self.stream_factory, self.model_loading)
        guess = {"at": 0.0, "text": ""}
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

