"""Each figure of issue 9 defined once in the engine, tested with a frozen clock:
answers today, mastery, readiness with too little evidence, what is due later today,
when the figures change on their own, and the session counts that close in on zero."""

from __future__ import annotations

from datetime import timedelta

from fsrs import State

from studyguide.engine import queue
from studyguide.engine.queue import ReviewSession
from studyguide.engine.readiness import (
    MIN_ANSWERS,
    guess_chance,
    prior_chance,
    readiness,
    studied_needed,
)
from studyguide.engine.stats import (
    due_later_today,
    module_mastery,
    next_change,
    overview,
    plural,
    reviews_per_day,
)
from studyguide.engine.study import Study
from tests.factories import right, wrong


def learn(study: Study, clock, question, first_right: bool = True) -> None:
    """Answer a question, then take it right through its learning steps to review."""
    study.answer(question.id, right(question) if first_right else wrong(question), 1000)
    while study.card(question.id).state != State.Review:
        clock.current = max(clock.current, study.card(question.id).due)
        study.answer(question.id, right(question), 1000)


# --- answers today -------------------------------------------------------------------


def test_answers_today_counts_every_answer_and_questions_the_distinct_ones(study, course):
    """The bug: 12 answers (one question missed and asked again) showed as 11."""
    questions = course.questions[:11]
    study.answer(questions[0].id, wrong(questions[0]), 1000)
    for q in questions:
        study.answer(q.id, right(q), 1000)
    counts = queue.today_counts(study)
    assert (counts.answers, counts.questions, counts.new) == (12, 11, 11)
    view = overview(study)
    assert (view.answers_today, view.questions_today) == (12, 11)
    # The chart counts the same thing as "answers today".
    assert reviews_per_day(study, 30)[-1][1] == view.answers_today


def test_answers_before_4am_belong_to_yesterday(study, course, clock):
    q = course.questions[0]
    clock.current = clock.current.replace(hour=8, minute=30)  # 3:30 in Boston
    study.answer(q.id, right(q), 1000)
    clock.advance(hours=1)  # 4:30: a new study day
    assert queue.today_counts(study).answers == 0
    study.answer(q.id, right(q), 1000)
    assert overview(study).answers_today == 1


# --- mastery ---------------------------------------------------------------------------


def test_mastery_is_not_the_share_studied_after_misses(study, course, clock):
    """The bug: after 4 misses in 12 answers, mastery read 44% = 11/25, the share
    studied. Missed questions are not mastered, even after their relearning step."""
    module = course.module_questions("m1")
    for n, q in enumerate(module):
        learn(study, clock, q, first_right=n >= 4)
    m1 = module_mastery(study, clock.now())[0]
    assert m1.studied == 10
    assert m1.mastered == 6 and m1.mastery == 0.6
    # The missed four count once they are answered right at a later review.
    for q in module[:4]:
        clock.current = max(clock.current, study.card(q.id).due)
        study.answer(q.id, right(q), 1000)
    m1 = module_mastery(study, clock.now())[0]
    assert m1.mastered == 10


def test_a_miss_after_review_unmasters_until_the_next_right_review(study, course, clock):
    q = course.module_questions("m1")[0]
    learn(study, clock, q)
    assert module_mastery(study, clock.now())[0].mastered == 1
    clock.current = study.card(q.id).due
    study.answer(q.id, wrong(q), 1000)  # a lapse: relearning
    assert module_mastery(study, clock.now())[0].mastered == 0
    clock.current = study.card(q.id).due
    study.answer(q.id, right(q), 1000)  # the relearning step, minutes later
    assert study.card(q.id).state == State.Review
    assert module_mastery(study, clock.now())[0].mastered == 0
    clock.current = study.card(q.id).due
    study.answer(q.id, right(q), 1000)  # right at a later review
    assert module_mastery(study, clock.now())[0].mastered == 1


def test_mastery_lapses_as_recall_falls_below_the_desired_retention(study, course, clock):
    q = course.module_questions("m1")[0]
    learn(study, clock, q)
    due = study.card(q.id).due
    assert module_mastery(study, due - timedelta(hours=1))[0].mastered == 1
    # FSRS schedules the review where recall falls to the desired retention.
    assert module_mastery(study, due + timedelta(days=3))[0].mastered == 0
    study.set_setting("desired_retention", 0.7)
    assert module_mastery(study, due + timedelta(days=3))[0].mastered == 1


def test_a_question_still_in_learning_steps_is_not_mastered(study, course):
    q = course.module_questions("m1")[0]
    study.answer(q.id, right(q), 1000)
    assert study.card(q.id).state == State.Learning
    assert module_mastery(study, study.clock.now())[0].mastered == 0


# --- readiness -------------------------------------------------------------------------


