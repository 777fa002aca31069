"""True retention: how often the learner remembers questions already learned."""

from __future__ import annotations

from datetime import datetime, timedelta

from fsrs import State

from studyguide.engine.clock import entries_since
from studyguide.engine.study import Study

RETENTION_DAYS = 30


def true_retention(study: Study, now: datetime) -> tuple[float | None, int]:
    """Share right among answers to questions in the review state, over the last 30 days.

    Like Anki's true retention: first answers and learning steps are left out, so the
    figure can be compared with the desired retention.
    """
    right = total = 0
    for entry in entries_since(study.doc.log, now - timedelta(days=RETENTION_DAYS)):
        if entry.get("state") == State.Review:
            total += 1
            right += entry["correct"]
    return (right / total if total else None), total
