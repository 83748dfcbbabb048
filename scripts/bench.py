"""Speed and memory figures, medians over several runs, each compared in the same run with a baseline.

- Turn latency: from the end of the answer (a file fed in real time, as a microphone) to the first sound
  of the follow-up probe (transcription of what is left, analysis, probe choice, speech synthesis).
  Streaming (transcribed while recorded) against transcribing the whole answer after it ends.
  On a 3-minute synthesized answer and on real speech from ../shared/audio.
- Transcription real-time factor (beam 5, the default) against greedy decoding.
- Start-up: from the command to the question being spoken, against `--help` (bare imports); warm, and cold
  (the kernel's page cache emptied before each run, as after a reboot; needs root).
- Peak memory of a whole interview, against `--help`.
- Analysis of a 3-minute transcript, against the cues-only segmenter.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.analysis.report import Analyzer, build_segmenter, load_spacy  # noqa: E402
from simulator.analysis.segment import SentenceParses  # noqa: E402
from simulator.analysis.transcripts import transcript_from_text  # noqa: E402
from simulator.bank import load_bank  # noqa: E402
from simulator.evaluate import load_dev_set, run_measured  # noqa: E402
from simulator.speech.audio import SAMPLE_RATE, load_audio, write_wav  # noqa: E402
from simulator.speech.record import EndPolicy, FileMicrophone, record  # noqa: E402
from simulator.speech.speak import Pyttsx3Speaker  # noqa: E402
from simulator.speech.stream import StreamingTranscriber, transcribe_recording  # noqa: E402
from simulator.speech.synth import synthesize_sections  # noqa: E402
from simulator.speech.transcribe import WhisperTranscriber, embedded_model_path  # noqa: E402

SHARED = ROOT.parent / "shared" / "audio"


def median(values):
    return statistics.median(values)


def three_minute_answer() -> tuple[np.ndarray, list]:
    """The longest development answer (five sections, 435 words), spoken just slowly enough to last 3 minutes."""
    answers = load_dev_set(ROOT / "tests/data/dev_answers.yaml")
    answer = max(answers, key=lambda a: sum(len(t.split()) for _, t in a.parts))
    for rate in range(160, 120, -5):
        audio, _ = synthesize_sections(answer.parts, rate=rate)
        if audio.size >= 180 * SAMPLE_RATE:
            return audio, answer.parts
    raise SystemExit("scripts/bench: could not make a three-minute answer from the development set")


def real_speech() -> np.ndarray:
    """The disfluent real voices of ../shared/audio/mfa joined with 1 s gaps, plus JFK: ~3 minutes."""
    clips = sorted((SHARED / "mfa").glob("*.flac")) + [SHARED / "fw_jfk.flac"]
    gap = np.zeros(SAMPLE_RATE, dtype=np.float32)
    return np.concatenate([piece for clip in clips for piece in (load_audio(clip), gap)])


class Turn:
    def __init__(self, analyzer: Analyzer, transcriber: WhisperTranscriber, speaker: Pyttsx3Speaker, question):
        self.analyzer, self.transcriber, self.speaker, self.question = analyzer, transcriber, speaker, question

    def respond(self, transcript_of_answer) -> float:
        """Seconds from now to the probe's first sound: finish transcribing, analyze, synthesize."""
        start = time.monotonic()
        transcript = transcript_of_answer()
        report = self.analyzer.analyze(transcript, self.question, "senior")
        with tempfile.TemporaryDirectory() as tmp:
            self.speaker.synthesize(report["probe"]["text"], Path(tmp) / "probe.wav")
        return time.monotonic() - start

    def streaming(self, path: Path) -> float:
        stream = StreamingTranscriber(self.transcriber)
        with tempfile.TemporaryDirectory() as tmp:
            record(FileMicrophone(path), Path(tmp) / "a.wav", EndPolicy(max_s=600), on_chunk=stream.insert)
        return self.respond(stream.finish)

    def after_the_end(self, path: Path) -> float:
        audio = load_audio(path)
        return self.respond(lambda: transcribe_recording(self.transcriber, audio))


