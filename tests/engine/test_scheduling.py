"""Scheduling with a frozen clock: grading, queue order, limits, the 4 a.m. day, undo."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating, State

from studyguide.engine import queue
from studyguide.engine.cards import card_id_for
from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import LEECH_LAPSES, UNDO_DEPTH, Study
from studyguide.progress.document import ProgressDocument
from tests.factories import right, wrong


def reload(study: Study) -> Study:
    """A restart: the document goes through its file text and back."""
    doc = ProgressDocument.from_dict(json.loads(study.doc.to_json()))
    return Study(study.course, doc, study.clock)


def test_card_id_is_stable_and_distinct():
    assert card_id_for("m1-q01") == card_id_for("m1-q01")
    assert card_id_for("m1-q01") != card_id_for("m1-q02")
    assert 0 < card_id_for("x") < 2**48


def test_right_is_good_wrong_is_again_and_the_log_records_it(study, course):
    q1, q2 = course.questions[:2]
    first = study.answer(q1.id, right(q1), 4200)
    second = study.answer(q2.id, wrong(q2), 900)
    assert (first.correct, first.rating) == (True, Rating.Good)
    assert (second.correct, second.rating) == (False, Rating.Again)
    assert [(e["qid"], e["rating"], e["correct"], e["ms"]) for e in study.doc.log] == [
        (q1.id, 3, True, 4200),
        (q2.id, 1, False, 900),
    ]
    assert study.doc.log[1]["picked"] == ["Wrong answer one"]
    assert study.doc.log[0]["time"] == "2026-01-13T15:00:00+00:00"
    assert study.doc.cards[q1.id]["card_id"] == card_id_for(q1.id)


def test_multiple_needs_exactly_the_correct_set(study, course):
    question = course.questions[0]
    assert not study.answer(question.id, [0, 1], 100).correct


def test_rate_last_turns_good_into_hard_or_easy(study, course):
    q = course.questions[0]
    study.answer(q.id, right(q), 1000)
    good_due = study.card(q.id).due
    easy = study.rate_last(Rating.Easy)
    assert easy.rating == Rating.Easy and easy.due > good_due
    assert len(study.doc.log) == 1 and study.doc.log[0]["rating"] == 4
    hard = study.rate_last(Rating.Hard)
    assert hard.due <= good_due and study.doc.log[0]["rating"] == 2


def test_rate_last_refuses_a_wrong_answer(study, course):
    q = course.questions[0]
    study.answer(q.id, wrong(q), 1000)
    with pytest.raises(ValueError):
        study.rate_last(Rating.Easy)


def test_new_questions_come_in_curriculum_order(study, course):
    session = ReviewSession(study)
    ids = [session.next().id for _ in range(12)]
    assert ids[:10] == [f"m1-q{n:02d}" for n in range(1, 11)]
    assert ids[10:] == ["m2-q01", "m2-q02"]


def test_due_reviews_come_first_most_at_risk_first(study, course, clock):
    stable, shaky = course.questions[0], course.questions[1]
    # Both graduate to review; the shaky one with Hard, so it is less stable.
    for q, rating in ((stable, Rating.Easy), (shaky, Rating.Hard)):
        study.answer(q.id, right(q), 1000)
        study.rate_last(rating)
    clock.advance(days=60)
    session = ReviewSession(study)
    assert study.retrievability(shaky.id) < study.retrievability(stable.id)
    assert [session.next().id, session.next().id] == [shaky.id, stable.id]
    assert session.next().id == course.questions[2].id  # then new ones


def test_daily_new_limit_and_its_reset_at_4am(study, course, clock):
    study.set_setting("new_per_day", 3)
    for question in list(queue.plan(study)[1]):
        study.answer(question, [0], 500)
    assert queue.plan(study)[1] == []
    assert queue.today_counts(study).new == 3
    # 03:59 local the next day is still the same study day ...
    clock.current = datetime(2026, 1, 14, 8, 59, tzinfo=UTC)
    assert queue.plan(study)[1] == []
    # ... and at 04:00 local a new day begins.
    clock.current = datetime(2026, 1, 14, 9, 0, tzinfo=UTC)
    assert len(queue.plan(study)[1]) == 3


def test_daily_review_limit(study, course, clock):
    for q in course.questions[:6]:
        study.answer(q.id, right(q), 500)
        study.rate_last(Rating.Easy)
    clock.advance(days=40)
    study.set_setting("reviews_per_day", 4)
    due, _new, total = queue.plan(study)
    assert (len(due), total) == (4, 6)
    for qid in due[:3]:
        study.answer(qid, [0], 500)
    assert len(queue.plan(study)[0]) == 1


def test_session_limited_to_a_module_or_a_tag(study, course):
    by_module = ReviewSession(study, module="m2")
    assert {by_module.next().module for _ in range(10)} == {"m2"}
    assert by_module.next() is None
    by_tag = ReviewSession(study, tag="even")
    seen = [by_tag.next() for _ in range(15)]
    assert all("even" in q.tags for q in seen)


def test_a_wrong_answer_comes_back_in_the_same_session(study, course, clock):
    session = ReviewSession(study, module="m1")
    first = session.next()
    session.answer(first, wrong(first), 800)
    for _ in range(9):
        q = session.next()
        assert q.id != first.id
        session.answer(q, right(q), 800)
    # Nothing else left: the learning step (1 minute) is taken early.
    assert session.next().id == first.id


def test_leech_after_eight_lapses(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 500)
    study.rate_last(Rating.Easy)
    for lapse in range(1, LEECH_LAPSES + 1):
        clock.advance(days=30)
        study.answer(q.id, wrong(q), 500)
        assert study.lapses(q.id) == lapse
        clock.advance(days=1)
        study.answer(q.id, right(q), 500)
        study.rate_last(Rating.Easy)
    assert study.is_leech(q.id)
    assert study.doc.flags[q.id]["leech"] is True
    assert study.card(q.id).state == State.Review


def test_undo_restores_the_card_exactly_and_removes_the_log_entry(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 500)
    before = json.dumps(study.doc.cards[q.id], sort_keys=True)
    clock.advance(minutes=15)
    study.answer(q.id, wrong(q), 700)
    assert study.undo() == q.id
    assert json.dumps(study.doc.cards[q.id], sort_keys=True) == before
    assert len(study.doc.log) == 1
    assert study.undo() == q.id
    assert q.id not in study.doc.cards and study.doc.log == []
    assert study.undo() is None


def test_undo_keeps_thirty_steps(study, course):
    answered = [course.questions[i % len(course.questions)].id for i in range(UNDO_DEPTH + 5)]
    for qid in answered:
        study.answer(qid, [0], 100)
    undone = [study.undo() for _ in range(UNDO_DEPTH + 1)]
    assert undone[-1] is None
    assert undone[:-1] == answered[::-1][:UNDO_DEPTH]
    assert len(study.doc.log) == 5


def test_undo_works_after_a_restart(study, course, clock):
    q1, q2 = course.questions[:2]
    study.answer(q1.id, right(q1), 100)
    snapshot = json.dumps(study.doc.cards, sort_keys=True)
    study.answer(q2.id, wrong(q2), 100)
    restarted = reload(study)
    assert restarted.undo() == q2.id
    assert json.dumps(restarted.doc.cards, sort_keys=True) == snapshot
    assert [e["qid"] for e in restarted.doc.log] == [q1.id]


def test_session_undo_asks_the_question_again(study, course):
    session = ReviewSession(study)
    first = session.next()
    session.answer(first, wrong(first), 100)
    assert session.stats.answered == 1
    assert session.undo().id == first.id
    assert session.stats.answered == 0
    assert session.next().id == first.id


def test_bury_hides_until_the_next_study_day(study, course, clock):
    session = ReviewSession(study)
    q = session.next()
    session.bury(q)
    assert study.doc.buried[q.id] == "2026-01-14T09:00:00+00:00"  # 4 a.m. in Boston
    assert q.id not in queue.plan(study)[1]
    clock.current = datetime(2026, 1, 14, 9, 0, 1, tzinfo=UTC)
    assert queue.plan(study)[1][0] == q.id


def test_flag_keeps_a_note(study, course):
    q = course.questions[0]
    study.flag(q.id, "  The feedback for\nchoice B is unclear ")
    assert study.doc.flags[q.id]["note"] == "The feedback for choice B is unclear"


def test_settings_are_range_checked(study):
    study.set_setting("desired_retention", 0.85)
    assert study.scheduler.desired_retention == 0.85
    with pytest.raises(ValueError):
        study.set_setting("desired_retention", 0.99)


def test_editing_content_keeps_history(study, course, tmp_path):
    from studyguide.course import load_content

    q = course.questions[0]
    study.answer(q.id, right(q), 100)
    bank = next((tmp_path / "course" / "banks").glob("*m1.yaml"))
    text = bank.read_text()
    # Reorder the choices of every question and fix a "typo" in the prompt.
    text = text.replace("      - {text: Right answer, correct: true, feedback: Yes.}\n", "")
    text = text.replace(
        "      - {text: Wrong answer three, feedback: No.}\n",
        "      - {text: Wrong answer three, feedback: No.}\n"
        "      - {text: Right answer, correct: true, feedback: Yes.}\n",
    )
    bank.write_text(text.replace("Question 1 of m1?", "Question one of m1?"))
    edited = load_content([tmp_path / "course"]).course
    again = Study(edited, study.doc, study.clock)
    new_q = edited.by_id[q.id]
    assert new_q.correct_indexes == {3}
    assert again.doc.cards[q.id]["reps"] == 1
    assert q.id not in queue.plan(again)[1]


def test_removed_question_keeps_its_record(study, course, tmp_path):
    from dataclasses import replace

    from studyguide.course.model import Course

    q = course.questions[0]
    study.answer(q.id, right(q), 100)
    banks = tuple(
        replace(b, questions=b.questions[1:]) if b.module == "m1" else b for b in course.banks
    )
    smaller = Course(course.lessons, banks, course.exam)
    without = Study(smaller, study.doc, study.clock)
    without.answer(smaller.questions[0].id, [0], 100)
    assert q.id in without.doc.cards
    back = Study(course, without.doc, study.clock)
    assert back.doc.cards[q.id]["reps"] == 1


def test_clock_going_backwards_never_gives_a_negative_interval(study, course, clock):
    q = course.questions[0]
    study.answer(q.id, right(q), 100)
    last = study.card(q.id).last_review
    clock.advance(hours=-5)
    study.answer(q.id, right(q), 100)
    card = study.card(q.id)
    assert card.last_review >= last
    assert card.due >= card.last_review
    assert card.due - card.last_review >= timedelta(0)
