"""Build the real engines from parsed options and run the chosen mode."""

from __future__ import annotations

import random
from functools import partial
from typing import TYPE_CHECKING

from rich.console import Console

from .bank import load_bank, pick_question
from .errors import BankError, StorageError

if TYPE_CHECKING:
    from .analysis.report import Analyzer


def run(args, console: Console) -> dict | list | None:
    if args.command == "bank":
        from .modes.bank_cmd import run_bank

        return run_bank(args, console)
    if args.command == "analyze":
        return run_analyze(args, console)
    runners = {"interview": run_interview, "drill": run_drill, "probe": run_probe, "learn": run_learn,
               "quiz": run_quiz, "story": run_story, "review": run_review, "export": run_export,
               "delete": run_delete}
    return runners[args.command](args, console)


def make_analyzer(bank) -> Analyzer:
    # Imported here, not at the top: the analysis compiles its large patterns on import (about 0.13 s), and
    # an interview builds its analyzer on a thread while the question is spoken, so that cost leaves the
    # time to the first question.
    from .analysis.report import Analyzer, build_segmenter, load_spacy

    return Analyzer(bank, build_segmenter(bank, load_spacy()))


def render_report(report: dict, console: Console) -> None:
    from .render import render_report as render

    render(report, console)


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


def make_store(args, console: Console):
    """The recordings folder with its index listening, so every change is listed at once."""
    from .archive.index import Index
    from .archive.store import Store

    store = Store(getattr(args, "recordings", None))
    index = Index(store, warn=lambda message: console.print(f"[yellow]warning:[/yellow] {message}"))
    store.on_change = index.listen
    return store, index


def make_speaker(args, console: Console):
    from .speech.speak import PrintingSpeaker, Pyttsx3Speaker

    show = lambda text: console.print(f"[bold cyan]Interviewer:[/bold cyan] {text}")  # noqa: E731
    if getattr(args, "no_speak", False):
        return PrintingSpeaker(show)
    speaker = Pyttsx3Speaker(show=show)
    speaker.check()
    return speaker


def stand_in(path, fast: bool):
    """A file standing in for the microphone, decoded now: an unreadable file fails before anything is asked."""
    from .speech.record import FileMicrophone

    return FileMicrophone(path, fast=fast) if path else None


def microphone(stand_in_mic):
    from .speech.record import SoundDeviceMicrophone

    def make():
        if stand_in_mic is not None:
            return stand_in_mic
        device = SoundDeviceMicrophone()
        device.open()
        return device

    return make


def engines(args, bank, console: Console, need_mic: bool, drafts: bool = False):
    """Transcriber loading in the background, the analyzer building in the background, the turn recorder
    (whose stream also drafts the words not yet cut into a piece, for a live guess, when `drafts`)."""
    from .modes.turn import Background, Turn
    from .speech.record import EndPolicy, SoundDeviceMicrophone
    from .speech.stream import StreamingTranscriber
    from .speech.transcribe import WhisperTranscriber

    if need_mic:
        SoundDeviceMicrophone().open_check()
    transcriber = WhisperTranscriber(args.model)
    loading = transcriber.preload_in_background()
    analyzer = Background(lambda: make_analyzer(bank)).start()
    policy = EndPolicy(silence_s=args.silence, max_s=args.max_seconds)
    stream_factory = partial(StreamingTranscriber, drafts=True) if drafts else StreamingTranscriber
    return transcriber, loading, analyzer, Turn(transcriber, console, policy, stream_factory=stream_factory,
                                                model_loading=loading)


def nth(files, i: int):
    """The i-th stand-in file of a round; the last one repeats."""
    return files[min(i, len(files) - 1)] if files else None


