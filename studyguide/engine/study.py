"""The learner's study state over one course: answering, undo and redo, burying, flags,
settings.

Every change goes through `Study`, which updates the progress document and hands it to
`save` (the store's background saver in the app, a synchronous save in scripts) at once,
so a crash loses at most the answer being written.

Undo records live in the progress file, so undo reaches across restarts; each one says
when the answer was given ("time"), the order its choices were shown in ("order") and
the app session that made it ("session"). Redo lives in memory only and is cleared by
any new answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from studyguide.course.model import Course, Question
from studyguide.engine.cards import card_from_record, card_record, new_card
from studyguide.engine.clock import Clock, next_day_start, parse_time
from studyguide.progress.document import ProgressDocument
from studyguide.progress.schema import SETTING_RANGES

UNDO_DEPTH = 30
LEECH_LAPSES = 8
NOTE_MAX = 500


@dataclass(frozen=True)
class Answer:
    question: Question
    picked: frozenset[int]  # indexes into question.choices, in the file's order
    correct: bool
    rating: Rating
    due: datetime  # when the question is due next
    was_new: bool
    order: tuple[int, ...] | None = None  # choice indexes in the order they were shown


@dataclass(frozen=True)
class UndoStep:
    """What the next undo (or redo) would change, so the app can say so first."""

    qid: str
    time: datetime | None  # when the answer was given; None for a record that cannot tell
    order: tuple[int, ...] | None  # the choices as they were shown; None: not recorded
    earlier_session: bool  # made by an earlier run of the app


@dataclass
class _Redo:
    """An undone answer, kept to re-apply exactly: the same record, log entry and card."""

    record: dict[str, Any]
    entry: dict[str, Any] | None  # the log entry undo removed (None: it removed none)
    card: dict[str, Any] | None  # the card record after the answer
    flag: dict[str, Any] | None  # a leech flag the undo took away


def new_session_id() -> str:
    return uuid.uuid4().hex[:12]


def shown_order(order: Any, choices: int) -> tuple[int, ...] | None:
    """A recorded display order, if it still fits a question with `choices` choices."""
    if not isinstance(order, list | tuple) or not all(type(i) is int for i in order):
        return None
    return tuple(order) if sorted(order) == list(range(choices)) else None


def grade(question: Question, picked: Iterable[int]) -> bool:
    """Right only when exactly the correct choices were picked."""
    return frozenset(picked) == question.correct_indexes


class Study:
    def __init__(
        self,
        course: Course,
        doc: ProgressDocument,
        clock: Clock | None = None,
        save: Callable[[ProgressDocument], None] | None = None,
        session: str | None = None,
    ) -> None:
        self.course = course
        self.doc = doc
        self.clock = clock or Clock()
        self._save = save or (lambda _doc: None)
        self._cards: dict[str, Card] = {}
        self._scheduler: Scheduler | None = None
        # This run of the app: undo records of other sessions are from earlier runs.
        self.session = session or new_session_id()
        self._redo: list[_Redo] = []
        self._reached_back = False  # an undo already went into an earlier session

    # --- reading state -------------------------------------------------------

    @property
    def settings(self) -> dict:
        return self.doc.settings

    @property
    def scheduler(self) -> Scheduler:
        retention = float(self.settings["desired_retention"])
        if self._scheduler is None or self._scheduler.desired_retention != retention:
            self._scheduler = Scheduler(desired_retention=retention)
        return self._scheduler

    def card(self, qid: str) -> Card | None:
        """The FSRS card of a question, or None while it is new. Cached; do not mutate."""
        cached = self._cards.get(qid)
        if cached is None:
            record = self.doc.cards.get(qid)
            if record is None:
                return None
            cached = self._cards[qid] = card_from_record(record)
        return cached

    def retrievability(self, qid: str, now: datetime | None = None) -> float:
        card = self.card(qid)
        if card is None:
            return 0.0
        return self.scheduler.get_card_retrievability(card, now or self.clock.now())

    def lapses(self, qid: str) -> int:
        return int(self.doc.cards.get(qid, {}).get("lapses", 0))

    def is_leech(self, qid: str) -> bool:
        return self.lapses(qid) >= LEECH_LAPSES

    def is_buried(self, qid: str, now: datetime | None = None) -> bool:
        until = self.doc.buried.get(qid)
        return until is not None and parse_time(until) > (now or self.clock.now())

    # --- answering -----------------------------------------------------------

    def answer(
        self,
        question: Question | str,
        picked: Iterable[int],
        duration_ms: int,
        order: Sequence[int] | None = None,
    ) -> Answer:
        """Grade `picked` against `question`: pass the Question the learner was shown, so
        an edit reloaded meanwhile cannot change what the answer meant. An id (scripts,
        tests) is looked up in the current course. `order`: the choice indexes as they were
        shown, kept so an undo can show the question again exactly as it was."""
        if isinstance(question, str):
            question = self._question(question)
        chosen = frozenset(picked)
        correct = grade(question, chosen)
        rating = Rating.Good if correct else Rating.Again
        shown = shown_order(list(order), len(question.choices)) if order is not None else None
        return self._review(
            question, chosen, correct, rating, max(0, int(duration_ms)), order=shown
        )

    def rate_last(self, rating: Rating, question: Question | None = None) -> Answer:
        """Change a right answer's Good to Hard (a guess) or Easy, before moving on.

        `question` is the version that was answered (the one shown); without it the
        current course's version is used, and LookupError says when it is gone."""
        if rating not in (Rating.Hard, Rating.Good, Rating.Easy):
            raise ValueError("only a right answer can be re-rated, to Hard, Good or Easy")
        if not self.doc.undo:
            raise LookupError("there is no answer to re-rate")
        entry = self.doc.log[-1]
        if not entry["correct"]:
            raise ValueError("a wrong answer is always Again")
        if question is None or question.id != entry["qid"]:
            question = self._question(entry["qid"])
        picked = question.correct_indexes  # a right answer picked exactly these
        when, duration = parse_time(entry["time"]), entry["ms"]
        record = self._unapply().record
        order = shown_order(record.get("order"), len(question.choices))
        return self._review(
            question, picked, True, rating, duration, when, order, record.get("session")
        )

    def _question(self, qid: str) -> Question:
        question = self.course.by_id.get(qid)
        if question is None:
            raise LookupError(f"question {qid!r} is no longer in the content")
        return question

    def _review(
        self, question, picked, correct, rating, duration_ms, when=None, order=None, session=None
    ) -> Answer:
        self._redo.clear()  # a new answer: what was undone can no longer be redone
        now = when or self.clock.now()
        qid = question.id
        before = self.doc.cards.get(qid)
        card = self.card(qid) or new_card(qid, now)
        if card.last_review is not None and now < card.last_review:
            now = card.last_review  # the clock went backwards: never a negative interval
        reps = int(before.get("reps", 0)) if before else 0
        lapses = int(before.get("lapses", 0)) if before else 0
        if rating == Rating.Again and card.state == State.Review:
            lapses += 1
        updated, _log = self.scheduler.review_card(card, rating, now, duration_ms)
        self.doc.cards[qid] = card_record(updated, reps + 1, lapses)
        self._cards[qid] = updated
        record = {"qid": qid, "card": before, "log_len": len(self.doc.log)}
        record["time"] = now.isoformat()
        if order is not None:
            record["order"] = list(order)
        record["session"] = session or self.session
        self.doc.undo.append(record)
        del self.doc.undo[:-UNDO_DEPTH]
        self.doc.append_log(
            {
                "qid": qid,
                "time": now.isoformat(),
                "rating": int(rating),
                "picked": [question.choices[i].text for i in sorted(picked)],
                "correct": correct,
                "ms": duration_ms,
                "new": before is None,
                # FSRS state before this answer (0: new), so true retention can be measured
                "state": int(before["state"]) if before else 0,
            }
        )
        if lapses >= LEECH_LAPSES and qid not in self.doc.flags:
            self.doc.flags[qid] = {
                "note": "leech: answered wrong 8 times",
                "time": now.isoformat(),
                "leech": True,
            }
        self._save(self.doc)
        return Answer(question, picked, correct, rating, updated.due, before is None, order)

    # --- undo and redo -----------------------------------------------------------

    def undo(self) -> str | None:
        """Undo the last answer: restore its card exactly and remove its log entry.
        It can be redone until the next answer."""
        if not self.doc.undo:
            return None
        if self._is_earlier(self.doc.undo[-1]):
            self._reached_back = True
        undone = self._unapply()
        self._redo.append(undone)
        self._save(self.doc)
        return undone.record["qid"]

    def redo(self) -> str | None:
        """Re-apply the answer undone last, exactly: the same card, log entry and time."""
        if not self._redo:
            return None
        undone = self._redo.pop()
        qid = undone.record["qid"]
        if undone.entry is not None:
            self.doc.append_log(undone.entry)
        if undone.card is None:
            self.doc.cards.pop(qid, None)
        else:
            self.doc.cards[qid] = undone.card
        self._cards.pop(qid, None)
        if undone.flag is not None:
            self.doc.flags[qid] = undone.flag
        self.doc.undo.append(undone.record)
        self._save(self.doc)
        return qid

    def _unapply(self) -> _Redo:
        record = self.doc.undo.pop()
        qid = record["qid"]
        entry = None
        if len(self.doc.log) == record["log_len"] + 1 and self.doc.log[-1]["qid"] == qid:
            entry = self.doc.pop_log()
        after = self.doc.cards.get(qid)
        if record["card"] is None:
            self.doc.cards.pop(qid, None)
        else:
            self.doc.cards[qid] = record["card"]
        self._cards.pop(qid, None)
        flag = self.doc.flags.get(qid)
        removed = None
        if flag and flag.get("leech") and not self.is_leech(qid):
            removed = self.doc.flags.pop(qid)
        return _Redo(record, entry, after, removed)

    @property
    def can_undo(self) -> bool:
        return bool(self.doc.undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def next_undo(self) -> UndoStep | None:
        """What `undo` would take back now, or None."""
        if not self.doc.undo:
            return None
        record = self.doc.undo[-1]
        entry = None
        log_len = record.get("log_len")
        if isinstance(log_len, int) and 0 <= log_len < len(self.doc.log):
            entry = self.doc.log[log_len]
            if entry.get("qid") != record["qid"]:
                entry = None
        return self._step(record, entry)

    def next_redo(self) -> UndoStep | None:
        """What `redo` would re-apply now, or None."""
        if not self._redo:
            return None
        undone = self._redo[-1]
        return self._step(undone.record, undone.entry)

    def undo_needs_asking(self) -> bool:
        """True when the next undo is the first of this session to reach into an earlier
        one: the learner may not remember that answer, so the app asks first."""
        if not self.doc.undo or self._reached_back:
            return False
        return self._is_earlier(self.doc.undo[-1])

    def _is_earlier(self, record: dict) -> bool:
        return record.get("session") != self.session

    def _step(self, record: dict, entry: dict | None) -> UndoStep:
        qid = record["qid"]
        stamp = record.get("time")
        if not isinstance(stamp, str) and entry is not None:
            stamp = entry.get("time")  # an older record: its log entry knows the time
        moment = None
        if isinstance(stamp, str):
            try:
                moment = parse_time(stamp)
            except ValueError:
                moment = None
        question = self.course.by_id.get(qid)
        order = None
        if question is not None:
            order = shown_order(record.get("order"), len(question.choices))
        return UndoStep(qid, moment, order, self._is_earlier(record))

    def last_answer(self) -> Answer | None:
        """The most recent answer as an Answer (after a redo), if its question is loaded."""
        if not self.doc.undo or not self.doc.log:
            return None
        record, entry = self.doc.undo[-1], self.doc.log[-1]
        question = self.course.by_id.get(record["qid"])
        if question is None or entry["qid"] != question.id:
            return None
        texts = set(entry["picked"])
        picked = frozenset(i for i, c in enumerate(question.choices) if c.text in texts)
        card = self.card(question.id)
        due = card.due if card is not None else self.clock.now()
        order = shown_order(record.get("order"), len(question.choices))
        rating = Rating(entry["rating"])
        return Answer(
            question, picked, entry["correct"], rating, due, bool(entry.get("new")), order
        )

    # --- other actions ---------------------------------------------------------

    def bury(self, qid: str) -> datetime:
        """Hide a question until the next study day begins."""
        until = next_day_start(self.clock.now(), self.clock.local_tz())
        self.doc.buried[qid] = until.isoformat()
        self._save(self.doc)
        return until

    def flag(self, qid: str, note: str = "") -> None:
        clean = " ".join(note.split())[:NOTE_MAX]
        self.doc.flags[qid] = {"note": clean, "time": self.clock.now().isoformat()}
        self._save(self.doc)

    def unflag(self, qid: str) -> None:
        if self.doc.flags.pop(qid, None) is not None:
            self._save(self.doc)

    def set_setting(self, key: str, value) -> None:
        if key in SETTING_RANGES:
            low, high = SETTING_RANGES[key]
            if not low <= value <= high:
                raise ValueError(f"{key} must be between {low} and {high}")
        elif key not in self.settings:
            raise KeyError(key)
        self.settings[key] = value
        self._save(self.doc)

    def reset_module(self, module_id: str) -> int:
        """Forget the schedule of one module's questions. The review log is kept."""
        qids = {q.id for q in self.course.module_questions(module_id)}
        removed = [qid for qid in qids if self.doc.cards.pop(qid, None) is not None]
        for qid in qids:
            self._cards.pop(qid, None)
            self.doc.buried.pop(qid, None)
        # Undo records could bring reset cards back; a reset is deliberate, so drop them.
        self.doc.undo.clear()
        self._redo.clear()
        self._save(self.doc)
        return len(removed)

    def set_lesson_position(self, module_id: str, section_id: str) -> None:
        if self.doc.lesson_positions.get(module_id) != section_id:
            self.doc.lesson_positions[module_id] = section_id
            self._save(self.doc)

    def read_page(self, module_id: str, page_id: str) -> None:
        """A lesson page was opened: it is where the learner is, and it counts as read."""
        read = self.doc.pages_read.setdefault(module_id, [])
        moved = self.doc.lesson_positions.get(module_id) != page_id
        if page_id not in read:
            read.append(page_id)
        elif not moved:
            return
        self.doc.lesson_positions[module_id] = page_id
        self._save(self.doc)

    def record_exam(self, attempt: dict) -> None:
        """Keep a finished practice-exam attempt. The schedule is not touched.

        The exam in progress is cleared in the same save, so a crash can never leave
        both the attempt and an exam to resume."""
        self.doc.exams.append(attempt)
        self.doc.exam_in_progress = None
        self._save(self.doc)

    def save_exam_in_progress(self, record: dict) -> None:
        """Keep the exam being sat (`engine.exam_resume.in_progress_record`), so it can be
        resumed after a crash. The schedule is not touched."""
        self.doc.exam_in_progress = record
        self._save(self.doc)

    def discard_exam_in_progress(self) -> None:
        """Forget the exam being sat (abandoned, or discarded on start); nothing is recorded."""
        if self.doc.exam_in_progress is not None:
            self.doc.exam_in_progress = None
            self._save(self.doc)

    def save(self) -> None:
        self._save(self.doc)
