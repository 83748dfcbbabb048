"""Timing drill: the 2 to 3 minute rule (or one section against its target), against a live clock.

While the candidate speaks, the status line shows the clock, the target band, the time left, and the
section the simulator thinks they are in with that section's time against its target. The guess comes
from the same streaming transcript the interview uses, refreshed every few seconds. Cues (a line on
screen, and a short tone with --tone) mark a section running past its target and the answer passing the
two ends of the band. Afterwards: the per-section table and this question's earlier drills.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..analysis.story import compare_telling
from ..analysis.timing import LONG_FACTOR, answer_band, verdict
from ..archive.index import Index, Row
from ..archive.store import Store
from ..render import COLORS, clock, sparkline, telling_view, timeline_table, when
from ..speech.audio import SAMPLE_RATE
from ..speech.protocols import Microphone, Speaker
from ..speech.stream import StreamingTranscriber
from ..types import SECTION_NAMES, Question, Story
from .turn import LIVE_GUESS_EVERY_S, Background, Turn, current_section, kept_on_failure

STEADY_START_S = 1.0  # two guesses of a section's start this close are the same boundary
# How far past its target a guessed section must have run before it is cued. Tried: 1.5 s looked better on
# the dev answers at 80 wpm (26/28 cues right with none, 17/18), but on the held-back audio it was worse
# (39/52 right with none, 27/39 at 1.5 s, 15/25 at 3 s): the wrong cues come from boundaries guessed far off,
# not from sections that run a little long, so a margin only drops right cues. Kept at 0.
OVER_MARGIN_S = 0.0
TONE_HZ = 880.0
TONE_S = 0.15


@dataclass(frozen=True)
class Cue:
    at_s: float
    kind: str  # section_over | band_low | band_high
    text: str

    def to_json(self) -> dict:
        return {"at_s": round(self.at_s, 1), "kind": self.kind, "text": self.text}


@dataclass
class CueWatch:
    """Decides, as time passes, which cues are due; each fires once."""

    targets: dict[str, float]
    band: tuple[float, float]
    focus: str | None = None  # a single-section drill
    steady: bool = True  # a section cue only once two guesses in a row agree where the section began
    margin_s: float = OVER_MARGIN_S  # ... and only once the section has run this much past its target
    fired: list[Cue] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    # The drill calls update many times a second with the same guess; a new guess comes every few seconds.
    _latest: tuple[str, float, float] | None = None
    _before: tuple[str, float, float] | None = None
    # Each section's start (keyed by its place in STAR order) where two guesses in a row put it.
    _steady_starts: dict[int, float] = field(default_factory=dict)

    def update(self, seconds: float, section: tuple[str, float, float] | None) -> list[Cue]:
        due = []
        if self.focus:
            target = self.targets[self.focus]
            due += self._once(seconds >= target, f"over:{self.focus}", seconds, "section_over",
                              f"{self.focus} has passed its target of {clock(target)}: move on")
            due += self._once(seconds >= LONG_FACTOR * target, f"long:{self.focus}", seconds, "section_long",
                              f"{self.focus} is now long ({clock(LONG_FACTOR * target)}): wrap up")
        else:
            low, high = self.band
            # The band cue says what to do from where the live guess puts the speaker, so the two agree.
            closing = section is not None and section[0] in ("result", "reflection")
            advice = f"in the {section[0]}, finish by {clock(high)}" if closing and section else "head for the result"
            due += self._once(seconds >= low, "band_low", seconds, "band_low", f"{clock(low)} passed: {advice}")
            due += self._once(seconds >= high, "band_high", seconds, "band_high", f"{clock(high)} passed: finish now")
            if section is not None:
                # Only what was heard counts: the section ran from its start to its last heard word at least.
                # Counting to now would hand the next section's first seconds, not yet transcribed, to it.
                name, start_s, heard_s = section
                target = self.targets[name]
                # A guess made from a draft can move a boundary that the settled words put back on the next
                # update; a cue on such a guess told a speaker their Task had overrun while they were still
                # in the Situation. Two guesses in a row with the same section and start are trusted.
                if section != self._latest:
                    self._before, self._latest = self._latest, section
                before = self._before
                steady = before is not None and before[0] == name and abs(before[1] - start_s) <= STEADY_START_S
                # A guess that stretches a section over two later ones (in STAR order), each steadily heard to begin
                # inside it, is the labelling of a half-told answer changing its mind (a garbled sentence read as
                # the scene relabels the Task and Action so far as Situation), not the section running on: no cue.
                # Over one, it may be the newest boundary put back (a scene's last sentence read for a moment as
                # the Task's first), and the section may really run on. A Situation told after a result-first
                # headline begins after the headline, so it is still cued.
                order = SECTION_NAMES.index(name)
                behind = self.steady and sum(later > order and later_start > start_s
                                             for later, later_start in self._steady_starts.items()) >= 2
                if steady:
                    self._steady_starts[order] = start_s
                # ...and the section's time counts only as far as both guesses heard it: the sentence just heard
                # may be the next section's first, read as this one's last until more of it comes (24 new dev
                # answers at 80 wpm, replayed: 17/22 cues right counting to the newest word, 12/13 this way).
                if self.steady:
                    heard_s = min(heard_s, before[2]) if steady and before else start_s
                due += self._once((steady or not self.steady) and not behind
                                  and heard_s - start_s >= target + self.margin_s,
                                  f"over:{name}",
                                  seconds, "section_over",
                                  f"{name} has run {clock(heard_s - start_s)}, past its target of {clock(target)}")
        return due

    def _once(self, condition: bool, key: str, seconds: float, kind: str, text: str) -> list[Cue]:
        if not condition or key in self._seen:
            return []
        self._seen.add(key)
        cue = Cue(seconds, kind, text)
        self.fired.append(cue)
        return [cue]


def status_text(seconds: float, band: tuple[float, float], focus: str | None, targets: dict[str, float],
                section: tuple[str, float, float] | None) -> str:
    if focus:
        target = targets[focus]
        left = target - seconds
        where = f"{clock(left)} left" if left >= 0 else f"{clock(-left)} over"
        return f"● REC {clock(seconds)} · {focus} target {clock(target)} · {where}"
    low, high = band
    left = high - seconds
    where = f"{clock(left)} left to {clock(high)}" if left >= 0 else f"{clock(-left)} past {clock(high)}"
    now = ""
    if section is not None:
        name, start_s, _ = section
        now = f" · now: {name} {clock(seconds - start_s)} / {clock(targets[name])}"
    return f"● REC {clock(seconds)} · band {clock(low)}-{clock(high)} · {where}{now}"


def play_tone() -> None:
    """A short beep without blocking the recording loop; silently skipped without an output device."""
    try:
        import sounddevice as sd

        t = np.arange(int(TONE_S * SAMPLE_RATE)) / SAMPLE_RATE
        sd.play((0.2 * np.sin(2 * np.pi * TONE_HZ * t)).astype(np.float32), SAMPLE_RATE, blocking=False)
    except Exception:  # no output device: the visual cue is enough
        pass


@dataclass
class Drill:
    question: Question
    speaker: Speaker
    turn: Turn
    analyzer: Background
    store: Store
    index: Index
    console: Console
    mic: Callable[[], Microphone]
    level: str | None = None
    focus: str | None = None
    tone: bool = False
    settle: bool = False  # --fast: wait for the stream before each guess, as a worker keeping pace would be
    guesses: list[dict] = field(default_factory=list)
    story: Story | None = None  # the candidate's written story this answer tells (drill --story)

    def run(self) -> dict:
        meta = {"mode": "drill", "question_id": self.question.id, "question_text": self.question.text,
                "level": self.level, "section": self.focus, "story": self.story.id if self.story else None}
        attempt = self.store.new_attempt(meta)
        self.console.print(f"[dim]Attempt {attempt.id} in {attempt.folder}[/dim]")
        with kept_on_failure(attempt):
            return self._run(attempt)

    def _run(self, attempt) -> dict:
        targets = self.question.targets_for(self.level)
        band = answer_band(self.level)
        watch = CueWatch(targets, band, self.focus)
        what = (f"Drill: the {self.focus} only, target {clock(targets[self.focus])}." if self.focus
                else f"Drill: the whole answer within {clock(band[0])} to {clock(band[1])}.")
        self.console.rule("[bold]Timing drill")
        self.console.print(what)
        self.speaker.say(self.question.text, save_to=attempt.file("question.wav"))
        guess: dict = {"at": -LIVE_GUESS_EVERY_S, "section": None}

        def status_line(seconds: float, quiet: float, stream: StreamingTranscriber) -> str:
            # --fast feeds audio faster than the analyzer loads: wait for it rather than skip early guesses.
            if not self.focus and seconds - guess["at"] >= LIVE_GUESS_EVERY_S and (self.analyzer.ready or self.settle):
                guess["at"] = seconds
                if self.settle:
                    stream.settle()
                guess["section"] = current_section(self.analyzer.get().segmenter, stream.live_words(), seconds,
                                                   sum(targets.values()))
                if guess["section"]:
                    self.guesses.append({"at_s": round(seconds, 1), "section": guess["section"][0],
                                         "since_s": round(guess["section"][1], 2)})
            for cue in watch.update(seconds, guess["section"]):
                self.console.print(f"[bold yellow]▲ {clock(cue.at_s)}[/bold yellow] {cue.text}")
                if self.tone:
                    play_tone()
            return status_text(seconds, band, self.focus, targets, guess["section"])

        rec, transcript, _ = self.turn.record(attempt, "answer", self.mic(), status_line)
        analyzer = self.analyzer.get()
        report = analyzer.analyze(transcript, self.question, self.level)
        report["drill"] = {"section": self.focus, "band_s": list(band), "cues": [c.to_json() for c in watch.fired],
                           "live_guesses": self.guesses}
        if self.focus:
            spoken = report["answer_s"]
            report["drill"]["focus"] = {"name": self.focus, "duration_s": spoken, "target_s": targets[self.focus],
                                        "verdict": verdict(spoken, targets[self.focus], True)}
        if self.story:
            report["story"] = compare_telling(self.story, report["transcript"])
        report["attempt"] = attempt.record(answer_ended_by=rec.ended_by)
        attempt.write("report.json", report)
        attempt.update_meta(status="complete", answer_s=report["answer_s"], score=report["score"]["overall"])
        self.show(report)
        return report

    def show(self, report: dict) -> None:
        drill = report["drill"]
        if self.focus:
            focus = drill["focus"]
            self.console.print(f"{self.focus}: {clock(focus['duration_s'])} against {clock(focus['target_s'])}: "
                               f"[bold]{focus['verdict']}[/bold]")
        else:
            self.console.print(timeline_table(report, "This drill's sections against their targets"))
        if report.get("story"):
            self.console.print(telling_view(report["story"]))
        cues = ", ".join(f"{clock(c['at_s'])} {c['kind']}" for c in drill["cues"]) or "none"
        self.console.print(f"Cues: {cues}")
        self.console.print(history_table(self.index.rows(mode="drill", question=self.question.id, section=self.focus),
                                         self.focus))


def history_table(rows: list[Row], focus: str | None) -> Table:
    """This question's drills so far, oldest first, with a chart of the answer length."""
    names = [focus] if focus else list(SECTION_NAMES)
    table = Table(title=f"Drills of this question so far ({len(rows)})", title_justify="left")
    for column in ("date", "length", *names, "score"):
        table.add_column(column, justify="left" if column == "date" else "right")
    for r in rows:
        cells: list[str | Text] = []
        for name in names:
            s = r.sections.get(name)
            if focus:
                cells.append(clock(r.answer_s))
            elif s is None or s["verdict"] == "missing":
                cells.append(Text("-", style="red"))
            else:
                cells.append(Text(f"{s['duration_s']:.0f}s", style=COLORS[name] if s["verdict"] == "ok" else "red"))
        table.add_row(when(r.created), clock(r.answer_s), *cells, "-" if r.score is None else f"{r.score:.0f}")
    lengths = [r.answer_s or 0.0 for r in rows]
    spark = sparkline(lengths, max(lengths + [answer_band(None)[1]]))
    table.caption = f"answer length, oldest first: {spark}" if rows else ""
    return table
