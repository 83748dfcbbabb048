"""Build the real engines from parsed options and run the chosen mode."""

from __future__ import annotations

import random

from rich.console import Console

from .analysis import Analyzer, build_segmenter, load_spacy
from .bank import load_bank, pick_question
from .errors import BankError
from .render import render_report


def run(args, console: Console) -> dict | None:
    if args.command == "bank":
        from .modes.bank_cmd import run_bank

        return run_bank(args, console)
    if args.command == "analyze":
        return run_analyze(args, console)
    if args.command == "interview":
        return run_interview(args, console)
    raise AssertionError(args.command)


def make_analyzer(bank) -> Analyzer:
    return Analyzer(bank, build_segmenter(bank, load_spacy()))


def run_analyze(args, console: Console) -> dict:
    from .modes.analyze import transcript_of

    bank = load_bank(args.bank)
    question = None
    if args.question:
        question = pick_question(bank, question_id=args.question)
    if args.probe and not args.followup:
        raise BankError("--probe goes with --followup FILE")
    answer, transcriber = transcript_of(args.answer, args.model, console)
    followup = None
    if args.followup:
        followup, transcriber = transcript_of(args.followup, args.model, console, transcriber)
    with console.status("Analyzing..."):
        analyzer = make_analyzer(bank)
        report = analyzer.analyze(answer, question, args.level, followup, args.probe)
    if not args.json:
        render_report(report, console)
    return report


def run_interview(args, console: Console) -> dict:
    from .modes.interview import Background, Interview
    from .record import EndPolicy, FileMicrophone, SoundDeviceMicrophone
    from .speak import PrintingSpeaker, Pyttsx3Speaker
    from .store import Store
    from .transcribe import WhisperTranscriber

    bank = load_bank(args.bank)
    rng = random.Random(args.seed) if args.seed is not None else None
    question = pick_question(bank, args.question, args.tag, args.level, rng)
    store = Store(args.recordings)
    store.check_writable()
    show = lambda text: console.print(f"[bold cyan]Interviewer:[/bold cyan] {text}")  # noqa: E731
    speaker = PrintingSpeaker(show) if args.no_speak else Pyttsx3Speaker(show=show)
    if not args.no_speak:
        speaker.check()
    # Decode the stand-in files now: an unreadable file fails before anything is asked.
    answer_file = FileMicrophone(args.answer_audio, fast=args.fast) if args.answer_audio else None
    followup_file = FileMicrophone(args.followup_audio, fast=args.fast) if args.followup_audio else None

    def mic(stand_in):
        def make():
            if stand_in is not None:
                return stand_in
            device = SoundDeviceMicrophone()
            device.open()
            return device

        return make

    if answer_file is None or followup_file is None:
        SoundDeviceMicrophone().open_check()
    transcriber = WhisperTranscriber(args.model)
    loading = transcriber.preload_in_background()
    analyzer = Background(lambda: make_analyzer(bank)).start()
    interview = Interview(
        question=question, speaker=speaker, transcriber=transcriber, analyzer=analyzer, store=store,
        console=console, answer_mic=mic(answer_file), followup_mic=mic(followup_file), level=args.level,
        policy=EndPolicy(silence_s=args.silence, max_s=args.max_seconds), model_loading=loading,
    )
    report = interview.run()
    if not args.json:
        render_report(report, console)
    return report
