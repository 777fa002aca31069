"""Pilot tests of the practice exam at 80x24: setup, answering, marking, jumping,
submitting, timing out, abandoning and the results."""

from __future__ import annotations

import asyncio
import copy
import io
import json
import sys
import types

import pytest
from rich.console import Console
from textual.screen import Screen
from textual.widgets import Static

from studyguide.engine.exam import ExamPaper, assemble
from studyguide.engine.readiness import readiness
from studyguide.tui import render
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.dialogs import ConfirmDialog
from studyguide.tui.screens.exam import ExamScreen, clock_text
from studyguide.tui.screens.exam_goto import JumpDialog, QuestionList
from studyguide.tui.screens.exam_results import ExamResultsScreen, WrongAnswer
from studyguide.tui.screens.exam_setup import ExamSetupScreen, LengthList
from tests.factories import right, wrong
from tests.tui.conftest import terminal_text

SIZE = (80, 24)
# Words only feedback would show; the test course's choices say "Right/Wrong answer ...".
FEEDBACK = ("✔", "✘", "Because.", "Yes.", "No.", "correct", "Why:", "PASS", "FAIL", "score")


screen_text = terminal_text


def all_text(screen: Screen) -> str:
    """Every Static's content on a screen, seen or scrolled out of view."""
    return "\n".join(str(w.content) for w in screen.query(Static))


async def start_exam(app, pilot, number: int = 1) -> ExamScreen:
    await pilot.press("e")
    assert isinstance(app.screen, ExamSetupScreen)
    await pilot.press(str(number))
    await pilot.pause()
    assert isinstance(app.screen, ExamScreen)
    return app.screen


def study_some(app, count: int = 4) -> None:
    """Answer a few questions through the review engine, so cards and log are not empty."""
    for question in app.study.course.questions[:count]:
        app.study.answer(question.id, right(question), 3000)


# --- setup -------------------------------------------------------------------------


async def test_setup_shows_the_standard_the_lengths_and_readiness(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExamSetupScreen)
        shown = screen_text(app)
        assert "Practice" in shown
        assert "Our own practice standard." in shown
        assert "Practice pass mark 70%" in shown
        assert "1. 6 questions, 12 min" in shown
        assert "2. 12 questions, 24 min" in shown
        # Before any study there is no number, only what is needed for one (issue 9).
        assert "Readiness now: not enough answers yet" in shown
        # Only the digits for the lengths on offer apply.
        assert app.screen.check_action("start", (2,)) is True
        assert app.screen.check_action("start", (3,)) is False
        await pilot.press("3")
        assert isinstance(app.screen, ExamSetupScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.doc.exams == []


@pytest.mark.parametrize(("number", "length"), [(1, 6), (2, 12)])
async def test_choosing_a_length_gives_a_paper_of_that_length(make_app, number, length):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot, number)
        spec = app.study.course.exam
        assert exam.paper.length == length
        assert len(exam.paper.questions) == length
        assert exam.paper.time_limit_s == spec.time_limit_seconds(length) == length * 120
        # Seeded from app.seed, so the paper is the one the engine draws with that seed.
        assert exam.paper == assemble(app.study.course, spec, length, app.seed)
        shown = screen_text(app)
        assert f"Question 1 of {length}" in shown
        assert f"answered 0/{length}" in shown
        minutes = length * 2
        assert f"{minutes:02d}:00 left" in shown or f"{minutes - 1:02d}:59 left" in shown


