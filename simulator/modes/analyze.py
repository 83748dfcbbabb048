"""Turn an ANSWER argument into a transcript: audio is transcribed, text and JSON are read."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from ..analysis.transcripts import is_text_transcript, load_transcript_file
from ..speech.audio import SAMPLE_RATE, load_audio
from ..types import Transcript

LONG_AUDIO_S = 30.0


def transcript_of(path: Path, model: str | None, console: Console, transcriber=None) -> tuple[Transcript, object]:
    if is_text_transcript(path):
        return load_transcript_file(path), transcriber
    audio = load_audio(path)
    if transcriber is None:
        from ..speech.transcribe import WhisperTranscriber

        transcriber = WhisperTranscriber(model)
        with console.status("Loading the speech model..."):
            transcriber.load()
    return transcribe_with_progress(transcriber, audio, path.name, console), transcriber


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