def bench_turns(runs: int, answers: dict[str, np.ndarray]) -> None:
    bank = load_bank()
    question = bank.questions["debug-nobody-owned"]
    analyzer = Analyzer(bank, build_segmenter(bank, load_spacy()))
    transcriber = WhisperTranscriber()
    transcriber.load()
    turn = Turn(analyzer, transcriber, Pyttsx3Speaker(play=False, show=lambda text: None), question)
    for name, audio in answers.items():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "answer.wav"
            write_wav(path, audio)
            seconds = audio.size / SAMPLE_RATE
            after = [turn.after_the_end(path) for _ in range(runs)]
            streamed = []
            for i in range(runs):
                streamed.append(turn.streaming(path))
                print(f"  {name}: streaming run {i + 1}/{runs}: {streamed[-1]:.2f} s", flush=True)
        s, a = median(streamed), median(after)
        print(f"turn latency, {name} ({seconds / 60:.1f} min fed in real time), median of {runs}: "
              f"streaming {s:.2f} s; after the end {a:.2f} s; {a / s:.1f}x faster")


def bench_rtf(runs: int, audio: np.ndarray) -> None:
    seconds = audio.size / SAMPLE_RATE
    figures = {}
    for beam in (5, 1):
        transcriber = WhisperTranscriber(beam_size=beam)
        transcriber.load()
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            transcribe_recording(transcriber, audio)
            times.append(time.perf_counter() - start)
        figures[beam] = median(times) / seconds
    print(f"transcription real-time factor on {seconds:.0f} s of real speech, median of {runs}: "
          f"beam 5 (default) {figures[5]:.3f}; greedy {figures[1]:.3f}")


def command(*args) -> list[str]:
    return [sys.executable, "-m", "simulator", *args]


def time_to_question(args: list[str]) -> float:
    """Seconds from spawning the command to the interviewer's first line on the screen."""
    start = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = None
    for line in proc.stdout:
        if "Interviewer:" in line and elapsed is None:
            elapsed = time.monotonic() - start
    proc.wait()
    return elapsed if elapsed is not None else float("nan")


