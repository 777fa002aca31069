"""Snapshots at 80x24 with a frozen clock and seeded shuffles.

Update them after an intended change with `pytest tests/tui/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from tests.factories import right, wrong

SIZE = (80, 24)


def study_some(app, clock) -> None:
    """A few days of history: right and wrong answers, so bars, charts and dues show.
    FSRS fuzzes intervals with the global `random`: seeded, so the due days repeat."""
    random.seed(9)
    questions = app.study.course.questions
    for day in range(4):
        for n, q in enumerate(questions[day * 4 : day * 4 + 6]):
            app.study.answer(q.id, right(q) if (n + day) % 3 else wrong(q), 4000)
        clock.advance(days=1)
    clock.current -= timedelta(days=1)


def test_dashboard(make_app, snap_compare):
    app = make_app()

    async def studied(pilot) -> None:
        study_some(app, make_app.clock)
        app.screen.refresh_figures()
        await pilot.pause()

    assert snap_compare(app, run_before=studied, terminal_size=SIZE)


def test_question(make_app, snap_compare):
    assert snap_compare(make_app(), press=["r"], terminal_size=SIZE)


def test_feedback(make_app, snap_compare):
    assert snap_compare(make_app(), press=["r", "2"], terminal_size=SIZE)


def test_exam_results(make_app, snap_compare):
    app = make_app()

    async def sit_exam(pilot) -> None:
        await pilot.press("e", "1")  # the 6-question exam
        screen = app.screen
        for index, question in enumerate(screen.paper.questions):
            order = screen.paper.orders[question.id]
            picks = right(question) if index % 2 == 0 else wrong(question)
            for pick in picks:
                await pilot.press(str(order.index(pick) + 1))
            await pilot.press("n")
        await pilot.press("s", "y")
        await pilot.pause()

    assert snap_compare(app, run_before=sit_exam, terminal_size=SIZE)


def test_statistics(make_app, snap_compare):
    app = make_app()

    async def studied(pilot) -> None:
        study_some(app, make_app.clock)
        await pilot.press("t")

    assert snap_compare(app, run_before=studied, terminal_size=SIZE)


# --- 120x40: the space of a larger terminal is used, and lines keep a reading measure ---

LARGE = (120, 40)


def test_dashboard_120x40(make_app, snap_compare):
    app = make_app()

    async def studied(pilot) -> None:
        study_some(app, make_app.clock)
        app.screen.refresh_figures()
        await pilot.pause()

    assert snap_compare(app, run_before=studied, terminal_size=LARGE)


def test_feedback_120x40(make_app, snap_compare):
    assert snap_compare(make_app(), press=["r", "2"], terminal_size=LARGE)


def test_reader_120x40(make_app, snap_compare):
    lesson = make_app.root / "lessons" / "m1.yaml"
    body = " ".join(["Officers who greet people by name build trust over many months."] * 8)
    lesson.write_text(lesson.read_text().replace("body: Text.", f"body: {body}"))
    assert snap_compare(make_app(), press=["l", "enter", "n"], terminal_size=LARGE)