def test_readiness_prior_starts_at_guessing_and_moves_to_first_answer_accuracy(
    study, course, clock
):
    q = course.questions[0]
    assert guess_chance(q) == 0.25
    assert prior_chance(q, 0, 0) == 0.25
    # Ten first answers, all right: halfway from 25% to 100%.
    assert prior_chance(q, 10, 10) == 0.625
    assert prior_chance(q, 1000, 1000) > 0.99
    assert readiness(study).prior == 0.25
    for other in course.questions[20:30]:  # module 3, all right first time
        study.answer(other.id, right(other), 1000)
    assert round(readiness(study).prior, 4) == 0.625


def test_readiness_needs_twenty_answers_and_a_tenth_of_the_pool(study, course, clock):
    ready = readiness(study)
    assert ready.pool == 30 and studied_needed(30) == 3
    assert ready.shown is None and not ready.likely_pass
    assert ready.needed == "20 more answers and 3 more of the 30 exam questions studied"
    q = course.questions[0]
    for _ in range(MIN_ANSWERS - 1):
        study.answer(q.id, right(q), 1000)
    ready = readiness(study)
    assert ready.answers == 19 and ready.shown is None
    assert ready.needed == "1 more answer and 2 more of the 30 exam questions studied"
    for other in course.questions[1:3]:
        study.answer(other.id, right(other), 1000)
    ready = readiness(study)
    assert ready.enough_evidence and ready.needed == ""
    assert ready.shown == ready.estimate


def test_guessing_a_several_answer_question_is_one_set_in_all_non_empty_sets(tmp_path):
    from studyguide.course import load_content
    from tests.factories import write_course

    root = tmp_path / "c"
    write_course(root)
    bank = next((root / "banks").glob("*m1.yaml"))
    bank.write_text(
        bank.read_text()
        .replace("type: single", "type: multiple", 1)
        .replace("Wrong answer one, feedback", "Also right, correct: true, feedback", 1)
    )
    course = load_content([root]).course
    question = course.by_id["m1-q01"]
    assert question.type == "multiple"
    assert guess_chance(question) == 1 / 15


# --- due later today and ticking over -------------------------------------------------


def test_due_later_today_and_the_next_change(study, course, clock):
    q1, q2 = course.questions[:2]
    now = clock.now()
    assert next_change(study, now) == now.replace(day=14, hour=9)  # 4 a.m. Boston tomorrow
    learn(study, clock, q2)  # due in days
    study.answer(q1.id, wrong(q1), 1000)  # due again in a minute
    now = clock.now()
    assert due_later_today(study, now) == 1
    assert overview(study).due_later_today == 1
    assert next_change(study, now) == study.card(q1.id).due
    clock.current = study.card(q1.id).due + timedelta(seconds=1)
    view = overview(study)
    assert (view.due_now, view.due_later_today) == (1, 0)


# --- the session counts ------------------------------------------------------------------


def test_session_counts_close_in_on_zero(study, course, clock):
    """The bug: the counter grew as misses came back (0/15 -> 12/26)."""
    session = ReviewSession(study)
    lefts, seens = [], []
    question = session.next()
    first = session.counts()
    assert (first.new, first.learning, first.due) == (15, 0, 0)
    assert first.label() == "15 new · 0 learning · 0 due"
    n = 0
    while question is not None:
        session.answer(question, wrong(question) if n % 3 == 0 else right(question), 1000)
        counts = session.counts()
        lefts.append(counts.left)
        seens.append(counts.seen)
        assert counts.total == 15
        clock.advance(minutes=11)
        question = session.next()
        n += 1
    assert n > 15  # misses and learning steps were asked again
    assert lefts == sorted(lefts, reverse=True) and lefts[-1] == 0
    assert seens == sorted(seens) and seens[-1] == 15


def test_a_missed_question_moves_from_new_to_learning(study, course):
    session = ReviewSession(study)
    question = session.next()
    session.answer(question, wrong(question), 1000)
    counts = session.counts()
    assert (counts.new, counts.learning, counts.due) == (14, 1, 0)
    session.next()
    assert session.counts().new == 14  # the one on screen still counts until answered


def test_plural():
    assert plural(1, "day") == "1 day" and plural(2, "day") == "2 days"
    assert plural(0, "error") == "0 errors"


def test_readiness_scales_recall_by_the_learners_own_true_retention(study, course, clock):
    from studyguide.engine.readiness import RETENTION_WEIGHT, recall_scale

    assert recall_scale(study, clock.now()) == 1.0  # no reviews of learned questions yet
    learned = course.questions[:10]
    for q in learned:
        learn(study, clock, q)
    before = readiness(study).estimate
    for n, q in enumerate(learned):  # reviews at their due time: only half remembered
        clock.current = max(clock.current, study.card(q.id).due)
        study.answer(q.id, right(q) if n % 2 else wrong(q), 1000)
        if n % 2 == 0:
            learn(study, clock, q)
    clock.advance(days=1)
    expected = (0.5 * 10 + 0.9 * RETENTION_WEIGHT) / (10 + RETENTION_WEIGHT) / 0.9
    assert abs(recall_scale(study, clock.now()) - expected) < 1e-9
    assert f"scaled by {expected:.2f}" in readiness(study).method
    assert readiness(study).estimate < before