def bench_startup_and_memory(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        demo = ROOT / "scripts" / "demo_audio"
        interview = command("interview", "--question", "debug-nobody-owned", "--answer-audio", str(demo / "answer.ogg"),
                            "--followup-audio", str(demo / "followup.ogg"), "--fast", "--recordings", tmp)
        helps = []
        for _ in range(runs):
            start = time.monotonic()
            subprocess.run(command("--help"), cwd=ROOT, capture_output=True)
            helps.append(time.monotonic() - start)
        help_peak = median([peak_mb(command("--help")) for _ in range(runs)])
        startups = [time_to_question(interview) for _ in range(runs)]
        peak = median([peak_mb(interview) for _ in range(runs)])
    print(f"start-up to the question being spoken, median of {runs}: {median(startups):.2f} s "
          f"(baseline `--help`: {median(helps):.2f} s)")
    bench_cold_start(runs, interview)
    print(f"peak memory of a whole interview (espeak voice, demo files): {peak:.0f} MB (baseline `--help`: "
          f"{help_peak:.0f} MB)")


def drop_page_cache() -> bool:
    """Empty the kernel's page cache, so the next start reads Python, the libraries and the models from disk
    again, as the first start after a reboot does. Needs root: False where it is not allowed."""
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def seconds_to_read(path: Path) -> float:
    start = time.monotonic()
    path.read_bytes()
    return time.monotonic() - start


def bench_cold_start(runs: int, interview: list[str]) -> None:
    # Some sandboxes accept the write and keep the cache: the model file must read slower after it.
    model = embedded_model_path() / "model.bin"
    from_memory = seconds_to_read(model)
    if not drop_page_cache() or seconds_to_read(model) < 3 * from_memory:
        print("cold start-up: not measured (the page cache cannot be emptied here: needs root, and a kernel "
              f"that honours it; {model.name} read in {from_memory * 1000:.0f} ms either way)")
        return
    helps, starts = [], []
    for _ in range(runs):
        drop_page_cache()
        start = time.monotonic()
        subprocess.run(command("--help"), cwd=ROOT, capture_output=True)
        helps.append(time.monotonic() - start)
        drop_page_cache()
        starts.append(time_to_question(interview))
    print(f"cold start-up (page cache emptied before each run) to the question being spoken, median of {runs}: "
          f"{median(starts):.2f} s (baseline `--help`, cold: {median(helps):.2f} s)")


def four_minute_answer() -> np.ndarray:
    """The three longest development answers, spoken at 150 words per minute, cut at 4 minutes."""
    answers = load_dev_set(ROOT / "tests/data/dev_answers.yaml")
    longest = sorted(answers, key=lambda a: -sum(len(t.split()) for _, t in a.parts))[:3]
    audio, _ = synthesize_sections([part for a in longest for part in a.parts], rate=150)
    return audio[: 240 * SAMPLE_RATE]


def peak_mb(args: list[str], env: dict[str, str] | None = None) -> float:
    """Peak resident memory of one command, its own (not the bench process's, which getrusage would mix in)."""
    r = run_measured(args, cwd=ROOT, env={**os.environ, **(env or {})})
    if r.returncode != 0:
        raise SystemExit(f"scripts/bench: {' '.join(args)} failed: {r.stderr.strip()[-300:]}")
    return r.peak_mb


def bench_long_interview_memory(runs: int) -> None:
    """A 4-minute answer through the whole interview, against the same with glibc's default thresholds."""
    with tempfile.TemporaryDirectory() as tmp:
        answer = Path(tmp) / "answer.wav"
        write_wav(answer, four_minute_answer())
        interview = command("interview", "--question", "debug-nobody-owned", "--answer-audio", str(answer),
                            "--followup-audio", str(ROOT / "scripts" / "demo_audio" / "followup.ogg"), "--fast",
                            "--no-speak", "--recordings", tmp)
        trimmed = [peak_mb(interview) for _ in range(runs)]
        defaults = [peak_mb(interview, {"STAR_SIM_MALLOC_DEFAULTS": "1"}) for _ in range(runs)]
    print(f"peak memory of a 4-minute interview, median of {runs}: {median(trimmed):.0f} MB "
          f"(baseline, glibc's default trim threshold: {median(defaults):.0f} MB)")


def bench_analysis(runs: int) -> None:
    bank = load_bank()
    question = bank.questions["debug-nobody-owned"]
    answers = load_dev_set(ROOT / "tests/data/dev_answers.yaml")
    answers = sorted(answers, key=lambda a: -sum(len(t.split()) for _, t in a.parts))
    words = " ".join(t for _, t in answers[0].parts + answers[1].parts).split()[:450]
    transcript = transcript_from_text(" ".join(words))
    nlp = load_spacy()
    full = Analyzer(bank, build_segmenter(bank, nlp))
    baseline = Analyzer(bank, build_segmenter(bank, None))
    baseline.segmenter.model = None
    full.analyze(transcript, question, "senior")  # warm-up

    def ms(analyzer, fresh_parses: bool = False):
        times = []
        for _ in range(runs):
            if fresh_parses:  # as a new answer is: no sentence parsed yet
                analyzer.segmenter.parses = SentenceParses(nlp)
            start = time.perf_counter()
            analyzer.analyze(transcript, question, "senior")
            times.append((time.perf_counter() - start) * 1000)
        return median(times)

    f, again, b = ms(full, fresh_parses=True), ms(full), ms(baseline)
    print(f"analysis of a 3-minute transcript ({len(words)} words), median of {runs}: {f:.0f} ms; the same "
          f"transcript again, its parses kept (a live drill re-reads its opening every 3 s): {again:.0f} ms "
          f"(cues-only baseline {b:.0f} ms; budget 200 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="scripts/bench")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="skip the real-time turn-latency runs")
    args = parser.parse_args()
    bench_analysis(max(args.runs, 7))
    bench_startup_and_memory(args.runs)
    bench_long_interview_memory(args.runs)
    speech = real_speech() if SHARED.is_dir() else three_minute_answer()[0]
    bench_rtf(args.runs, speech)
    if not args.quick:
        answers = {"3-minute synthesized answer": three_minute_answer()[0]}
        if SHARED.is_dir():
            answers["real speech (mfa + jfk)"] = speech
        bench_turns(args.runs, answers)
    print(f"peak memory of the bench process itself: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} "
          f"MB")


if __name__ == "__main__":
    main()
