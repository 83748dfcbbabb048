"""The interviewer's voice.

pyttsx3 drives espeak-ng on Linux and can write speech to a file. Its own playback shells out to `aplay`,
which may not exist and bypasses our audio stack, so the speaker synthesizes each line to a WAV in the
attempt (kept for replay) and plays that file through sounddevice, the same PortAudio path the microphone
uses. With no output device the line is shown instead of spoken, and the file is still saved.
"""

from __future__ import annotations

import contextlib
import io
import logging
import subprocess
import threading
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from ..errors import SetupError

log = logging.getLogger(__name__)


class PrintingSpeaker:
    """`--no-speak`: shows what the interviewer would say, and says nothing."""

    def __init__(self, show=print):
        self.show = show

    def say(self, text: str, save_to: Path | None = None, on_start: Callable[[], None] | None = None) -> float:
        if on_start:
            on_start()
        self.show(text)
        return 0.0


class Pyttsx3Speaker:
    def __init__(self, rate: int = 165, play: bool = True, show=print):
        self.rate = rate
        self.play = play
        self.show = show
        self._engine = None
        self._lock = threading.Lock()
        self._warned = False

    def _init_engine(self):
        if self._engine is None:
            try:
                import pyttsx3

                engine = pyttsx3.init()
                engine.setProperty("rate", self.rate)
            except (ImportError, OSError, RuntimeError) as exc:
                raise SetupError(
                    f"text-to-speech is unavailable ({exc.__class__.__name__}): install espeak-ng "
                    "(apt-get install espeak-ng) or run with --no-speak"
                ) from None
            self._engine = engine
        return self._engine

    def check(self) -> None:
        """Fail early, before anything is recorded, if espeak-ng cannot be driven."""
        with self._lock:
            self._init_engine()

    def synthesize(self, text: str, path: Path, timeout_s: float = 30.0) -> None:
        if not self._synthesize_with_pyttsx3(text, path, timeout_s):
            # pyttsx3's espeak driver now and then delivers nothing for a later utterance (seen once in a
            # full test run, after the question had been spoken fine); the same espeak-ng voice from its
            # command line is the second try, so one driver hiccup does not end an interview.
            log.info("pyttsx3 gave no audio; trying the espeak-ng command line")
            if not synthesize_with_espeak_cli(text, path, self.rate, timeout_s):
                raise SetupError("espeak-ng produced no audio: reinstall espeak-ng or run with --no-speak")
        path.chmod(0o600)

    def _synthesize_with_pyttsx3(self, text: str, path: Path, timeout_s: float) -> bool:
        finished = threading.Event()
        with self._lock:
            engine = self._init_engine()
            token = engine.connect("finished-utterance", lambda name=None, completed=True: finished.set())
            try:
                # pyttsx3's espeak driver prints "Audio saved to ..." on stdout, which would corrupt --json.
                with contextlib.redirect_stdout(io.StringIO()):
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                    # runAndWait can return before espeak's thread has delivered the end of the message
                    # (seen under load); the driver writes the file just before "finished-utterance".
                    finished.wait(timeout_s)
            finally:
                engine.disconnect(token)
        return finished.is_set() and has_audio(path)

    def say(self, text: str, save_to: Path | None = None, on_start: Callable[[], None] | None = None) -> float:
        import tempfile

        target = save_to
        tmp = None
        if target is None:
            tmp = tempfile.NamedTemporaryFile(suffix=".wav", delete=False)
            target = Path(tmp.name)
            tmp.close()
        try:
            self.synthesize(text, target)
            audio, rate = read_wav(target)
            if on_start:
                on_start()
            self.show(text)  # shown as it is spoken, so the candidate can read along
            if self.play:
                self._play(audio, rate)
            return audio.size / rate
        finally:
            if tmp is not None:
                Path(tmp.name).unlink(missing_ok=True)

    def _play(self, audio: np.ndarray, rate: int) -> bool:
        try:
            import sounddevice as sd

            sd.play(audio, rate, blocking=True)
            return True
        except Exception as exc:  # PortAudioError, or OSError when PortAudio itself is missing
            if not self._warned:
                log.warning("no audio output (%s); showing the interviewer's words instead", exc.__class__.__name__)
                self._warned = True
            return False


def has_audio(path: Path) -> bool:
    return path.is_file() and path.stat().st_size > 44  # more than a bare WAV header


def synthesize_with_espeak_cli(text: str, path: Path, rate: int, timeout_s: float) -> bool:
    try:
        subprocess.run(["espeak-ng", "-s", str(rate), "-w", str(path), text], capture_output=True,
                       timeout=timeout_s, check=True)
    except (OSError, subprocess.SubprocessError):
        return False
    return has_audio(path)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path), "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        data = w.readframes(w.getnframes())
    if width != 2:
        raise SetupError(f"unexpected sample width {width} in {path}")
    audio = np.frombuffer(data, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        audio = audio.reshape(-1, channels).mean(axis=1)
    return audio, rate
