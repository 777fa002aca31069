"""The practice exam: blueprint proportions, seeding, scoring, the schedule untouched."""

from __future__ import annotations

import json
from collections import Counter

from studyguide.engine.exam import allocate, assemble, attempt_record, score
from studyguide.engine.readiness import calibration, readiness
from tests.factories import right, wrong


def test_allocate_follows_the_blueprint_by_largest_remainder():
    blueprint = {"a": 0.5, "b": 0.3, "c": 0.2}
    assert allocate(blueprint, 10, {"a": 9, "b": 9, "c": 9}) == {"a": 5, "b": 3, "c": 2}
    assert allocate(blueprint, 7, {"a": 9, "b": 9, "c": 9}) == {"a": 4, "b": 2, "c": 1}
    assert sum(allocate(blueprint, 25, {"a": 30, "b": 30, "c": 30}).values()) == 25


def test_allocate_moves_a_short_modules_places_to_the_others():
    counts = allocate({"a": 0.5, "b": 0.5}, 10, {"a": 2, "b": 20})
    assert counts == {"a": 2, "b": 8}
    assert allocate({"a": 0.5, "b": 0.5}, 10, {"a": 2, "b": 3}) == {"a": 2, "b": 3}


def test_paper_has_the_blueprint_share_of_each_module(course):
    paper = assemble(course, course.exam, 12, seed=7)
    assert paper.length == 12 and paper.shortfall == 0
    assert Counter(q.module for q in paper.questions) == {"m1": 4, "m2": 4, "m3": 4}
    assert len({q.id for q in paper.questions}) == 12
    assert paper.time_limit_s == 24 * 60
    assert assemble(course, course.exam, 6, seed=7).time_limit_s == 12 * 60


def test_same_seed_same_paper_other_seed_other_paper(course):
    one = assemble(course, course.exam, 12, seed=42)
    again = assemble(course, course.exam, 12, seed=42)
    other = assemble(course, course.exam, 12, seed=43)
    assert [q.id for q in one.questions] == [q.id for q in again.questions]
    assert one.orders == again.orders
    assert [q.id for q in one.questions] != [q.id for q in other.questions]


def test_scoring_with_per_module_breakdown_and_pass_mark(course):
    paper = assemble(course, course.exam, 12, seed=1)
    answers = {}
    for index, q in enumerate(paper.questions):
        if index < 9:
            answers[q.id] = frozenset(right(q))
        elif index < 11:
            answers[q.id] = frozenset(wrong(q))
    result = score(paper, answers, course.exam.pass_mark)
    assert (result.right, result.total, result.unanswered) == (9, 12, 1)
    assert result.score == 0.75 and result.passed
    assert sum(m.total for m in result.per_module) == 12
    assert sum(m.right for m in result.per_module) == 9
    assert [q.id for q in result.wrong] == [q.id for q in paper.questions[9:]]
    failing = score(paper, {}, course.exam.pass_mark)
    assert failing.score == 0 and not failing.passed


def test_an_exam_never_touches_the_schedule(study, course, clock):
    for q in course.questions[:5]:
        study.answer(q.id, right(q), 100)
    cards_before = json.dumps(study.doc.cards, sort_keys=True)
    log_before = len(study.doc.log)
    started = clock.now()
    predicted = readiness(study).estimate
    paper = assemble(course, course.exam, 12, seed=3)
    answers = {q.id: frozenset(wrong(q)) for q in paper.questions}
    clock.advance(minutes=20)
    result = score(paper, answers, course.exam.pass_mark)
    study.doc.exams.append(
        attempt_record(paper, answers, result, started, clock.now(), False, predicted)
    )
    assert json.dumps(study.doc.cards, sort_keys=True) == cards_before
    assert len(study.doc.log) == log_before
    attempt = study.doc.exams[0]
    assert attempt["answers"][0]["picked"] == ["Wrong answer one"]
    assert attempt["score"] == 0 and attempt["passed"] is False
    assert calibration(study) == [(predicted, 0.0)]


def test_readiness_starts_at_the_prior_and_rises_with_study(study, course, clock):
    fresh = readiness(study)
    # Issue 9: the prior starts at the chance of guessing (1 of 4 choices), and no number
    # is shown before there is evidence.
    assert fresh.estimate == 0.25 and fresh.studied_share == 0
    assert fresh.shown is None and not fresh.enough_evidence and not fresh.likely_pass
    assert "blueprint" in fresh.method.lower() and "25%" in fresh.method
    for q in course.questions:
        study.answer(q.id, right(q), 100)
    clock.advance(minutes=1)
    studied = readiness(study)
    assert studied.studied_share == 1
    # Right first answers raise the prior; recall just after study is near 1.
    assert studied.estimate > 0.9
    clock.advance(days=365)
    assert readiness(study).estimate < studied.estimate
