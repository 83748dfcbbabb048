"""Errors the user can act on.

Every adapter turns its library's failure (ImportError, OSError, PortAudioError, RuntimeError) into one
of these, whose message is a single line saying what to do. The CLI prints that line and exits non-zero;
nothing else reaches the user as a traceback.
"""

from __future__ import annotations


class SimulatorError(Exception):
    """A problem with a one-line explanation for the user."""

    exit_code = 2


class SetupError(SimulatorError):
    """Something is not installed or not configured (espeak-ng, PortAudio, a model)."""

    exit_code = 3


class DeviceError(SimulatorError):
    """The microphone or speaker could not be opened, or went away."""

    exit_code = 4


class AudioFileError(SimulatorError):
    """An answer file could not be read or decoded."""

    exit_code = 5


class BankError(SimulatorError):
    """The question bank is invalid; the message lists `file:line: problem` lines."""

    exit_code = 6


class NoSpeechError(SimulatorError):
    """The recording holds no speech, so there is nothing to analyze."""

    exit_code = 7


class StorageError(SimulatorError):
    """The recordings folder cannot be written, or an attempt id is not valid."""

    exit_code = 8