def run_interview(args, console: Console) -> dict:
    from .modes.interview import Interview
    from .modes.round import render_round, round_summary

    if args.round < 1:
        raise BankError("--round takes a number of questions, 1 or more")
    bank = load_bank(args.bank)
    rng = random.Random(args.seed) if args.seed is not None else random.Random()
    story = told_story(args, bank)
    questions = pick_questions(bank, args, rng)
    store, _ = make_store(args, console)
    store.check_writable()
    speaker = make_speaker(args, console)
    answers = [stand_in(p, args.fast) for p in (args.answer_audio or [])]
    replies = [stand_in(p, args.fast) for p in (args.followup_audio or [])]
    closing_mic = stand_in(args.closing_audio, args.fast)
    # The closing question ends a round or --closing; scripted answers without a closing file skip it.
    ask_closing = (args.closing or args.round > 1) and (closing_mic is not None or not answers)
    live = not (answers and replies) or (ask_closing and closing_mic is None)
    transcriber, loading, analyzer, turn = engines(args, bank, console, need_mic=live)
    round_id = f"round-{rng.randrange(16**6):06x}" if args.round > 1 else None
    reports = []
    for i, question in enumerate(questions):
        if round_id:
            console.rule(f"[bold]Question {i + 1} of {len(questions)}")
        interview = Interview(
            question=question, speaker=speaker, transcriber=transcriber, analyzer=analyzer, store=store,
            console=console, answer_mic=microphone(nth(answers, i)), followup_mic=microphone(nth(replies, i)),
            level=args.level, policy=turn.policy, model_loading=loading,
            extra_meta={"round": {"id": round_id, "index": i + 1, "of": len(questions)}} if round_id else {},
            story=story if i == 0 else None,
        )
        report = interview.run()
        if not args.json:
            render_report(report, console)
        reports.append(report)
    closing = None
    if ask_closing:
        from .modes.closing import Closing

        meta = {"round": {"id": round_id, "index": len(questions) + 1, "of": len(questions)}} if round_id else {}
        closing = Closing(speaker, turn, store, console, microphone(closing_mic), meta).run()["closing"]
    elif args.closing or round_id:
        console.print("[dim]No --closing-audio for the scripted answers: the closing question is skipped.[/dim]")
    if not round_id:
        return {**reports[0], "closing": closing} if closing else reports[0]
    summary = round_summary(reports, bank)
    summary["closing"] = closing
    render_round(summary, console)
    return {"round": round_id, "summary": summary, "reports": reports}


def pick_questions(bank, args, rng) -> list:
    """N different questions (the same tag and level filters); --question fixes the first."""
    first = pick_question(bank, args.question, args.tag, args.level, rng)
    chosen = [first]
    pool = sorted((q for q in bank.questions.values() if q.id != first.id
                   and (args.tag is None or args.tag in q.tags) and (args.level is None or args.level in q.levels)),
                  key=lambda q: q.id)
    rng.shuffle(pool)
    # Prefer other archetypes: the same story told twice in a round is not much of a loop.
    pool.sort(key=lambda q: any(q.archetype == c.archetype for c in chosen))
    for q in pool[: args.round - 1]:
        chosen.append(q)
    if len(chosen) < args.round:
        raise BankError(f"only {len(chosen)} question(s) match; ask for fewer with --round")
    return chosen


def run_drill(args, console: Console) -> dict:
    from .modes.drill import Drill

    bank = load_bank(args.bank)
    rng = random.Random(args.seed) if args.seed is not None else None
    story = told_story(args, bank)
    question = pick_question(bank, args.question, args.tag, args.level, rng)
    store, index = make_store(args, console)
    store.check_writable()
    speaker = make_speaker(args, console)
    answer = stand_in(args.answer_audio, args.fast)
    # The whole-answer drill cues from the live guess: let it see drafts of the words.
    _, _, analyzer, turn = engines(args, bank, console, need_mic=answer is None, drafts=not args.section)
    drill = Drill(question=question, speaker=speaker, turn=turn, analyzer=analyzer, store=store, index=index,
                  console=console, mic=microphone(answer), level=args.level, focus=args.section, tone=args.tone,
                  settle=bool(answer and args.fast), story=story)
    return drill.run()


def run_probe(args, console: Console) -> dict:
    from .modes.practice import ProbePractice, pick_probe

    bank = load_bank(args.bank)
    if args.probe and not args.question:
        raise BankError("--probe goes with --question ID")
    store, index = make_store(args, console)
    rng = random.Random(args.seed) if args.seed is not None else None
    pick = pick_probe(bank, index, store, question_id=args.question, probe_id=args.probe, weakness=args.weakness,
                      from_attempt=args.from_attempt, rng=rng)
    store.check_writable()
    speaker = make_speaker(args, console)
    reply = stand_in(args.reply_audio, args.fast)
    _, _, analyzer, turn = engines(args, bank, console, need_mic=reply is None)
    practice = ProbePractice(pick=pick, speaker=speaker, turn=turn, analyzer=analyzer, store=store,
                             console=console, mic=microphone(reply))
    return practice.run()


