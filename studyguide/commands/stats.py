"""`studyguide stats [--json]`: progress at a glance, without the app.

Reads the progress file without taking its lock and never writes it, so it also works
while the app is open.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from datetime import datetime
from pathlib import Path

from studyguide.course.cache import load_content_cached
from studyguide.engine.stats import (
    MASTERY_DEFINITION,
    Overview,
    exam_attempts,
    overview,
    plural,
)
from studyguide.engine.study import Study
from studyguide.paths import cache_dir
from studyguide.progress import ProgressDocument, ProgressError, read_only_load

BAR_WIDTH = 20
_SURROGATE = re.compile("[\ud800-\udfff]")


def run(roots: list[Path], progress: Path, as_json: bool) -> int:
    try:
        doc = read_only_load(progress) if os.path.lexists(progress) else None
    except ProgressError as exc:
        print(f"studyguide stats: {printable(str(exc))}", file=sys.stderr)
        return 1
    if doc is None:
        # A typo in --progress must not look like lost progress.
        print(
            f"studyguide stats: No progress file at {progress} yet: "
            "these are the figures of a new profile.",
            file=sys.stderr,
        )
        doc = ProgressDocument.new()
    for note in doc.warnings:
        print(f"studyguide stats: {progress}: {printable(note)}", file=sys.stderr)
    result = load_content_cached(roots, cache_dir())
    study = Study(result.course, doc)
    view = overview(study)
    if as_json:
        data = finite(to_json(view, study, progress, len(result.errors)))
        json.dump(data, sys.stdout, indent=2, allow_nan=False)
        sys.stdout.write("\n")
    else:
        print(printable(to_text(view, study, progress, len(result.errors))))
    return 0


def finite(value):
    """``value`` with every NaN or infinity replaced by null: they are not JSON."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    return value


def printable(text: str) -> str:
    """``text`` with any lone surrogate (which no terminal encoding can write) as U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def to_json(view: Overview, study: Study, progress: Path, content_errors: int) -> dict:
    """The shape documented key by key in docs/stats-json.md."""
    ready = view.readiness
    return {
        "progress_file": str(progress),
        "due_now": view.due_now,
        "due_later_today": view.due_later_today,
        "new_available": view.new_available,
        "new_today": view.new_available,  # the older name of new_available
        "answers_today": view.answers_today,
        "questions_today": view.questions_today,
        "reviews_today": view.answers_today,  # the older name of answers_today
        "streak_days": view.streak,
        "true_retention_30d": view.true_retention,
        "true_retention_reviews": view.retention_reviews,
        "desired_retention": view.desired_retention,
        "next_due": _when(view.next_due),
        "readiness": None
        if ready is None
        else {
            "estimate": _share(ready.shown),
            "enough_evidence": ready.enough_evidence,
            "needed": ready.needed or None,
            "pass_mark": ready.pass_mark,
            "answers": ready.answers,
            "studied": ready.studied,
            "pool": ready.pool,
            "studied_share": round(ready.studied_share, 4),
            "prior": round(ready.prior, 4),
            "method": ready.method,
        },
        "mastery_definition": mastery_definition(view),
        "modules": [
            {
                "id": m.module,
                "title": m.title,
                "questions": m.questions,
                "studied": m.studied,
                "mastered": m.mastered,
                "mastery": round(m.mastery, 4),
                "accuracy": _share(m.accuracy),
            }
            for m in view.modules
        ],
        "exams": [
            {
                "finished": e.finished.isoformat(),
                "score": e.score,
                "passed": e.passed,
                "right": e.right,
                "total": e.total,
                "predicted": e.predicted,
                "timed_out": e.timed_out,
            }
            for e in exam_attempts(study)
        ],
        "leeches": [
            {"id": qid, "lapses": study.lapses(qid), "lesson": study.course.by_id[qid].lesson}
            for qid in view.leeches
        ],
        "flagged": [
            {"id": qid, "note": study.doc.flags[qid].get("note", "")} for qid in view.flagged
        ],
        "content_errors": content_errors,
    }


def mastery_definition(view: Overview) -> str:
    return MASTERY_DEFINITION.format(retention=view.desired_retention)


def _bar(share: float) -> str:
    filled = round(share * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def to_text(view: Overview, study: Study, progress: Path, content_errors: int) -> str:
    now = study.clock.now()
    lines = [f"Progress file: {progress}"]
    lines.append(
        f"Due now: {view.due_now}   Due later today: {view.due_later_today}   "
        f"New available today: {view.new_available}"
    )
    lines.append(
        f"Answers today: {view.answers_today} "
        f"(to {plural(view.questions_today, 'question')})   "
        f"Streak: {plural(view.streak, 'day')}"
    )
    if view.true_retention is None:
        lines.append("True retention (30 days): no reviews of learned questions yet")
    else:
        lines.append(
            f"True retention (30 days): {view.true_retention:.0%} "
            f"of {plural(view.retention_reviews, 'review')}"
        )
    if view.next_due:
        due = "now" if view.next_due <= now else f"{view.next_due.astimezone():%Y-%m-%d %H:%M}"
        lines.append(f"Next review due: {due}")
    ready = view.readiness
    if ready is not None:
        if ready.enough_evidence:
            verdict = "on track" if ready.likely_pass else "not there yet"
            lines.append(
                f"Readiness: {ready.estimate:.0%} against the practice pass mark of "
                f"{ready.pass_mark:.0%} ({verdict})"
            )
        else:
            lines.append(f"Readiness: not enough answers yet. Needs {ready.needed}.")
        lines.append(f"  How: {ready.method}")
    lines.append("Mastery by module:")
    lines.append(f"  {mastery_definition(view)}")
    width = max((len(m.title) for m in view.modules), default=0)
    for m in view.modules:
        accuracy = "-" if m.accuracy is None else f"{m.accuracy:.0%}"
        lines.append(
            f"  {m.title:<{width}}  {_bar(m.mastery)} {m.mastery:4.0%}  "
            f"mastered {m.mastered}/{m.questions}, studied {m.studied}/{m.questions}, "
            f"accuracy {accuracy}"
        )
    history = exam_attempts(study)
    if history:
        lines.append("Practice exams:")
        lines += [
            f"  {e.finished.astimezone():%Y-%m-%d %H:%M}  {e.score:.0%}  "
            f"{'pass' if e.passed else 'fail'}"
            for e in history
        ]
    if view.leeches:
        lines.append("Leeches (reread the linked section):")
        lines += [
            f"  {q}: {study.lapses(q)} lapses, see {study.course.by_id[q].lesson}"
            for q in view.leeches
        ]
    else:
        lines.append("Leeches: none")
    if view.flagged:
        lines.append("Flagged:")
        lines += [f"  {q}: {study.doc.flags[q].get('note') or '(no note)'}" for q in view.flagged]
    else:
        lines.append("Flagged: none")
    if content_errors:
        lines.append(f"Content has {plural(content_errors, 'error')}: run `studyguide validate`.")
    return "\n".join(lines)
