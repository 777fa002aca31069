"""Issue 9's figures on screen: one progress file, the same numbers on the dashboard, the
summary, the statistics screen, `stats` and `stats --json`; figures that tick over on their
own; the review counter that closes in on zero; the Enter label before submitting."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta

from textual.widgets import ProgressBar, Static

from studyguide.engine.clock import Clock, FrozenClock
from studyguide.engine.stats import overview
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.figures import FiguresScreen
from studyguide.tui.screens.review import ReviewScreen
from studyguide.tui.screens.stats import StatsScreen
from studyguide.tui.screens.summary import SummaryScreen
from tests.engine.test_figures import learn
from tests.factories import right, wrong
from tests.test_commands import run
from tests.tui.test_review import choice_number, screen_text

SIZE = (80, 24)


def pick(screen, correct: bool) -> str:
    return choice_number(screen, correct)


def percent(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, f"{pattern!r} not in {text!r}"
    return found.group(1)


async def test_every_surface_shows_the_same_figures_for_one_progress_file(make_app):
    """The bug: the summary said 12 answers, the dashboard 11; mastery was the share studied."""
    real_now = datetime.now(UTC).replace(microsecond=0)
    # The system zone, as `stats` in a subprocess uses; yesterday some of module 3 was learned.
    make_app.clock = FrozenClock(real_now - timedelta(days=1), None)
    clock = make_app.clock
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        study = app.study
        m3 = study.course.module_questions("m3")
        for n, q in enumerate(m3[:5]):
            learn(study, clock, q, first_right=n > 0)  # the first one was missed
        clock.current = real_now - timedelta(minutes=30)
        await pilot.press("r")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await pilot.press(pick(screen, False))  # a miss...
        clock.advance(minutes=2)
        await pilot.press("enter", pick(screen, True))  # ...asked again at once
        for _ in range(10):
            await pilot.press("enter", pick(screen, True))
        assert screen.session.stats.answered == 12
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        summary = screen_text(app)
        assert "Answered: 12 answers to 11 questions" in summary

        clock.current = datetime.now(UTC)  # as close as can be to the `stats` runs below
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        view = overview(study)
        assert (view.answers_today, view.questions_today) == (12, 11)
        assert [m.mastered for m in view.modules] == [0, 0, 4]  # the miss is not mastered
        dashboard = screen_text(app, width=200)
        assert "12 answers today (11 questions)" in dashboard
        assert re.search(r"Module 3 .* 40%  4/10", dashboard)
        # The definition is shown where the figure is: in short on the frame, in full below.
        frame = str(app.screen.query_one("#mastery").border_subtitle)
        assert frame == "mastered: recall ≥ 90% now, misses made good"
        assert "any miss has since been made good by a right answer" in dashboard
        likely = percent(r"(\d+)% likely score", dashboard)
        assert likely == f"{view.readiness.estimate:.0%}".rstrip("%")

        await pilot.press("t")
        assert isinstance(app.screen, StatsScreen)
        statistics = screen_text(app, width=200)
        assert "Today: 12 answers to 11 questions." in statistics
        assert percent(r"Expected score now: (\d+)%", statistics) == likely

    roots = ["--content", str(make_app.root), "--progress", str(make_app.progress)]
    text = run("stats", *roots).stdout
    assert "Answers today: 12 (to 11 questions)" in text
    assert percent(r"Readiness: (\d+)%", text) == likely
    assert re.search(r"Module 3 .* 40%  mastered 4/10, studied 5/10", text)
    data = json.loads(run("stats", "--json", *roots).stdout)
    assert (data["answers_today"], data["questions_today"]) == (12, 11)
    assert data["reviews_today"] == data["answers_today"]  # the older name, same figure
    assert [m["mastered"] for m in data["modules"]] == [0, 0, 4]
    assert data["modules"][2]["mastery"] == 0.4
    assert f"{data['readiness']['estimate']:.0%}".rstrip("%") == likely
    assert data["readiness"]["enough_evidence"] is True


async def test_the_dashboard_ticks_over_without_a_key_press(make_app, monkeypatch):
    """The bug: "0 due now / Next review: today at 17:47" minutes after 17:47."""
    monkeypatch.setattr(FiguresScreen, "TICK_SECONDS", 0.05)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        q = app.study.course.questions[0]
        app.study.answer(q.id, wrong(q), 1000)  # due again in a minute, at 10:01
        app.screen.refresh_figures()
        await pilot.pause()
        text = screen_text(app)
        assert "0 due now, 1 later today" in text and "Next review: today at 10:01" in text
        make_app.clock.advance(minutes=2)
        await pilot.pause(0.3)  # no key pressed: the screen's own timer redraws it
        text = screen_text(app)
        assert "1 due now, 0 later today" in text and "Next review: now" in text


class RunningClock(Clock):
    """A clock that runs at real speed from a fixed start, in Boston."""

    def __init__(self, start: datetime) -> None:
        self.start, self.began = start, time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)

    def local_tz(self):
        return FrozenClock(self.start).tz


async def test_the_dashboard_wakes_when_a_due_time_passes(make_app):
    """With the minute tick left at 60 seconds, the due time itself wakes the screen."""
    make_app.clock = RunningClock(datetime(2026, 1, 13, 15, 0, tzinfo=UTC))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        q = app.study.course.questions[0]
        app.study.answer(q.id, wrong(q), 1000)
        record = app.study.doc.cards[q.id]
        due = app.study.clock.now() + timedelta(seconds=1.5)
        record["due"] = due.isoformat()
        app.study._cards.pop(q.id)
        await pilot.press("t", "escape")  # back on the dashboard: redrawn, timer set
        assert "0 due now, 1 later today" in screen_text(app)
        await pilot.pause(3.5)
        assert "1 due now, 0 later today" in screen_text(app)


async def test_the_summary_never_shows_a_next_review_in_the_past(make_app, monkeypatch):
    monkeypatch.setattr(FiguresScreen, "TICK_SECONDS", 0.05)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.press(pick(app.screen, False), "escape")
        assert isinstance(app.screen, SummaryScreen)
        assert "Next review due: today at 10:01" in screen_text(app)
        make_app.clock.advance(minutes=5)
        await pilot.pause(0.3)
        assert "Next review due: now (1 question due now)" in screen_text(app)


async def test_the_review_counter_closes_in_on_zero(make_app):
    """The bug: 0/15 grew to 12/26 as misses came back, so the bar read 46% after 12."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        count = screen.query_one("#session-count", Static)
        bar = screen.query_one(ProgressBar)
        assert str(count.content) == "15 new · 0 learning · 0 due"
        await pilot.press(pick(screen, False))
        assert str(count.content) == "14 new · 1 learning · 0 due"
        lefts, seens = [], []
        for n in range(11):
            await pilot.press("enter")
            make_app.clock.advance(minutes=2)
            await pilot.press(pick(screen, n % 4 != 0))
            counts = screen.session.counts()
            assert str(count.content) == counts.label()
            assert (bar.total, bar.progress) == (15, counts.seen)
            lefts.append(counts.left)
            seens.append(counts.seen)
        assert screen.session.stats.answered == 12
        assert lefts == sorted(lefts, reverse=True) and seens == sorted(seens)


async def test_enter_reads_submit_until_a_several_answer_question_is_submitted(make_app):
    bank = next((make_app.root / "banks").glob("*m1.yaml"))
    bank.write_text(
        bank.read_text()
        .replace("type: single", "type: multiple", 1)
        .replace("Wrong answer one, feedback", "Also right, correct: true, feedback", 1)
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert screen.question.type == "multiple"
        assert screen.active_bindings["enter"].binding.description == "Submit"
        await pilot.press("enter")  # nothing chosen: a hint, no answer
        assert screen.answer is None
        for pick_index in right(screen.question):
            await pilot.press(str(screen.order.index(pick_index) + 1))
        await pilot.press("enter")
        assert screen.answer is not None and screen.answer.correct
        assert screen.active_bindings["enter"].binding.description == "Next"
        await pilot.press("enter")
        assert screen.answer is None and screen.question.type == "single"