def run_learn(args, console: Console) -> dict:
    from .modes.learn import learn
    from .types import SECTION_NAMES

    bank = load_bank(args.bank)
    question = pick_question(bank, question_id=args.id)
    speaker = make_speaker(args, console)
    return learn(question, bank, args.level, speaker, console, (args.section,) if args.section else SECTION_NAMES)


def run_quiz(args, console: Console) -> dict:
    from .analysis import quiz
    from .modes.quiz import Quiz, shuffled_options

    bank = load_bank(args.bank)
    if args.n < 1:
        raise BankError("-n takes a number of items, 1 or more")
    scope = quiz_scope(args, bank)
    rng = random.Random(args.seed) if args.seed is not None else random.Random()
    store, _ = make_store(args, console)
    store.check_writable()
    speaker = None
    if args.speak:
        from .speech.speak import Pyttsx3Speaker

        speaker = Pyttsx3Speaker(show=lambda _text: None)
        speaker.check()
    archetype = bank.questions[args.question].archetype if args.question else args.archetype
    written = [i for i in bank.quiz if quiz.matches(i, archetype, args.principle, args.level)]
    generated = [c for c in quiz.candidates(bank, args.seed)
                 if quiz.matches(c.item, archetype, args.principle, args.level)
                 and (not args.question or c.item.kind != "principle" or c.item.question_id == args.question)]
    if not written and not generated:
        raise BankError("no quiz items match: try another --archetype, --principle or --level")
    with console.status("Choosing items the analysis agrees with..."):
        items = quiz.choose(written, generated, quiz.checker_for(make_analyzer(bank)), args.n, rng)
    if len(items) < args.n:
        console.print(f"[yellow]Only {len(items)} items match; asking those.[/yellow]")
    items = [shuffled_options(item, rng) for item in items]
    return Quiz(items, store, console, scope, speaker).run()


def quiz_scope(args, bank) -> dict:
    """What the quiz is narrowed to, checked against the bank so a typo gets one clear line."""
    if args.question:
        pick_question(bank, question_id=args.question)
    archetypes = sorted({q.archetype for q in bank.questions.values()})
    if args.archetype and args.archetype not in archetypes:
        raise BankError(f"unknown archetype '{args.archetype}': one of {', '.join(archetypes)}")
    if args.principle and args.principle not in bank.lenses:
        raise BankError(f"unknown principle '{args.principle}': one of {', '.join(sorted(bank.lenses))}")
    return {"question": args.question, "archetype": args.archetype, "principle": args.principle, "level": args.level}


def told_story(args, bank):
    """The story `--story ID` names (None without it); with no --question or --tag, the question is then
    one of the story's archetype."""
    if not args.story:
        return None
    from .archive.stories import StoryShelf

    story = StoryShelf(args.stories).read(args.story, bank)
    if not args.question and not args.tag:
        args.tag = story.archetype
    return story


def run_story(args, console: Console) -> dict | list:
    import os
    import sys

    from .analysis.transcripts import transcript_from_text
    from .archive.stories import StoryShelf
    from .modes import story as mode

    bank = load_bank(args.bank)
    shelf = StoryShelf(args.stories)
    if args.story_command == "new":
        editor = os.environ.get("EDITOR") if sys.stdin.isatty() and not args.fields else None
        return story_json(mode.new_story(bank, args.archetype, shelf, console, mode.ask_line(console), editor))
    if args.story_command in ("list", "for"):
        stories, unreadable = shelf.all(bank)
        warn = Console(stderr=True, highlight=False)
        for problem in unreadable:  # the file is left as it is, for the user to mend
            warn.print(f"[bold yellow]skipped:[/bold yellow] {problem}", soft_wrap=True)
        if args.story_command == "list":
            return {**mode.list_stories(stories, bank, told_counts(args), console), "unreadable": unreadable}
        return mode.stories_for(stories, pick_question(bank, question_id=args.question_id), console)
    story = shelf.read(args.id, bank)
    question = min((q for q in bank.questions.values() if q.archetype == story.archetype), key=lambda q: q.id)
    with console.status("Analyzing the written story..."):
        report = make_analyzer(bank).analyze(transcript_from_text(story.text), question)
    return mode.check_story(story, question, report, console)


