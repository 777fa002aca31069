"""Figures for the dashboard, the statistics screen and `studyguide stats`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import State

from studyguide.engine import queue
from studyguide.engine.clock import (
    day_start,
    entries_since,
    next_day_start,
    parse_time,
    study_day,
)
from studyguide.engine.readiness import Readiness, readiness
from studyguide.engine.retention import true_retention
from studyguide.engine.study import Study

MASTERY_DEFINITION = (
    "Mastered: you would answer it right now with at least your desired retention "
    "({retention:.0%}), it is past its learning steps, and any miss has since been made "
    "good by a right answer at a later review."
)


@dataclass(frozen=True)
class ModuleMastery:
    module: str
    title: str
    questions: int
    studied: int
    mastered: int  # questions that meet MASTERY_DEFINITION now
    accuracy: float | None  # share of right answers in the log, None before any

    @property
    def mastery(self) -> float:
        """Share of the module's questions mastered (see MASTERY_DEFINITION)."""
        return self.mastered / self.questions if self.questions else 0.0


@dataclass(frozen=True)
class Overview:
    due_now: int  # due reviews available now, within today's review limit
    due_later_today: int  # studied questions falling due after now, before the day ends
    new_available: int  # new questions still available today, within the new limit
    answers_today: int  # every answer logged today (DayCounts.answers)
    questions_today: int  # distinct questions answered today (DayCounts.questions)
    streak: int
    true_retention: float | None
    retention_reviews: int
    next_due: datetime | None
    readiness: Readiness | None
    modules: tuple[ModuleMastery, ...]
    leeches: tuple[str, ...]
    flagged: tuple[str, ...]
    desired_retention: float


def plural(count: int, word: str, many: str | None = None) -> str:
    """ "1 day", "2 days", "1 error", "0 errors"."""
    return f"{count} {word if count == 1 else many or word + 's'}"


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


def unrecovered_misses(log: list[dict]) -> set[str]:
    """Questions whose latest miss has not yet been followed by a right answer given in the
    review state (state before the answer 2), that is after a real interval: a right answer
    in the relearning step minutes later does not count."""
    pending: set[str] = set()
    for entry in log:
        if not entry["correct"]:
            pending.add(entry["qid"])
        elif entry.get("state") == State.Review:
            pending.discard(entry["qid"])
    return pending


def is_mastered(study: Study, qid: str, now: datetime, misses: set[str]) -> bool:
    card = study.card(qid)
    if card is None or card.state != State.Review or qid in misses:
        return False
    return study.retrievability(qid, now) >= float(study.settings["desired_retention"])


def module_mastery(study: Study, now: datetime) -> tuple[ModuleMastery, ...]:
    answers: dict[str, list[int]] = {}
    by_id = study.course.by_id
    for entry in study.doc.log:
        question = by_id.get(entry["qid"])
        if question is not None:
            tally = answers.setdefault(question.module, [0, 0])
            tally[0] += entry["correct"]
            tally[1] += 1
    misses = unrecovered_misses(study.doc.log)
    result = []
    for lesson in study.course.lessons:
        questions = study.course.module_questions(lesson.id)
        studied = [q for q in questions if q.id in study.doc.cards]
        mastered = sum(is_mastered(study, q.id, now, misses) for q in studied)
        right, total = answers.get(lesson.id, (0, 0))
        result.append(
            ModuleMastery(
                module=lesson.id,
                title=lesson.title,
                questions=len(questions),
                studied=len(studied),
                mastered=mastered,
                accuracy=right / total if total else None,
            )
        )
    return tuple(result)


def _dues(study: Study, now: datetime) -> list[datetime]:
    return [
        study.card(q.id).due
        for q in study.course.questions
        if q.id in study.doc.cards and not study.is_buried(q.id, now)
    ]


def next_due(study: Study, now: datetime) -> datetime | None:
    """When the earliest studied question is due (in the past when one is overdue)."""
    dues = _dues(study, now)
    return min(dues) if dues else None


def due_later_today(study: Study, now: datetime) -> int:
    """Studied questions that fall due after now but before the study day ends (4 a.m.)."""
    end = next_day_start(now, study.clock.local_tz())
    return sum(1 for due in _dues(study, now) if now < due < end)


def next_change(study: Study, now: datetime) -> datetime:
    """The next moment a figure of "what is due" changes on its own: the next due time
    still to come, a buried question coming back, or the next study day."""
    moments = [next_day_start(now, study.clock.local_tz())]
    moments += [due for due in _dues(study, now) if due > now]
    for until in study.doc.buried.values():
        moment = parse_time(until)
        if moment > now:
            moments.append(moment)
    return min(moments)


def overview(study: Study) -> Overview:
    now = study.clock.now()
    due, new, _total = queue.plan(study, now=now)
    counts = queue.today_counts(study, now)
    retention, retention_reviews = true_retention(study, now)
    in_course = study.course.by_id
    return Overview(
        due_now=len(due),
        due_later_today=due_later_today(study, now),
        new_available=len(new),
        answers_today=counts.answers,
        questions_today=counts.questions,
        streak=streak(study, now),
        true_retention=retention,
        retention_reviews=retention_reviews,
        next_due=next_due(study, now),
        readiness=readiness(study, now),
        modules=module_mastery(study, now),
        leeches=tuple(q for q in study.doc.cards if study.is_leech(q) and q in in_course),
        flagged=tuple(q for q in study.doc.flags if q in in_course),
        desired_retention=float(study.settings["desired_retention"]),
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


@dataclass(frozen=True)
class ExamEntry:
    finished: datetime
    score: float
    passed: bool
    right: int | None
    total: int | None
    predicted: float | None  # the readiness estimate when the exam began
    timed_out: bool


def exam_attempts(study: Study) -> list[ExamEntry]:
    """Every finished practice exam, oldest first."""
    return [
        ExamEntry(
            parse_time(a["finished"]),
            float(a["score"]),
            bool(a["passed"]),
            a.get("right"),
            a.get("total"),
            a.get("predicted"),
            bool(a.get("timed_out", False)),
        )
        for a in study.doc.exams
        if a.get("finished") and a.get("score") is not None
    ]


def exam_history(study: Study) -> list[tuple[datetime, float, bool]]:
    return [(e.finished, e.score, e.passed) for e in exam_attempts(study)]
