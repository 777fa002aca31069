"""Pilot tests of the dashboard and a review session at 80x24."""

from __future__ import annotations

import io
import json

from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.review import ReviewScreen


async def test_answer_three_questions_and_the_file_holds_them(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        for _ in range(3):
            await pilot.press("1")
            await pilot.press("enter")
        assert app.screen.session.stats.answered == 3
        await pilot.press("q")
        await pilot.press("q")
    app.store.close()
    doc = json.loads(make_app.progress.read_text())
    assert len(doc["log"]) == 3


def screen_text(app, width: int = 76) -> str:
    """Everything the current screen's Static widgets show, as plain text."""
    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=width, record=True, file=io.StringIO())
    for widget in app.screen.query(Static):
        if widget.display and widget.content:
            console.print(widget.content)
    return console.export_text()


def choice_number(screen, want_correct: bool) -> str:
    question = screen.question
    for number, index in enumerate(screen.order, 1):
        if question.choices[index].correct == want_correct:
            return str(number)
    raise AssertionError("no such choice")


async def test_wrong_answer_feedback_marks_by_symbol_and_word(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        await pilot.press(choice_number(screen, want_correct=False))
        assert screen.answer is not None and not screen.answer.correct
        text = screen_text(app)
        assert "✘ Wrong" in text and "✔ correct" in text and "your answer, wrong" in text
        assert "Why: Because." in text and "Read more: Module 1 › One" in text


async def test_h_and_e_rerate_a_right_answer(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        await pilot.press(choice_number(screen, want_correct=True))
        assert app.study.doc.log[-1]["rating"] == 3
        await pilot.press("e")
        assert app.study.doc.log[-1]["rating"] == 4
        await pilot.press("h")
        assert app.study.doc.log[-1]["rating"] == 2
        assert len(app.study.doc.log) == 1


async def test_h_does_nothing_after_a_wrong_answer(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.press(choice_number(app.screen, want_correct=False))
        await pilot.press("h")
        assert app.study.doc.log[-1]["rating"] == 1


async def test_enter_and_space_continue(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        first = screen.question.id
        await pilot.press("1", "enter")
        second = screen.question.id
        assert second != first and screen.answer is None
        await pilot.press("1", "space")
        assert screen.question.id not in (first, second)


async def test_u_undoes_the_last_answer_and_asks_again(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        first = screen.question.id
        await pilot.press("1")
        await pilot.press("u")
        assert app.study.doc.log == [] and first not in app.study.doc.cards
        assert screen.question.id == first and screen.answer is None
        # Undo while a later question is showing: the undone one comes back first.
        await pilot.press("1", "enter")
        shown = screen.question.id
        await pilot.press("u")
        assert screen.question.id == first
        await pilot.press("1", "enter")
        assert screen.question.id == shown


async def test_b_buries_until_tomorrow(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        buried = app.screen.question.id
        await pilot.press("b")
        assert buried in app.study.doc.buried
        assert app.screen.question.id != buried


async def test_f_flags_with_a_note(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        qid = app.screen.question.id
        await pilot.press("1", "f")
        await pilot.press(*"choice two is also fine")
        await pilot.press("enter")
        assert app.study.doc.flags[qid]["note"] == "choice two is also fine"


async def test_l_opens_the_linked_lesson_and_escape_returns(make_app):
    from studyguide.tui.screens.reader import ReaderScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press("l")
        assert app.screen is review  # only after feedback
        await pilot.press("1", "l")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape")
        assert app.screen is review and review.answer is not None


async def test_multiple_toggles_with_digits_and_submits_with_enter(tmp_path, make_app):
    bank = next((make_app.root / "banks").glob("*m1.yaml"))
    bank.write_text(
        bank.read_text()
        .replace("type: single", "type: multiple", 1)
        .replace("Wrong answer one, feedback", "Also right, correct: true, feedback", 1)
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        assert screen.question.type == "multiple"
        right = [
            str(n) for n, i in enumerate(screen.order, 1) if screen.question.choices[i].correct
        ]
        await pilot.press(right[0])
        assert screen.answer is None
        await pilot.press("4" if "4" not in right else "3")
        await pilot.press("4" if "4" not in right else "3")  # toggled off again
        await pilot.press(right[1], "enter")
        assert screen.answer.correct


async def test_confirm_setting_requires_enter(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.study.set_setting("confirm_answers", True)
        await pilot.press("r")
        screen = app.screen
        await pilot.press("1", "2")
        assert screen.answer is None and len(screen.selected) == 1
        await pilot.press("enter")
        assert screen.answer is not None


async def test_q_and_escape_end_with_a_summary(make_app):
    from studyguide.tui.screens.summary import SummaryScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r", "1", "enter", "escape")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Answered: 1" in text and "Right:" in text and "Time:" in text
        assert "Next review due:" in text
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_progress_bar_follows_the_session(make_app):
    from textual.widgets import ProgressBar

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        bar = app.screen.query_one(ProgressBar)
        assert bar.progress == 0 and bar.total == 15
        await pilot.press("1", "enter", "1", "enter")
        assert bar.progress == 2


async def test_prompt_markup_is_shown_literally(make_app):
    bank = next((make_app.root / "banks").glob("*m1.yaml"))
    bank.write_text(
        bank.read_text().replace("Question 1 of m1?", '"[bold]Is [/] this [link=x]it?"')
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        assert "[bold]Is [/] this [link=x]it?" in screen_text(app)