def story_json(story) -> dict:
    from dataclasses import asdict

    return asdict(story)


def told_counts(args) -> dict[str, int]:
    """How many attempts told each story (interview or drill --story)."""
    from collections import Counter

    from .archive.store import Store

    store = Store(getattr(args, "recordings", None))
    counts: Counter[str] = Counter()
    for attempt_id in store.attempt_ids():
        story = store.open(attempt_id).meta().get("story")
        if story:
            counts[story] += 1
    return dict(counts)


def run_review(args, console: Console) -> dict | list | None:
    from .modes import review

    store, index = make_store(args, console)
    if args.section and not args.play:
        raise BankError("--section goes with --play")
    if args.plot and not args.trend:
        raise BankError("--plot goes with --trend")
    if args.trend:
        return review.trend(index, console, args.question, args.plot)
    if not args.id:
        for flag in ("play", "compare", "rescore"):
            if getattr(args, flag):
                raise BankError(f"--{flag} needs an attempt id: review ID --{flag}")
        rows = index.rows(
            mode=args.mode, question=args.question, status=args.status, since=args.since, limit=args.limit
        )
        if not args.json:
            console.print(review.list_view(rows, console.width))
        return [row.__dict__ for row in rows]
    mode = store.open(args.id).meta().get("mode") if args.rescore or args.play else None
    if mode == "quiz":
        action = "rescore" if args.rescore else "play"
        raise StorageError(f"attempt {args.id} is a quiz: it has no recording to {action}")
    if mode == "closing" and args.rescore:
        raise StorageError(f"attempt {args.id} holds your closing questions, not an answer: nothing to rescore")
    if args.rescore:
        return rescore_attempt(args, store, console)
    if args.compare:
        return review.compare(store, args.id, args.compare, console)
    if args.play:
        attempt = store.open(args.id)
        played = review.replay(attempt, args.section, console, review.sounddevice_player, speak_to_file)
        return {"played": [{"file": f, "from_s": round(a, 2), "to_s": round(b, 2)} for f, a, b in played]}
    return review.show(store, args.id, console, render=not args.json)


def speak_to_file(text: str, path) -> None:
    from .speech.speak import Pyttsx3Speaker

    try:
        Pyttsx3Speaker(play=False).synthesize(text, path)
    except Exception:  # no voice: the replay goes on without the interviewer
        pass


def rescore_attempt(args, store, console: Console) -> dict:
    from .modes.rescore import rescore
    from .speech.transcribe import WhisperTranscriber

    bank = load_bank(args.bank)
    attempt = store.open(args.id)
    transcriber = WhisperTranscriber(args.model)
    with console.status("Loading the speech model and the analysis..."):
        transcriber.load()
        analyzer = make_analyzer(bank)
    report = rescore(attempt, bank, transcriber, analyzer, console)
    if not args.json:
        if "sections" in report:
            render_report(report, console)
        console.print(f"Rescored {attempt.id}; the previous report, if any, is kept as report.previous.json")
    return report


def run_export(args, console: Console) -> dict:
    from .modes.export import export_html

    store, _ = make_store(args, console)
    out = export_html(store.open(args.id), args.html)
    console.print(f"Wrote {out} ({out.stat().st_size // 1024} kB): open it in a browser")
    return {"html": str(out)}


def run_delete(args, console: Console) -> dict:
    import sys

    store, index = make_store(args, console)
    folder = store.path_of(args.id)
    files = [p for p in folder.rglob("*") if p.is_file()]
    if not args.yes:
        if not sys.stdin.isatty():
            raise BankError("delete asks for confirmation: pass --yes when not at a terminal")
        answer = console.input(f"Delete attempt {args.id} and its {len(files)} files (recordings included)? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            console.print("Nothing deleted.")
            return {"deleted": None}
    store.delete(args.id)
    index.remove(args.id)
    console.print(f"Deleted {folder} ({len(files)} files) and its index entry.")
    return {"deleted": args.id, "files": len(files)}
