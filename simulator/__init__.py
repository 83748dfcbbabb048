"""A local, voice-driven mock interview simulator for behavioral (STAR) interviews."""

__version__ = "0.1.0"
