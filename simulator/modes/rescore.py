"""Rescore: analyze an attempt's stored audio again with the current model and analysis.

Works on incomplete attempts too (the process died after the answer was on disk): whatever audio is there
is transcribed and analyzed. The previous report, if any, is kept as report.previous.json.
"""

from __future__ import annotations

from datetime import datetime, timezone

from rich.console import Console

from ..archive.store import Attempt
from ..errors import NoSpeechError, StorageError
from ..speech.audio import SAMPLE_RATE, load_audio
from ..types import Bank
from .followup import Pick, report_for, score_reply
from .turn import transcribe_with_progress


def _transcribe(attempt: Attempt, name: str, transcriber, console: Console):
    path = attempt.file(f"{name}.wav")
    if not path.exists():
        return None
    audio = load_audio(path)
    if audio.size < 0.2 * SAMPLE_RATE:
        return None
    transcript = transcribe_with_progress(transcriber, audio, path.name, console)
    attempt.write(f"{name}.transcript.json", transcript.to_json())
    return transcript


def rescore(attempt: Attempt, bank: Bank, transcriber, analyzer, console: Console) -> dict:
    meta = attempt.meta()
    try:
        old = attempt.read("report.json")
    except StorageError as exc:
        console.print(f"[yellow]warning:[/yellow] {exc}; a new report replaces it")
        old = None
    question = bank.questions.get(meta.get("question_id") or "")
    level = meta.get("level")
    if meta.get("mode") == "probe":
        report = _rescore_probe(attempt, meta, bank, question, transcriber, analyzer, console)
    else:
        answer = _transcribe(attempt, "answer", transcriber, console)
        if answer is None or not answer.words:
            raise NoSpeechError(f"no speech heard in {attempt.file('answer.wav')}: nothing to score")
        report = analyzer.analyze(answer, question, level)
        reply = _transcribe(attempt, "followup", transcriber, console)
        if reply is not None and reply.words:
            asked = meta.get("probe_id") or ((old or {}).get("probe") or {}).get("id")
            report["followup"] = analyzer.analyze_followup(reply, report, question, asked)
        if old and "drill" in old:
            report["drill"] = old["drill"]
    if old:
        attempt.write("report.previous.json", old)
    report["attempt"] = attempt.record(rescored=datetime.now(timezone.utc).isoformat())
    attempt.write("report.json", report)
    status = meta.get("status")
    attempt.update_meta(status=status if status == "complete" else "rescored",
                        score=(report.get("score") or {}).get("overall"))
    return report


def _rescore_probe(attempt, meta, bank, question, transcriber, analyzer, console) -> dict:
    from ..analysis.probe import find_probe

    probe = find_probe(meta.get("probe_id") or "", question, bank)
    if probe is None:
        raise StorageError(f"attempt {attempt.id} asked probe '{meta.get('probe_id')}', which the bank no longer has")
    reply = _transcribe(attempt, "followup", transcriber, console)
    if reply is None or not reply.words:
        raise NoSpeechError(f"no speech heard in {attempt.file('followup.wav')}: nothing to score")
    pick = Pick(probe, question, meta.get("targets"), "", "rescored")
    return report_for(pick, score_reply(analyzer, pick, reply))
