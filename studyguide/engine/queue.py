"""The review queue: what to ask next, within today's limits.

Order: questions in (re)learning that are due, then due reviews with the lowest
retrievability first (the most at risk of being forgotten), then new questions in
curriculum order. Daily limits count what was already done since 4 a.m. local time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from fsrs import State

from studyguide.course.model import Question
from studyguide.engine.clock import day_start, entries_since, study_day
from studyguide.engine.study import Answer, Study

# When nothing else is left, a question in a learning step due within this time is
# shown early rather than ending the session (Anki's "learn ahead" limit).
LEARN_AHEAD = timedelta(minutes=20)


@dataclass(frozen=True)
class DayCounts:
    """What was done this study day (since 4 a.m. local). The one definition of each
    "today" figure: the dashboard, the summary, the statistics screen and `stats` all
    read it from here."""

    reviews: int  # answers today to questions seen before today (the daily review limit)
    new: int  # questions answered for the first time today (the daily new limit)
    answers: int = 0  # every answer logged today, re-asks included ("answers today")
    questions: int = 0  # distinct questions answered today


def today_counts(study: Study, now: datetime | None = None) -> DayCounts:
    now = now or study.clock.now()
    tz = study.clock.local_tz()
    today = entries_since(study.doc.log, day_start(study_day(now, tz), tz))
    first_seen = {e["qid"] for e in today if e.get("new")}
    reviews = sum(1 for e in today if e["qid"] not in first_seen)
    questions = len({e["qid"] for e in today})
    return DayCounts(reviews, len(first_seen), len(today), questions)


def candidates(study: Study, module: str | None = None, tag: str | None = None):
    for question in study.course.questions:
        if module is not None and question.module != module:
            continue
        if tag is not None and tag not in question.tags:
            continue
        yield question


@dataclass(frozen=True)
class QueueSummary:
    due: int  # due reviews available now, within today's review limit
    new: int  # new questions available today, within today's new limit
    due_total: int  # due reviews, ignoring the limit


def plan(
    study: Study, module: str | None = None, tag: str | None = None, now: datetime | None = None
) -> tuple[list[str], list[str], int]:
    """(due review ids by risk, new ids in curriculum order, due total), within limits."""
    now = now or study.clock.now()
    counts = today_counts(study, now)
    due: list[tuple[float, int, str]] = []
    new: list[str] = []
    for index, question in enumerate(candidates(study, module, tag)):
        qid = question.id
        if study.is_buried(qid, now):
            continue
        card = study.card(qid)
        if card is None:
            new.append(qid)
        elif card.due <= now:
            due.append((study.retrievability(qid, now), index, qid))
    due.sort()
    review_room = max(0, int(study.settings["reviews_per_day"]) - counts.reviews)
    new_room = max(0, int(study.settings["new_per_day"]) - counts.new)
    return [qid for _r, _i, qid in due[:review_room]], new[:new_room], len(due)


def summary(study: Study, module: str | None = None, tag: str | None = None) -> QueueSummary:
    due, new, total = plan(study, module, tag)
    return QueueSummary(len(due), len(new), total)


@dataclass(frozen=True)
class SessionCounts:
    """What is left in a session, by kind, as Anki shows it: each count closes in on zero.

    A question counts once, by its card now: never answered (new), in a learning or
    relearning step (learning), or a review that is due (due). The question on screen
    counts until it is answered; a missed one moves to learning.
    """

    new: int
    learning: int
    due: int
    seen: int  # distinct questions answered this session
    total: int  # distinct questions answered or still to come

    @property
    def left(self) -> int:
        return self.new + self.learning + self.due

    def label(self) -> str:
        return f"{self.new} new · {self.learning} learning · {self.due} due"


@dataclass(frozen=True)
class Missed:
    answer: Answer  # the question's last wrong answer in the session
    right_later: bool  # answered right after that, in the same session


@dataclass
class SessionStats:
    answered: int = 0
    right: int = 0
    started: datetime | None = None
    results: list[Answer] = field(default_factory=list)

    def missed(self) -> list[Missed]:
        """Each question answered wrong in this session, once, in the order first missed,
        with its latest wrong answer."""
        latest: dict[str, int] = {}  # in first-missed order: a dict keeps insertion order
        for index, result in enumerate(self.results):
            if not result.correct:
                latest[result.question.id] = index
        missed = []
        for qid, index in latest.items():
            later = self.results[index + 1 :]
            right_later = any(r.correct for r in later if r.question.id == qid)
            missed.append(Missed(self.results[index], right_later))
        return missed


class ReviewSession:
    """One sitting: the screen asks `next()`, then reports the learner's answer."""

    def __init__(self, study: Study, module: str | None = None, tag: str | None = None) -> None:
        self.study = study
        self.module = module
        self.tag = tag
        now = study.clock.now()
        self._reviews, self._new, _ = plan(study, module, tag, now)
        self._learning: list[str] = []  # answered this session, back in a short step
        self._front: list[str] = []  # undone questions, asked again first
        # Beside the study's redo stack: each undone answer this session counted (None:
        # one from before this session), so a redo counts exactly what the undo uncounted.
        self._undone: list[Answer | None] = []
        self.stats = SessionStats(started=now)
        self.planned = len(self._reviews) + len(self._new)
        self.shown: Question | None = None  # the question last handed out by next()
        self._showing: str | None = None  # asked and not answered yet
        self._seen: set[str] = set()  # answered this session

    def counts(self) -> SessionCounts:
        pending = dict.fromkeys(
            [*self._front, *self._reviews, *self._new, *self._learning]
            + ([self._showing] if self._showing else [])
        )
        tally = {"new": 0, "learning": 0, "due": 0}
        for qid in pending:
            card = self.study.card(qid)
            if card is None:
                tally["new"] += 1
            elif card.state in (State.Learning, State.Relearning):
                tally["learning"] += 1
            else:
                tally["due"] += 1
        return SessionCounts(**tally, seen=len(self._seen), total=len(self._seen | set(pending)))

    @property
    def remaining(self) -> int:
        return len(self._front) + len(self._reviews) + len(self._new) + len(self._learning)

    def next(self) -> Question | None:
        now = self.study.clock.now()
        while (qid := self._pick(now)) is not None:
            question = self.study.course.by_id.get(qid)  # content may have been reloaded
            if question is not None and not self.study.is_buried(qid, now):
                self.shown = question
                self._showing = qid
                return question
        self.shown = None
        self._showing = None
        return None

    def _pick(self, now: datetime) -> str | None:
        if self._front:
            return self._front.pop(0)
        for moment, queue in (
            (now, None),
            (now, self._reviews),
            (now, self._new),
            (now + LEARN_AHEAD, None),
        ):
            if queue is None:
                learning = self._due_learning(moment)
                if learning:
                    self._learning.remove(learning[0])
                    return learning[0]
            elif queue:
                return queue.pop(0)
        return None

    def _due_learning(self, moment: datetime) -> list[str]:
        due = []
        for qid in self._learning:
            card = self.study.card(qid)
            if card is not None and card.due <= moment:
                due.append((card.due, qid))
        return [qid for _due, qid in sorted(due)]

    def content_changed(self) -> None:
        """The course was reloaded. Questions that are gone leave the queue; the ones not
        yet shown are looked up again when asked, so they show their new version; and
        questions that became available (a bank fixed, a question added) join it, in the
        usual order and within today's limits. The question on screen stays as shown."""
        known = self.study.course.by_id
        self._front = [qid for qid in self._front if qid in known]
        self._learning = [qid for qid in self._learning if qid in known]
        taken = {result.question.id for result in self.stats.results}
        taken.update(self._front, self._learning)
        if self.shown is not None:
            taken.add(self.shown.id)
        reviews, new, _ = plan(self.study, self.module, self.tag)
        self._reviews = [qid for qid in reviews if qid not in taken]
        self._new = [qid for qid in new if qid not in taken]

    def answer(self, question: Question, picked, duration_ms: int, order=None) -> Answer:
        """Grade against `question`, the version shown, even if the content changed since."""
        result = self.study.answer(question, picked, duration_ms, order)
        self._undone.clear()
        self._record(result)
        return result

    def rate_last(self, rating) -> Answer:
        shown = self.stats.results[-1].question if self.stats.results else None
        result = self.study.rate_last(rating, shown)
        self.stats.results[-1] = result
        self._track_learning(result)
        return result

    def _record(self, result: Answer) -> None:
        if self._showing == result.question.id:
            self._showing = None
        self._seen.add(result.question.id)
        self.stats.answered += 1
        self.stats.right += result.correct
        self.stats.results.append(result)
        self._track_learning(result)

    def _track_learning(self, result: Answer) -> None:
        qid = result.question.id
        if qid in self._learning:
            self._learning.remove(qid)
        card = self.study.card(qid)
        if card is not None and card.state in (State.Learning, State.Relearning):
            self._learning.append(qid)

    def put_back(self, question: Question) -> None:
        """Return a question that was shown but not answered to the front of the queue."""
        if self._showing == question.id:
            self._showing = None
        self._front.insert(0, question.id)

    def undo(self) -> Question | None:
        """Undo the last answer; its question is asked again next."""
        qid = self.study.undo()
        if qid is None:
            return None
        if qid in self._learning:
            self._learning.remove(qid)
        last = None
        if self.stats.results and self.stats.results[-1].question.id == qid:
            last = self.stats.results.pop()
            self.stats.answered -= 1
            self.stats.right -= last.correct
        if all(r.question.id != qid for r in self.stats.results):
            self._seen.discard(qid)
        self._undone.append(last)
        self._front.insert(0, qid)
        return self.study.course.by_id.get(qid)

    def redo(self) -> Answer | None:
        """Re-apply the answer undone last; it counts in this session again, and its
        question is no longer waiting to be asked. None if there is nothing to redo (or
        its question is no longer in the content: the answer is still re-applied)."""
        qid = self.study.redo()
        if qid is None:
            return None
        if qid in self._front:
            self._front.remove(qid)
        counted = self._undone.pop() if self._undone else None
        if counted is not None:
            self._record(counted)
            return counted
        return self.study.last_answer()

    def bury(self, question: Question) -> None:
        self.study.bury(question.id)
        if self._showing == question.id:
            self._showing = None
        for source in (self._front, self._reviews, self._new, self._learning):
            if question.id in source:
                source.remove(question.id)
