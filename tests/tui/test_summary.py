"""The session summary lists the questions missed, each a key away from the question (with
its feedback) and its lesson section."""

from __future__ import annotations

from studyguide.tui.screens.answered import AnsweredScreen
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.reader import ReaderScreen
from studyguide.tui.screens.summary import SummaryScreen
from tests.tui.test_review import choice_number, screen_text

SIZE = (80, 24)


async def review(pilot, app, answers: list[bool]) -> list[tuple[str, list[int]]]:
    """Answer questions right (True) or wrong (False); (qid, order shown) for each."""
    await pilot.press("r")
    screen = app.screen
    shown = []
    for want in answers:
        shown.append((screen.question.id, list(screen.order)))
        await pilot.press(choice_number(screen, want), "enter")
    return shown


async def test_the_summary_lists_each_missed_question_once(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = await review(pilot, app, [False, True, False])
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert app.screen.query_one("#missed").border_title == "Missed: 2 questions"
        prompts = [app.study.course.by_id[qid].prompt for qid, _ in shown]
        assert f"1. ✘ {prompts[0]}" in text and f"2. ✘ {prompts[2]}" in text
        assert prompts[1] not in text
        assert text.count("Module 1 › One") == 2


async def test_a_session_without_misses_has_no_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot, app, [True, True])
        await pilot.press("q")
        assert isinstance(app.screen, SummaryScreen)
        assert not app.screen.query("#missed")
        assert not app.screen.check_action("open", (1,))
        assert app.screen.check_action("lesson", ()) is False
        await pilot.press("1")
        assert isinstance(app.screen, SummaryScreen)


async def test_a_digit_opens_the_missed_question_as_it_was_shown(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        shown = await review(pilot, app, [True, False])
        await pilot.press("q", "1")
        view = app.screen
        assert isinstance(view, AnsweredScreen)
        qid, order = shown[1]
        question = app.study.course.by_id[qid]
        assert view.answer.question.id == qid and list(view.answer.order) == order
        text = screen_text(app)
        assert question.prompt in text and "✘ Wrong" in text
        assert "your answer, wrong" in text and "Why: Because." in text
        # The choices in the order they were shown in the review.
        lines = [line.strip() for line in text.splitlines()]
        numbered = [next(line for line in lines if line.startswith(f"{n}.")) for n in (1, 2, 3, 4)]
        for line, index in zip(numbered, order, strict=True):
            assert line.endswith(question.choices[index].text)
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")  # Enter still goes back to the dashboard
        assert isinstance(app.screen, DashboardScreen)


async def test_l_opens_the_lesson_of_the_highlighted_missed_question(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot, app, [False, False])
        await pilot.press("q")
        summary = app.screen
        assert summary.check_action("lesson", ()) is None  # nothing highlighted yet
        await pilot.press("down", "down")
        assert summary.highlighted().number == 2
        await pilot.press("l")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert (reader.module_id, reader.pages[reader.index].id) == ("m1", "s1")
        assert reader.check_action("quiz", ()) is False  # no new session from here
        await pilot.press("escape")
        assert app.screen is summary
        await pilot.press("o")  # the highlighted one
        assert isinstance(app.screen, AnsweredScreen)
        await pilot.press("l")  # and its lesson from there
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape", "escape")
        assert app.screen is summary


async def test_a_miss_answered_right_later_says_so(make_app):
    app = make_app()
    app.study.set_setting("new_per_day", 1)  # one question: the miss comes back at once
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot, app, [False, True])
        await pilot.press("q")
        assert "✔ right later" in screen_text(app)
        await pilot.press("1")
        assert "answered right later in this session" in screen_text(app)


async def test_an_undone_miss_is_not_listed(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        screen = app.screen
        await pilot.press(choice_number(screen, False), "u")
        await pilot.press(choice_number(screen, True), "enter", "q")
        assert isinstance(app.screen, SummaryScreen)
        assert not app.screen.query("#missed")


async def test_missed_prompts_and_the_undo_notice_are_literal_text(make_app):
    bank = next((make_app.root / "banks").glob("*m1.yaml"))
    bank.write_text(bank.read_text().replace("Question 1 of m1?", "Question [bold]1[/] of m1?"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await review(pilot, app, [False])
        await pilot.press("u")
        notices = [n.message for n in app._notifications]
        assert any("“Question [bold]1[/] of m1?”" in m for m in notices)
        await pilot.press(choice_number(app.screen, False), "enter", "q")
        assert "1. ✘ Question [bold]1[/] of m1?" in screen_text(app)
        await pilot.press("1")
        assert "Question [bold]1[/] of m1?" in screen_text(app)