async def test_enter_and_arrows_start_the_highlighted_length(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert app.screen.query_one(LengthList).highlighted == 0
        await pilot.press("down")
        assert app.screen.query_one(LengthList).highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.paper.length == 12


async def test_clicking_a_length_starts_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        lengths = app.screen.query_one(LengthList)
        await pilot.click(lengths, offset=(4, 2))  # the second option, inside the border
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.paper.length == 12


async def test_the_prediction_is_readiness_at_the_start(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        study_some(app)
        expected = readiness(app.study).estimate
        exam = await start_exam(app, pilot)
        assert exam.predicted == pytest.approx(expected)


# --- answering ---------------------------------------------------------------------


async def test_answers_can_change_and_nothing_tells_right_from_wrong(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        question = exam.question
        order = exam.paper.orders[question.id]
        await pilot.press("1")
        assert exam.answers[question.id] == {order[0]}
        await pilot.press("3")
        assert exam.answers[question.id] == {order[2]}  # a single answer is replaced
        shown = screen_text(app)
        assert "1. ( ) " in shown and "3. (•) " in shown
        assert "answered 1/6" in shown
        for word in FEEDBACK:
            assert word not in shown, word
            assert word not in all_text(exam), word
        # Digits beyond the choices do nothing and are hidden.
        assert exam.check_action("choose", (5,)) is False
        await pilot.press("5")
        assert exam.answers[question.id] == {order[2]}
        # Go away and come back: the answer is still there, and can still change.
        await pilot.press("n")
        await pilot.press("p")
        assert exam.index == 0
        assert "3. (•) " in screen_text(app)
        await pilot.press("2")
        assert exam.answers[question.id] == {order[1]}
        assert app.study.doc.log == []


async def test_clicking_a_choice_picks_it(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        order = exam.order
        await pilot.click("#choice-4")
        assert exam.answers[exam.question.id] == {order[3]}


async def test_several_answer_questions_toggle(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        course = app.study.course
        first, second = course.questions[0], course.questions[1]
        multi = first._replace(type="multiple", id="multi")
        paper = ExamPaper(
            seed=0,
            length=2,
            time_limit_s=600,
            questions=(multi, second),
            orders={"multi": (3, 2, 1, 0), second.id: (0, 1, 2, 3)},
        )
        exam = ExamScreen(paper, 0.5)
        app.push_screen(exam)
        await pilot.pause()
        await pilot.press("1", "2")
        assert exam.answers["multi"] == {3, 2}
        await pilot.press("1")
        assert exam.answers["multi"] == {2}
        shown = screen_text(app)
        assert "1. [ ] " in shown and "2. [x] " in shown
        assert "Select all that apply" in shown


# --- moving, marking, jumping ---------------------------------------------------------


async def test_next_previous_and_arrows(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        assert exam.check_action("previous", ()) is None  # greyed on the first question
        await pilot.press("n", "right")
        assert exam.index == 2
        assert "Question 3 of 6" in screen_text(app)
        await pilot.press("p")
        assert exam.index == 1
        await pilot.press("left", "left")
        assert exam.index == 0
        await pilot.press("n", "n", "n", "n", "n", "n", "n")
        assert exam.index == 5
        assert exam.check_action("next", ()) is None  # greyed on the last question


async def test_marking_and_the_go_to_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot, 2)
        first = exam.question.id
        await pilot.press("m")
        assert exam.marked == {first}
        assert "⚑ marked for review" in screen_text(app)
        await pilot.press("1", "n")
        assert "⚑ marked" not in screen_text(app)
        await pilot.press("p", "m")
        assert exam.marked == set()
        await pilot.press("m")
        # The list shows each question's state.
        await pilot.press("g")
        assert isinstance(app.screen, JumpDialog)
        shown = screen_text(app)
        assert "Answered 1 of 12" in shown and "marked 1" in shown
        assert " 1. ● answered   ⚑ marked" in shown
        assert " 2. ○ unanswered" in shown
        for word in FEEDBACK:
            assert word not in shown, word
        # Type a number, then Enter.
        await pilot.press("1", "1", "enter")
        assert app.screen is exam
        assert exam.index == 10
        assert "Question 11 of 12" in screen_text(app)
        # Arrows, then Enter.
        await pilot.press("g", "up", "up", "enter")
        assert exam.index == 8
        # A number too big starts again from its last digit; Backspace clears.
        await pilot.press("g", "1", "9")
        assert app.screen.typed == "9"
        await pilot.press("backspace")
        assert app.screen.typed == ""
        await pilot.press("4", "enter")
        assert exam.index == 3
        # Escape leaves the list without moving.
        await pilot.press("g", "down", "escape")
        assert app.screen is exam
        assert exam.index == 3


async def test_clicking_in_the_go_to_list_jumps(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        await pilot.press("g")
        questions = app.screen.query_one(QuestionList)
        await pilot.click(questions, offset=(5, 2))
        await pilot.pause()
        assert app.screen is exam
        assert exam.index == 2


# --- submitting ------------------------------------------------------------------------


async def test_submit_records_every_answer_and_leaves_the_schedule_alone(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        study_some(app)
        cards = copy.deepcopy(app.study.doc.cards)
        log = copy.deepcopy(app.study.doc.log)
        undo = copy.deepcopy(app.study.doc.undo)
        exam = await start_exam(app, pilot)
        questions = exam.paper.questions
        picks = {}
        for position, question in enumerate(questions):
            if position == 5:
                break  # the last stays unanswered
            index = right(question)[0] if position < 3 else wrong(question)[0]
            picks[question.id] = index
            await pilot.press(str(exam.order.index(index) + 1), "n")
        await pilot.press("m")
        await pilot.press("s")
        assert isinstance(app.screen, ConfirmDialog)
        shown = screen_text(app)
        assert "answered 5 of 6" in shown
        assert "1 unanswered" in shown and "1 marked for review" in shown
        await pilot.press("n")  # keep working
        assert app.screen is exam
        assert app.study.doc.exams == []
        await pilot.press("s", "y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert len(app.study.doc.exams) == 1
        attempt = app.study.doc.exams[0]
        assert attempt["timed_out"] is False
        assert attempt["length"] == 6 and attempt["seed"] == app.seed
        assert attempt["right"] == 3 and attempt["total"] == 6
        assert attempt["passed"] is False
        assert attempt["predicted"] == pytest.approx(exam.predicted)
        assert [a["qid"] for a in attempt["answers"]] == [q.id for q in questions]
        for answer, question in zip(attempt["answers"], questions, strict=True):
            if question.id in picks:
                assert answer["picked"] == [question.choices[picks[question.id]].text]
            else:
                assert answer["picked"] == []
        assert [a["correct"] for a in attempt["answers"]] == [True] * 3 + [False] * 3
        # The exam never touches the review schedule.
        assert app.study.doc.cards == cards
        assert app.study.doc.log == log
        assert app.study.doc.undo == undo
    app.store.close()
    saved = json.loads(make_app.progress.read_text())
    assert len(saved["exams"]) == 1
    assert len(saved["log"]) == len(log)


async def test_results_show_pass_and_the_module_breakdown(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        for question in exam.paper.questions:
            await pilot.press(str(exam.order.index(right(question)[0]) + 1), "n")
        await pilot.press("s", "y")
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        shown = screen_text(app)
        assert "6 of 6 right: 100%" in shown
        assert "✔ PASS" in shown and "at or above the practice pass mark" in shown
        assert "Our own practice standard." in shown
        for title in ("Module 1", "Module 2", "Module 3"):
            assert f"{title:<34}  2/2" in shown
        assert "Every question right." in shown
        assert results.check_action("lesson", ()) is False
        await pilot.press("enter")
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.doc.exams[0]["passed"] is True


async def test_results_show_fail_and_each_wrong_answer(make_app, monkeypatch):
    opened = []

    class FakeReader(Screen):
        def __init__(self, module, section, from_review=False):
            super().__init__()
            opened.append((module, section, from_review))

    fake = types.ModuleType("studyguide.tui.screens.reader")
    fake.ReaderScreen = FakeReader
    monkeypatch.setitem(sys.modules, "studyguide.tui.screens.reader", fake)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        first = exam.question
        order = exam.order
        await pilot.press(str(order.index(wrong(first)[0]) + 1))
        await pilot.press("s", "y")
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        shown = screen_text(app)
        assert "0 of 6 right: 0%" in shown
        assert "✘ FAIL" in shown and "below the practice pass mark" in shown
        assert "5 unanswered (counted as wrong)" in shown
        assert "Module 1" in shown and " 0/2 " in shown
        everything = all_text(results)
        assert "✘ Wrong or unanswered: 6" in everything
        assert everything.count("✔ Right answer: ") == 6
        assert f"✘ Your answer: {order.index(wrong(first)[0]) + 1}. Wrong answer" in everything
        assert everything.count("Your answer: no answer") == 5
        assert "Why: Because." in everything
        for question in exam.paper.questions:
            label = render.lesson_label(question, app.study.course)
            assert f"Read more: {label}" in everything
        # l applies once a wrong answer is highlighted.
        assert results.check_action("lesson", ()) is None
        await pilot.press("down")
        highlighted = results.highlighted()
        assert isinstance(highlighted, WrongAnswer)
        assert highlighted.question.id == first.id
        await pilot.press("down", "down", "up")
        assert results.highlighted().question.id == exam.paper.questions[1].id
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, FakeReader)
        assert opened == [(exam.paper.questions[1].module, "s1", True)]
        app.pop_screen()
        await pilot.pause()
        assert app.screen is results
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


# --- time ----------------------------------------------------------------------------


def test_clock_text_rounds_up():
    assert clock_text(1440) == "24:00"
    assert clock_text(0.2) == "00:01"
    assert clock_text(0) == "00:00"
    assert clock_text(-3) == "00:00"
    assert clock_text(65.5) == "01:06"


async def test_the_countdown_shows_the_time_left(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        exam.started_monotonic -= 65
        exam.tick()
        await pilot.pause()
        assert "10:55 left" in screen_text(app)
        exam.started_monotonic -= 600
        exam.tick()
        await pilot.pause()
        assert exam.query_one("#exam-timer").has_class("low-time")


async def test_time_out_submits_by_itself(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        question = exam.question
        await pilot.press(str(exam.order.index(right(question)[0]) + 1))
        exam.time_limit_s = 0
        exam.tick()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        attempt = app.study.doc.exams[-1]
        assert attempt["timed_out"] is True
        assert attempt["right"] == 1
        assert attempt["answers"][0]["picked"] == ["Right answer"]
        assert "time ran out: submitted automatically" in screen_text(app)
        assert app.study.doc.log == []


async def test_time_out_with_a_short_limit_and_a_dialog_open(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        await pilot.press("s")
        assert isinstance(app.screen, ConfirmDialog)
        exam.time_limit_s = 0.3  # the countdown's own timer fires the submission
        for _ in range(40):
            await asyncio.sleep(0.05)
            if isinstance(app.screen, ExamResultsScreen):
                break
        assert isinstance(app.screen, ExamResultsScreen)
        assert [s for s in app.screen_stack if isinstance(s, ConfirmDialog)] == []
        assert len(app.study.doc.exams) == 1
        assert app.study.doc.exams[0]["timed_out"] is True
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


# --- abandoning ------------------------------------------------------------------------


async def test_abandoning_records_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        study_some(app)
        log = copy.deepcopy(app.study.doc.log)
        exam = await start_exam(app, pilot)
        await pilot.press("1")
        await pilot.press("escape")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Abandon this exam? Your answers are discarded" in screen_text(app)
        await pilot.press("n")
        assert app.screen is exam
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert exam.finished
        exam.tick()  # a late tick of the stopped countdown does nothing
        assert app.study.doc.exams == []
        assert app.study.doc.log == log


# --- keys in help and the command palette ---------------------------------------------


async def test_exam_keys_reach_help_and_the_command_palette(make_app):
    from studyguide.tui.screens import exam as exam_module
    from studyguide.tui.screens import stats as stats_module
    from studyguide.tui.screens.help import key_table

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        assert exam.KEYS is exam_module.KEYS
        titles = [command.title for command in app.get_system_commands(exam)]
        for wanted in (
            "Go to the next question",
            "Mark or unmark this question for review",
            "Submit the exam for scoring",
            "Abandon the exam; nothing is recorded",
        ):
            assert wanted in titles
        console = Console(width=80, file=io.StringIO(), record=True)
        console.print(key_table("Practice exam", exam_module.KEYS))
        console.print(key_table("Statistics", stats_module.KEYS))
        listed = console.export_text()
        for key in ("1-9", "n/→", "p/←", "Esc", "↓/↑", "PgDn/PgUp", "Esc/q"):
            assert key in listed
