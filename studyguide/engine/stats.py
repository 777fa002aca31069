"""Figures for the dashboard, the statistics screen and `studyguide stats`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import State

from studyguide.engine import queue
from studyguide.engine.clock import day_start, entries_since, parse_time, study_day
from studyguide.engine.readiness import Readiness, readiness
from studyguide.engine.study import Study

RETENTION_DAYS = 30


@dataclass(frozen=True)
class ModuleMastery:
    module: str
    title: str
    questions: int
    studied: int
    mastery: float  # mean recall probability now over all its questions (unstudied = 0)
    accuracy: float | None  # share of right answers in the log, None before any


@dataclass(frozen=True)
class Overview:
    due_now: int
    new_today: int
    reviews_today: int
    streak: int
    true_retention: float | None
    retention_reviews: int
    next_due: datetime | None
    readiness: Readiness | None
    modules: tuple[ModuleMastery, ...]
    leeches: tuple[str, ...]
    flagged: tuple[str, ...]


def streak(study: Study, now: datetime) -> int:
    """Consecutive study days with at least one answer, ending today (or yesterday)."""
    tz = study.clock.local_tz()
    days = {study_day(parse_time(e["time"]), tz) for e in study.doc.log}
    day = study_day(now, tz)
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


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


def module_mastery(study: Study, now: datetime) -> tuple[ModuleMastery, ...]:
    answers: dict[str, list[int]] = {}
    by_id = study.course.by_id
    for entry in study.doc.log:
        question = by_id.get(entry["qid"])
        if question is not None:
            tally = answers.setdefault(question.module, [0, 0])
            tally[0] += entry["correct"]
            tally[1] += 1
    result = []
    for lesson in study.course.lessons:
        questions = study.course.module_questions(lesson.id)
        studied = [q for q in questions if q.id in study.doc.cards]
        recall = sum(study.retrievability(q.id, now) for q in studied)
        right, total = answers.get(lesson.id, (0, 0))
        result.append(
            ModuleMastery(
                module=lesson.id,
                title=lesson.title,
                questions=len(questions),
                studied=len(studied),
                mastery=recall / len(questions) if questions else 0.0,
                accuracy=right / total if total else None,
            )
        )
    return tuple(result)


def next_due(study: Study, now: datetime) -> datetime | None:
    dues = [
        study.card(q.id).due
        for q in study.course.questions
        if q.id in study.doc.cards and not study.is_buried(q.id, now)
    ]
    return min(dues) if dues else None


def overview(study: Study) -> Overview:
    now = study.clock.now()
    due, new, _total = queue.plan(study, now=now)
    counts = queue.today_counts(study, now)
    retention, retention_reviews = true_retention(study, now)
    in_course = study.course.by_id
    return Overview(
        due_now=len(due),
        new_today=len(new),
        reviews_today=counts.reviews + counts.new,
        streak=streak(study, now),
        true_retention=retention,
        retention_reviews=retention_reviews,
        next_due=next_due(study, now),
        readiness=readiness(study, now),
        modules=module_mastery(study, now),
        leeches=tuple(q for q in study.doc.cards if study.is_leech(q) and q in in_course),
        flagged=tuple(q for q in study.doc.flags if q in in_course),
    )


def reviews_per_day(study: Study, days: int = 30) -> list[tuple[date, int]]:
    tz = study.clock.local_tz()
    today = study_day(study.clock.now(), tz)
    counts = {today - timedelta(days=i): 0 for i in range(days)}
    for entry in entries_since(study.doc.log, day_start(today - timedelta(days=days - 1), tz)):
        day = study_day(parse_time(entry["time"]), tz)
        if day in counts:
            counts[day] += 1
    return sorted(counts.items())


def due_forecast(study: Study, days: int = 14) -> list[tuple[date, int]]:
    """Questions falling due on each of the next `days` study days (today includes overdue)."""
    tz = study.clock.local_tz()
    today = study_day(study.clock.now(), tz)
    counts = {today + timedelta(days=i): 0 for i in range(days)}
    for question in study.course.questions:
        card = study.card(question.id)
        if card is None:
            continue
        day = max(study_day(card.due, tz), today)
        if day in counts:
            counts[day] += 1
    return sorted(counts.items())


def exam_history(study: Study) -> list[tuple[datetime, float, bool]]:
    return [
        (parse_time(a["finished"]), float(a["score"]), bool(a["passed"]))
        for a in study.doc.exams
        if a.get("finished") and a.get("score") is not None
    ]
