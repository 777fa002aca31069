"""What a review session reports at its end: the questions missed."""

from __future__ import annotations

from studyguide.engine.queue import ReviewSession
from tests.factories import right, wrong


def test_missed_keeps_first_miss_order_and_the_latest_wrong_answer(study, course):
    session = ReviewSession(study)
    q1, q2 = course.questions[:2]
    session.answer(q1, wrong(q1), 100, order=[0, 1, 2, 3])
    session.answer(q2, wrong(q2), 100)
    session.answer(q1, right(q1), 100)
    later = session.answer(q1, [2], 100, order=[3, 2, 1, 0])
    missed = session.stats.missed()
    assert [m.answer.question.id for m in missed] == [q1.id, q2.id]
    assert missed[0].answer is later and not missed[0].right_later
    assert missed[1].answer.picked == frozenset(wrong(q2))
