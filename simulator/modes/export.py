"""One attempt as a self-contained HTML page: the audio, the transcript coloured by section, a timeline.

Self-contained means one file that opens anywhere, offline: the audio is embedded as Opus in a data URI
(about 3 kB per second, against 32 kB for the WAV), and the page uses no outside script, font or style.
Clicking a section in the timeline, or a sentence in the transcript, seeks the answer's audio there.
"""

from __future__ import annotations

import base64
import html
import json
import tempfile
from pathlib import Path

from ..archive.store import Attempt
from ..errors import StorageError
from ..render import clock
from ..speech.audio import load_audio
from ..speech.synth import encode_ogg

HTML_COLORS = {"situation": "#4fb3bf", "task": "#c27ba0", "action": "#6aa84f", "result": "#e6b800",
               "reflection": "#6d9eeb", "headline": "#e6b800"}

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
.timeline {{ display: flex; height: 2.4rem; border: 1px solid #888; margin: .5rem 0 1.5rem; }}
.timeline a {{ display: block; color: #000; text-decoration: none; font-size: .8rem; overflow: hidden;
  padding: .2rem; border-right: 1px solid #fff; white-space: nowrap; }}
.timeline a.gap {{ background: #eee; }}
.transcript span {{ cursor: pointer; border-radius: 3px; padding: 0 2px; }}
.transcript time {{ color: #888; font-size: .75rem; margin-right: .2rem; }}
.transcript .missed {{ background: #fde68a; font-style: italic; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .2rem .5rem; text-align: left; }}
.flag {{ color: #a00; font-weight: bold; }}
</style></head><body>
<h1>{title}</h1>
<p><em>{question}</em></p>
<p>Score <strong>{score}</strong> ({verdict}) &middot; answer {length} &middot; attempt {attempt_id}</p>
<h2>Answer</h2>
<audio id="answer" controls preload="auto" src="data:audio/ogg;base64,{answer_audio}"></audio>
<div class="timeline" id="timeline">{timeline}</div>
<div class="transcript">{transcript}</div>
<h2>Sections</h2>
<table><tr><th>section</th><th>from</th><th>to</th><th>time</th><th>target</th><th>verdict</th></tr>{section_rows}</table>
<h2>What an interviewer would hear</h2>
<table><tr><th>flag</th><th>at</th><th>heard</th><th>why</th></tr>{flag_rows}</table>
{followup}
<script>
// Every element with data-seek moves the answer's audio to that second and plays it.
const answer = document.getElementById("answer");
function seek(seconds) {{ answer.currentTime = seconds; answer.play().catch(() => {{}}); }}
document.querySelectorAll("[data-seek]").forEach(el => el.addEventListener("click", event => {{
  event.preventDefault(); seek(parseFloat(el.dataset.seek)); }}));
const report = {report_json};
</script>
</body></html>
"""


def audio_data_uri(path: Path) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        ogg = Path(tmp) / "audio.ogg"
        encode_ogg(load_audio(path), ogg)
        return base64.b64encode(ogg.read_bytes()).decode("ascii")


def timeline_html(report: dict) -> str:
    total = max(report["duration_s"], 0.1)
    links, at = [], 0.0
    for seg in report["segments"]:
        if seg["start_s"] > at + 0.05:
            links.append(f'<a class="gap" style="flex: {seg["start_s"] - at:.2f}"></a>')
        name = "headline" if seg["headline"] else seg["name"]
        label = f"{seg['name']} {clock(seg['start_s'])}"
        links.append(f'<a href="#" class="section" data-name="{seg["name"]}" data-seek="{seg["start_s"]}" '
                     f'title="{label}" style="flex: {seg["end_s"] - seg["start_s"]:.2f}; '
                     f'background: {HTML_COLORS[name]}">'
                     f'{html.escape(label)}</a>')
        at = seg["end_s"]
    if total > at + 0.05:
        links.append(f'<a class="gap" style="flex: {total - at:.2f}"></a>')
    return "".join(links)


def transcript_html(report: dict) -> str:
    """Sentences in their section colours; a stretch of possibly missed speech sits in its place, marked."""
    parts = [(s["start_s"], f'<span data-seek="{s["start_s"]}" title="{s["role"]}" '
                            f'style="background: {HTML_COLORS.get(s["role"], "#ddd")}55">'
                            f'<time>{clock(s["start_s"])}</time>{html.escape(s["text"])}</span>')
             for s in report["sentences"]]
    parts += [(start, f'<span data-seek="{start}" class="missed" title="voice heard, no words made out">'
                      f'<time>{clock(start)}</time>[possibly missed speech to {clock(end)}, not transcribed]</span>')
              for start, end in report.get("unheard_speech", ())]
    return " ".join(part for _, part in sorted(parts, key=lambda p: p[0]))


def followup_html(attempt: Attempt, report: dict) -> str:
    follow = report.get("followup")
    if not follow:
        return ""
    audio = ""
    if attempt.file("followup.wav").exists():
        source = audio_data_uri(attempt.file("followup.wav"))
        audio = f'<audio id="followup" controls src="data:audio/ogg;base64,{source}"></audio>'
    repaired = follow["repaired"]
    aimed = f"weakness {repaired['code']}" if repaired["code"] else "no weakness aimed at"
    status = "repaired" if repaired["repaired"] else "not repaired"
    return (f"<h2>Follow-up: {html.escape(follow['probe_text'])}</h2>{audio}<p>{html.escape(follow['transcript'])}</p>"
            f"<p>Score <strong>{follow['score']['overall']}</strong> ({follow['score']['verdict']}); "
            f"{html.escape(aimed)}: {status} ({html.escape(repaired['evidence'])})</p>")


def export_html(attempt: Attempt, out: Path) -> Path:
    report = attempt.read("report.json")
    if not report or "sections" not in report:
        raise StorageError(f"attempt {attempt.id} has no answer report to export (rescore it first)")
    if not attempt.file("answer.wav").exists():
        raise StorageError(f"attempt {attempt.id} has no answer.wav to embed")
    question = report.get("question") or {}
    page = PAGE.format(
        title=html.escape(f"Mock interview: {question.get('id', 'answer')}"),
        question=html.escape(question.get("text", "")),
        score=report["score"]["overall"], verdict=html.escape(report["score"]["verdict"]),
        length=clock(report.get("answer_s")), attempt_id=html.escape(attempt.id),
        answer_audio=audio_data_uri(attempt.file("answer.wav")),
        timeline=timeline_html(report), transcript=transcript_html(report),
        section_rows="".join(
            f"<tr><td>{s['name']}</td><td>{clock(s['start_s'])}</td><td>{clock(s['end_s'])}</td>"
            f"<td>{s['duration_s']:.0f}s</td><td>{s['target_s']:.0f}s</td><td>{s['verdict']}</td></tr>"
            for s in report["sections"]),
        flag_rows="".join(
            f"<tr><td class=flag>{f['code']}</td><td>{clock(f['start_s'])}</td>"
            f"<td>{html.escape(f['evidence'] or '')}</td><td>{html.escape(f['message'])}</td></tr>"
            for f in report["flags"]) or "<tr><td colspan=4>none</td></tr>",
        followup=followup_html(attempt, report),
        # Kept for anyone scripting against the page; "</" is escaped so the JSON cannot close the script.
        report_json=json.dumps({k: report[k] for k in ("sections", "segments", "score")}).replace("</", "<\\/"),
    )
    try:
        out.write_text(page, encoding="utf-8")
        out.chmod(0o600)  # it holds the user's voice
    except OSError as exc:
        raise StorageError(f"cannot write {out} ({exc.strerror or exc})") from None
    return out
