"""Modes compose the stages: interview, analyze, bank."""
