"""Exam results: End and Home scroll the whole results; a several-answer question's answers
are listed one to a line, not run together into one sentence."""

from __future__ import annotations

from studyguide.course.model import Choice
from studyguide.engine.exam import ExamPaper, score
from studyguide.tui.screens.exam_results import ExamResultsScreen, WrongAnswer
from tests.tui.conftest import terminal_text
from tests.tui.test_exam import all_text, start_exam

SIZE = (80, 24)


async def test_end_scrolls_to_the_last_result_and_home_back(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await start_exam(app, pilot, 2)  # 12 questions, none answered: 12 wrong
        await pilot.press("s", "y")
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        pane = results.query_one("#results")
        assert pane.max_scroll_y > 0 and pane.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y
        last = list(results.query(WrongAnswer))[-1]
        assert "Question 12." in str(last.content)
        assert "Question 12." in terminal_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert pane.scroll_y == 0
        await pilot.press("down", "end")  # also with a wrong answer highlighted
        await pilot.pause()
        assert pane.scroll_y == pane.max_scroll_y
        assert "End" in [k.label for k in results.KEYS if k.action.startswith("edge")]


async def test_several_answers_are_listed_one_to_a_line(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        course = app.study.course
        first = course.questions[0]
        multi = first._replace(
            id="multi",
            type="multiple",
            choices=(
                Choice("Greet them by name.", True, None),
                Choice("Ignore them.", False, None),
                Choice("Build an association.", True, None),
                Choice("Listen first.", True, None),
            ),
        )
        paper = ExamPaper(
            seed=0, length=1, time_limit_s=60, questions=(multi,), orders={"multi": (1, 2, 0, 3)}
        )
        answers = {"multi": frozenset({2, 3})}  # shown as 2. and 4.: one right one missing
        result = score(paper, answers, 0.7)
        app.push_screen(ExamResultsScreen(paper, result, course.exam, answers=answers))
        await pilot.pause()
        text = all_text(app.screen)
        assert "✘ Your answers (2):\n   2. Build an association.\n   4. Listen first." in text
        assert (
            "✔ Right answers (3):\n   2. Build an association.\n   3. Greet them by name.\n"
            "   4. Listen first." in text
        )
        assert "association.;" not in text
