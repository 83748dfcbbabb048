"""The evaluation itself: its arithmetic, the development set, and regression floors for the figures."""

from pathlib import Path

import pytest

from simulator.evaluate import label_at, load_dev_set, reference_fillers, text_accuracy, time_weighted_accuracy
from simulator.types import SECTION_NAMES

DEV = Path(__file__).resolve().parent / "data" / "dev_answers.yaml"
SHAPES = {"strong", "we_heavy", "rambling_situation", "result_first", "fillers", "very_short", "very_long"}


def test_development_set_is_ours_varied_and_large_enough(bank):
    answers = load_dev_set(DEV)
    assert len(answers) >= 40
    shapes = {a.shape for a in answers}
    assert SHAPES <= shapes and any(s.startswith("missing_") for s in shapes)
    assert all(label in SECTION_NAMES for a in answers for label, _ in a.parts)
    exemplar_texts = {t for q in bank.questions.values() for ex in (q.strong, q.weak) for t in ex.sections.values()}
    assert not exemplar_texts & {text for a in answers for _, text in a.parts}


def test_time_weighted_accuracy_counts_frames_on_the_true_clock():
    truth = [("situation", 0.0, 10.0), ("action", 10.0, 20.0)]
    assert time_weighted_accuracy(truth, [("situation", 0.0), ("action", 10.0)]) == (400, 400)
    hits, frames = time_weighted_accuracy(truth, [("situation", 0.0), ("action", 12.0)])
    assert frames == 400 and hits == 360  # two seconds of action were called situation
    assert label_at([("result", 0.0), ("situation", 3.0)], 4.0) == "situation"


def test_reference_fillers_skip_tags():
    assert reference_fillers("montreal uh uh <cutoff-forced> [laughter] you know hm aligner") == 4


def test_sentence_role_accuracy_on_text_stays_high(analyzer):
    overall, per_shape = text_accuracy(analyzer.segmenter, load_dev_set(DEV))
    assert overall >= 0.93, per_shape  # scripts/eval measured 0.968


@pytest.mark.engines
def test_time_weighted_accuracy_on_synthesized_audio(analyzer):
    from simulator.evaluate import audio_accuracy
    from simulator.speech.transcribe import WhisperTranscriber

    answers = [a for a in load_dev_set(DEV) if a.id in ("d01", "d06", "d13")]  # strong, result first, no result
    overall, _ = audio_accuracy(analyzer.segmenter, WhisperTranscriber(), answers)
    # scripts/eval measured 0.955 over all 41 with the VAD gate, these three 0.90 without it on one CPU;
    # three answers are a small sample, so the floor leaves room for another CPU's int8 kernels.
    assert overall >= 0.85


def test_a_commands_peak_memory_is_its_own_not_that_of_the_process_that_started_it():
    import sys

    import numpy as np

    from simulator.evaluate import run_measured

    ballast = np.ones(400 * 2**20 // 8)  # 400 MB resident in this process while the commands start
    small = run_measured([sys.executable, "-c", "pass"])
    big = run_measured([sys.executable, "-c", "import numpy; a = numpy.ones(200 * 2**20 // 8); import time; "
                        "time.sleep(0.3)"])
    assert ballast.sum() > 0
    assert small.returncode == 0 and small.peak_mb < 60, small.peak_mb
    assert 200 < big.peak_mb < 300, big.peak_mb
