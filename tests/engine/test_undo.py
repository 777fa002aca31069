"""Undo that says what it does, across restarts, and redo that re-applies exactly."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fsrs import Rating

from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import LEECH_LAPSES, Study
from studyguide.progress.document import ProgressDocument
from tests.factories import right, wrong


def restart(study: Study) -> Study:
    """A new run of the app: the document through its file text, a new session."""
    doc = ProgressDocument.from_dict(json.loads(study.doc.to_json()))
    return Study(study.course, doc, study.clock)


def state(study: Study) -> str:
    """Everything an answer changes, as text, to compare exactly."""
    return json.dumps(
        {"cards": study.doc.cards, "log": study.doc.log, "flags": study.doc.flags},
        sort_keys=True,
    )


def test_an_undo_record_says_when_in_what_order_and_in_which_session(study, course):
    q = course.questions[0]
    study.answer(q.id, wrong(q), 500, order=[2, 0, 3, 1])
    record = study.doc.undo[-1]
    assert record["time"] == "2026-01-13T15:00:00+00:00"
    assert record["order"] == [2, 0, 3, 1]
    assert record["session"] == study.session
    # The record is plain JSON: it survives the file.
    again = restart(study).doc.undo[-1]
    assert again == record


def test_an_order_that_does_not_fit_the_question_is_not_recorded(study, course):
    q = course.questions[0]
    study.answer(q.id, wrong(q), 500, order=[0, 1])
    assert "order" not in study.doc.undo[-1]


def test_next_undo_names_the_question_time_and_order(study, course, clock):
    q1, q2 = course.questions[:2]
    study.answer(q1.id, right(q1), 100, order=[1, 0, 2, 3])
    clock.advance(minutes=3)
    study.answer(q2.id, wrong(q2), 100, order=[3, 2, 1, 0])
    step = study.next_undo()
    assert step.qid == q2.id
    assert step.time == datetime(2026, 1, 13, 15, 3, tzinfo=UTC)
    assert step.order == (3, 2, 1, 0)
    assert not step.earlier_session
    study.undo()
    assert study.next_undo().order == (1, 0, 2, 3)


def test_an_undo_into_an_earlier_session_is_asked_once(study, course):
    q1, q2, q3 = course.questions[:3]
    study.answer(q1.id, right(q1), 100)
    study.answer(q2.id, right(q2), 100)
    assert not study.undo_needs_asking()  # this session's own answer
    later = restart(study)
    later.answer(q3.id, right(q3), 100)
    assert not later.undo_needs_asking()
    assert later.undo() == q3.id
    assert later.next_undo().earlier_session
    assert later.undo_needs_asking()
    assert later.undo() == q2.id
    # Once the learner has agreed to reach back, the next undo does not ask again.
    assert later.next_undo().earlier_session and not later.undo_needs_asking()
    assert later.undo() == q1.id


def test_a_record_from_before_these_keys_still_undoes(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 100)
    for key in ("time", "order", "session"):
        study.doc.undo[-1].pop(key, None)
    later = restart(study)
    step = later.next_undo()
    # The log entry still knows when it was answered; the order is simply unknown.
    assert step.time == datetime(2026, 1, 13, 15, 0, tzinfo=UTC)
    assert step.order is None and step.earlier_session
    assert later.undo_needs_asking()
    assert later.undo() == q.id
    assert q.id not in later.doc.cards and later.doc.log == []


def test_redo_reapplies_exactly_what_undo_took_back(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 400, order=[0, 1, 2, 3])
    clock.advance(days=3)
    study.answer(q.id, wrong(q), 700, order=[3, 1, 2, 0])
    after = state(study)
    records = json.dumps(study.doc.undo)
    assert study.undo() == q.id
    assert study.can_redo and study.next_redo().order == (3, 1, 2, 0)
    clock.advance(hours=5)  # a redo later on is still the answer given then
    assert study.redo() == q.id
    assert state(study) == after
    assert json.dumps(study.doc.undo) == records
    assert study.doc.log[-1]["time"] == "2026-01-16T15:00:00+00:00"
    assert not study.can_redo and study.redo() is None


def test_redo_restores_the_fsrs_card_not_a_fresh_review(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 400)
    study.rate_last(Rating.Easy)
    clock.advance(days=20)
    study.answer(q.id, right(q), 400)
    card_after = dict(study.doc.cards[q.id])
    due_after = study.card(q.id).due
    study.undo()
    clock.advance(days=10)  # a fresh review now would schedule differently
    study.redo()
    assert study.doc.cards[q.id] == card_after
    assert study.card(q.id).due == due_after


def test_several_undos_redo_in_reverse(study, course):
    questions = course.questions[:4]
    for q in questions:
        study.answer(q.id, wrong(q), 100)
    after = state(study)
    assert [study.undo() for _ in range(3)] == [q.id for q in questions[:0:-1]]
    assert [study.redo() for _ in range(3)] == [q.id for q in questions[1:]]
    assert state(study) == after


def test_a_new_answer_clears_redo(study, course):
    q1, q2 = course.questions[:2]
    study.answer(q1.id, right(q1), 100)
    study.undo()
    assert study.can_redo
    study.answer(q2.id, right(q2), 100)
    assert not study.can_redo and study.redo() is None


def test_redo_survives_a_restart_only_as_undo(study, course):
    q = course.questions[0]
    study.answer(q.id, right(q), 100)
    study.undo()
    assert study.can_redo
    assert not restart(study).can_redo  # redo lives in memory only


def test_redo_gives_back_a_leech_flag_the_undo_removed(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 500)
    study.rate_last(Rating.Easy)
    for _lapse in range(LEECH_LAPSES):
        clock.advance(days=30)
        study.answer(q.id, wrong(q), 500)
        clock.advance(days=1)
        study.answer(q.id, right(q), 500)
        study.rate_last(Rating.Easy)
    clock.advance(days=30)
    study.undo()  # the last right answer
    assert study.is_leech(q.id)
    flags = dict(study.doc.flags)
    study.undo()  # the eighth lapse: no longer a leech
    assert q.id not in study.doc.flags
    study.redo()
    assert study.doc.flags == flags


def test_rate_last_keeps_the_order_and_session(study, course):
    q = course.questions[0]
    answer = study.answer(q.id, right(q), 100, order=[1, 2, 3, 0])
    assert answer.order == (1, 2, 3, 0)
    rated = study.rate_last(Rating.Hard)
    assert rated.order == (1, 2, 3, 0)
    assert study.doc.undo[-1]["order"] == [1, 2, 3, 0]
    assert study.doc.undo[-1]["session"] == study.session
    assert len(study.doc.undo) == 1


def test_session_redo_counts_the_answer_again_and_skips_its_question(study, course):
    session = ReviewSession(study)
    first = session.next()
    answer = session.answer(first, wrong(first), 100, order=[3, 2, 1, 0])
    second = session.next()
    session.put_back(second)  # shown, not answered
    session.undo()
    assert session.stats.answered == 0
    assert session.next().id == first.id  # asked again ...
    session.put_back(first)
    redone = session.redo()  # ... but redone before it was answered
    assert redone is answer and redone.order == (3, 2, 1, 0)
    assert (session.stats.answered, session.stats.right) == (1, 0)
    assert session.next().id == second.id
    assert session.next().id != first.id


def test_session_redo_of_an_earlier_sessions_answer_is_not_counted(study, course):
    q = course.questions[0]
    study.answer(q.id, wrong(q), 100, order=[1, 0, 2, 3])
    later = restart(study)
    session = ReviewSession(later)
    session.undo()
    redone = session.redo()
    assert redone.question.id == q.id and not redone.correct
    assert redone.picked == frozenset(wrong(q)) and redone.order == (1, 0, 2, 3)
    assert session.stats.answered == 0


def test_undo_and_redo_each_hand_the_document_to_the_saver(course, clock):
    saves = []
    study = Study(course, ProgressDocument.new(), clock, save=saves.append)
    q = course.questions[0]
    study.answer(q.id, right(q), 100)
    study.undo()
    study.redo()
    assert len(saves) == 3 and all(doc is study.doc for doc in saves)
    assert study.redo() is None and len(saves) == 3  # nothing to redo: nothing to save
