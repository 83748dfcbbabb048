"""The spoken turn every mode records the same way: the question or probe is spoken, the answer is
recorded to disk while a streaming transcriber follows it, and Ctrl-C or an error keeps what was recorded.

Shared by interview, drill and probe practice (and rescore, for a whole file), so that no mode imports
another one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.live import Live
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from ..analysis.timing import no_speech_message
from ..archive.store import Attempt
from ..errors import NoSpeechError, SimulatorError
from ..render import clock
from ..speech.audio import SAMPLE_RATE
from ..speech.protocols import Microphone, Transcriber
from ..speech.record import EndPolicy, EnterKey, Recording, record
from ..speech.stream import StreamingTranscriber
from ..types import Segment, Transcript

LIVE_GUESS_EVERY_S = 3.0


def current_section(segmenter, words, now_s: float, expected_s: float) -> tuple[str, float, float] | None:
    """The section the candidate seems to be in, when it began, and the end of the last word heard in it,
    from the words so far. The answer is taken to be heading for `expected_s` (the sum of the section
    targets) until it runs longer. Words arrive a few seconds behind the voice, so what a section has run
    for certain is up to its last heard word, not up to now.

    A section told in two runs (the story stepped back to it, or a headline came first) counts both, as the
    report does: the start given is moved back by the time of its earlier runs."""
    segments = segmenter.segment(words, span_s=max(now_s, expected_s))[2] if words else []
    if not segments:
        return None
    last = segments[-1]
    earlier_s = sum(s.duration_s for s in segments[:-1] if s.name == last.name)
    return last.name, _own_start(segmenter, last) - earlier_s, last.sentences[-1].end_s


def _own_start(segmenter, section: Segment) -> float:
    """Where the section's own words begin: its first sentence whose words, wherever it stood, say this section.
    The ordered labelling carries a sentence into the section that follows it when the order fits better (a
    result-first opening read as the Situation it leads into), and a cue timed from there fired early (dev
    u105-u164 at 80 wpm, replayed: 5 of 8 wrong cues, none of the 37 right ones). A section no sentence of
    which says so on its own words is taken to have only just begun. Its scores are computed again here, for
    the last section's few sentences only, to keep segment()'s interface (their parses are kept from segment(): no
    second spaCy pass)."""
    own = segmenter.content_scores([s.text for s in section.sentences])
    for sentence, scores in zip(section.sentences, own, strict=True):
        if scores[section.name] >= max(scores.values()):
            return sentence.start_s
    return section.sentences[-1].end_s


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

    def record(
        self, attempt: Attempt, name: str, mic: Microphone, status_line: Status
    ) -> tuple[Recording, Transcript, float]:
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
        waiting = "Loading the speech model..." if loading else f"Transcribing the end of the {name}..."
        with self.console.status(waiting):
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
        thread = self._thread or self.start()._thread
        assert thread is not None
        thread.join()
        if self._error:
            raise self._error
        return self._value


LONG_AUDIO_S = 30.0


def transcribe_with_progress(transcriber, audio, name: str, console: Console) -> Transcript:
    """A spinner for short audio, a progress bar with time left for long audio."""
    from ..speech.stream import transcribe_recording

    seconds = audio.size / SAMPLE_RATE
    if seconds <= LONG_AUDIO_S:
        with console.status(f"Transcribing {name}..."):
            return transcribe_recording(transcriber, audio)
    columns = (TextColumn(f"Transcribing {name}"), BarColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(name, total=seconds)
        return transcribe_recording(transcriber, audio, progress=lambda done, total: bar.update(task, completed=done))
