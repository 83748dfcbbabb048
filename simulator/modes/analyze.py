"""Turn an ANSWER argument into a transcript: audio is transcribed, text and JSON are read."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from ..analysis.transcripts import is_text_transcript, load_transcript_file
from ..speech.audio import load_audio
from ..types import Transcript
from .turn import transcribe_with_progress


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
