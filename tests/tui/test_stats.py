"""Pilot tests of the statistics screen at 80x24."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
from textual.widgets import Static

from studyguide.engine.exam import assemble, attempt_record, score
from studyguide.engine.stats import due_forecast, reviews_per_day
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.stats import StatsPane, StatsScreen, reviews_chart
from tests.factories import right, wrong
from tests.tui.test_exam import screen_text

SIZE = (80, 24)


def section(screen: StatsScreen, name: str) -> str:
    """A section's text as drawn at its width (rows of bars are drawn to fit it)."""
    widget = screen.query_one(f"#stats-{name}", Static)
    content = widget.content
    if isinstance(content, Text):
        return str(content)
    console = Console(width=widget.content_size.width, file=io.StringIO(), record=True)
    console.print(content)
    return console.export_text().rstrip("\n")


def study_history(app, clock) -> None:
    """Twelve days of answers: first answers, learning steps, then reviews of learned
    questions (some wrong), so retention, the chart and the forecast all have data."""
    study = app.study
    questions = study.course.questions
    clock.advance(days=-12)
    for question in questions[:8]:
        study.answer(question.id, right(question), 2000)
    clock.advance(minutes=15)
    for question in questions[:8]:
        study.answer(question.id, right(question), 2000)
    clock.advance(days=6)
    for n, question in enumerate(questions[:8]):
        study.answer(question.id, right(question) if n % 4 else wrong(question), 2000)
    clock.advance(days=6)
    for question in questions[8:12]:
        study.answer(question.id, wrong(question), 2000)


def sit_exam(app, predicted: float, right_answers: int) -> None:
    study = app.study
    spec = study.course.exam
    paper = assemble(study.course, spec, 6, 7)
    answers = {q.id: frozenset(right(q)) for q in paper.questions[:right_answers]}
    result = score(paper, answers, spec.pass_mark)
    now = study.clock.now()
    study.record_exam(attempt_record(paper, answers, result, now, now, False, predicted))


async def test_stats_with_answers_shows_every_section(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        study_history(app, make_app.clock)
        study = app.study
        leech = study.course.questions[0].id
        study.doc.cards[leech]["lapses"] = 8
        study.flag(study.course.questions[5].id, "[bold]choice 2[/bold] is also right")
        sit_exam(app, 0.55, 5)
        sit_exam(app, 0.6, 2)
        log = list(study.doc.log)
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        shown = screen_text(app)
        assert "Reviews per day, last 30 days" in shown
        assert "True retention, last 30 days" in shown
        assert "today" in shown

        chart = section(screen, "reviews")
        assert "28 answers in 30 days" in chart
        assert "busiest day 16" in chart

        retention = section(screen, "retention")
        assert "True retention" in retention and "75%  of 8 reviews" in retention
        assert "Desired retention" in retention and "90%" in retention
        assert "15 points below the desired retention." in retention

        forecast = section(screen, "forecast").splitlines()
        assert len(forecast) == 14
        days = due_forecast(study, 14)
        for line, (day, count) in zip(forecast, days, strict=True):
            assert line.startswith(f"{day:%a %b} {day.day}")
            assert f" {count:>3}" in line
        assert "today, with overdue" in forecast[0]

        modules = section(screen, "modules")
        assert "Module 1" in modules and "studied 10/10" in modules
        assert "Module 3" in modules and "no answers yet" in modules

        problems = section(screen, "problems")
        assert f"{leech}  8 lapses  Question 1 of m1?" in problems
        assert "m1-q06  Question 6 of m1?" in problems
        assert "note: [bold]choice 2[/bold] is also right" in problems  # literal, not markup

        exams = section(screen, "exams").splitlines()
        assert len(exams) == 2
        assert exams[0].startswith("2026-01-13 10:15") and "83%  ✔ PASS" in exams[0]
        assert "33%  ✘ FAIL" in exams[1]

        ready = section(screen, "readiness")
        assert "Expected score now:" in ready and "vs practice pass mark 70%" in ready
        assert "Method: Blueprint-weighted average over 30 exam questions." in ready
        assert "Exam 1: predicted 55%, scored 83% (+28 points)" in ready
        assert "Exam 2: predicted 60%, scored 33% (-27 points)" in ready
        assert "Average miss 28 points" in ready
        assert study.doc.log == log  # looking changes nothing

        # Scroll to the end and back, then leave.
        pane = screen.query_one(StatsPane)
        await pilot.press("end")
        await pilot.pause()
        assert pane.scroll_y > 0
        assert "Readiness and calibration" in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert pane.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > 0
        await pilot.press("pageup", "down", "down", "j")
        await pilot.pause()
        assert pane.scroll_y == 3
        await pilot.press("up", "k")
        await pilot.pause()
        assert pane.scroll_y == 1
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("t", "q")
        assert isinstance(app.screen, DashboardScreen)


async def test_stats_before_any_answer(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert "No answers in this period yet." in section(screen, "reviews")
        assert "no reviews of learned questions yet" in section(screen, "retention")
        assert all(
            line.endswith("  0") or "today" in line
            for line in section(screen, "forecast").splitlines()
        )
        assert "No practice exams yet" in section(screen, "exams")
        assert "none" in section(screen, "problems")
        assert "No exams with a prediction yet." in section(screen, "readiness")
        # Issue 9: no number before there is evidence for one, but what is needed.
        ready = section(screen, "readiness")
        assert "Expected score now: not enough answers yet" in ready
        assert "Needs 20 more answers and 3 more of the 30 exam questions studied" in ready


async def test_stats_refresh_after_returning(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        screen = app.screen
        question = app.study.course.questions[0]
        app.study.answer(question.id, right(question), 1000)
        screen.on_screen_resume()
        assert "1 answer in 30 days" in section(screen, "reviews")


def test_reviews_chart_with_no_days():
    assert str(reviews_chart([])).endswith("No answers in this period yet.")


async def test_reviews_chart_marks_every_day_with_answers(make_app):
    app = make_app()
    async with app.run_test(size=SIZE):
        study_history(app, make_app.clock)
        days = reviews_per_day(app.study, 30)
        text = str(reviews_chart(days)).splitlines()
        bottom_row = text[4]  # the lowest row of bars
        columns = bottom_row.split("┤", 1)[1]
        marked = [columns[2 * i] != " " for i in range(30)]
        assert marked == [count > 0 for _day, count in days]
        assert text[6].rstrip().endswith("today")
