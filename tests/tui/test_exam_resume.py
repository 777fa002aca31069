"""An exam in progress survives the app ending: it is saved as it goes, offered on the
next start, resumed with its answers, marks and time left, or discarded. The review
schedule never changes."""

from __future__ import annotations

import json
import re

from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.exam import ExamScreen
from studyguide.tui.screens.exam_results import ExamResultsScreen
from studyguide.tui.screens.exam_resume import ResumeExamDialog
from tests.factories import right, wrong
from tests.tui.conftest import terminal_text
from tests.tui.test_exam import start_exam, study_some

SIZE = (80, 24)


def saved(make_app) -> dict:
    return json.loads(make_app.progress.read_text())


def schedule_bytes(make_app) -> tuple[str, str]:
    """The cards and the log exactly as written in the file."""
    text = make_app.progress.read_text()
    cards = text[text.index('\n "cards": ') : text.index('\n "buried": ')]
    return cards, text[text.index('\n "log": ') :]


async def answer_some(app, pilot, exam: ExamScreen) -> dict[str, set[int]]:
    """Answer the first three questions (right, wrong, right), mark the second, stop on
    the fourth."""
    picks = {}
    for n, question in enumerate(exam.paper.questions[:3]):
        index = (wrong if n == 1 else right)(question)[0]
        picks[question.id] = {index}
        await pilot.press(str(exam.order.index(index) + 1))
        if n == 1:
            await pilot.press("m")
        await pilot.press("n")
    await pilot.pause()
    return picks


async def test_the_exam_is_saved_as_it_goes_and_cleared_on_submit(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot, 2)
        await pilot.pause()
        assert app.store.flush(timeout=10)
        record = saved(make_app)["exam_in_progress"]
        assert [q["qid"] for q in record["questions"]] == [q.id for q in exam.paper.questions]
        assert record["seed"] == app.seed and record["length"] == 12
        picks = await answer_some(app, pilot, exam)
        assert app.store.flush(timeout=10)
        record = saved(make_app)["exam_in_progress"]
        assert {q["qid"]: set(q["picked"]) for q in record["questions"] if q["picked"]} == picks
        assert [q["marked"] for q in record["questions"][:4]] == [False, True, False, False]
        assert record["index"] == 3
        assert 0 < record["time_left_s"] <= exam.paper.time_limit_s
        await pilot.press("s", "y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert app.store.flush(timeout=10)
        data = saved(make_app)
        assert "exam_in_progress" not in data and len(data["exams"]) == 1


async def test_abandoning_clears_the_saved_exam(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        exam = await start_exam(app, pilot)
        await answer_some(app, pilot, exam)
        assert app.study.doc.exam_in_progress is not None
        await pilot.press("escape", "y")
        await pilot.pause()
        assert app.study.doc.exam_in_progress is None
        assert app.store.flush(timeout=10)
        assert "exam_in_progress" not in saved(make_app)


async def sit_and_quit(make_app, length_number: int = 1):
    """Start an exam, answer some, and quit the app mid-exam."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        study_some(app)
        exam = await start_exam(app, pilot, length_number)
        picks = await answer_some(app, pilot, exam)
        exam.started_monotonic -= 100  # 100 seconds have gone by
        exam.tick()
        ids = [q.id for q in exam.paper.questions]
        marked = set(exam.marked)
    app.store.close()
    return ids, picks, marked


async def test_next_start_offers_resume_with_the_same_answers_marks_and_time(make_app):
    ids, picks, marked = await sit_and_quit(make_app)
    cards, log = schedule_bytes(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamDialog)
        shown = terminal_text(app)
        assert "A practice exam was left unfinished" in shown
        assert "Answered 3 of 6, 1 marked for review" in shown
        left = re.search(r"(\d\d):(\d\d) left on the clock", shown)
        assert left is not None
        assert 10 * 60 <= int(left[1]) * 60 + int(left[2]) <= 12 * 60 - 100
        await pilot.press("r")
        await pilot.pause()
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        assert [q.id for q in exam.paper.questions] == ids
        assert exam.answers == picks and exam.marked == marked
        assert exam.index == 3
        assert "Question 4 of 6" in terminal_text(app)
        assert 12 * 60 - 100 - 30 < exam.remaining() <= 12 * 60 - 100
        # The remaining three, then submit: the attempt holds all six answers.
        for question in exam.paper.questions[3:]:
            await pilot.press(str(exam.order.index(right(question)[0]) + 1), "n")
        await pilot.press("s", "y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        attempt = app.study.doc.exams[-1]
        assert attempt["right"] == 5 and attempt["resumed"] is True
        assert [a["qid"] for a in attempt["answers"]] == ids
    app.store.close()
    # Started, saved, quit, resumed, submitted: the schedule is byte for byte the same.
    assert schedule_bytes(make_app) == (cards, log)
    data = saved(make_app)
    assert "exam_in_progress" not in data and len(data["exams"]) == 1


async def test_discard_forgets_the_saved_exam_and_later_keeps_it(make_app):
    await sit_and_quit(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamDialog)
        await pilot.press("escape")  # later
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.doc.exam_in_progress is not None
    app.store.close()
    assert "exam_in_progress" in saved(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamDialog)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.doc.exam_in_progress is None
        assert app.study.doc.exams == []
    app.store.close()
    assert "exam_in_progress" not in saved(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)  # nothing offered any more


async def test_questions_gone_from_the_content_are_left_out_with_a_notice(make_app):
    ids, _, _ = await sit_and_quit(make_app)
    gone = ids[0]
    for bank in (make_app.root / "banks").iterdir():
        text = bank.read_text()
        start = text.find(f"  - id: {gone}\n")
        if start >= 0:
            end = text.find("  - id: ", start + 1)
            bank.write_text(text[:start] + (text[end:] if end >= 0 else ""))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        assert [q.id for q in exam.paper.questions] == ids[1:]
        notices = [n.message for n in app._notifications]
        assert any("1 question no longer in the content was left out." in n for n in notices)
        assert exam.index == 2  # still the fourth question of the paper


async def test_a_damaged_saved_exam_is_dropped_with_a_notice(make_app):
    await sit_and_quit(make_app)
    data = saved(make_app)
    data["exam_in_progress"]["time_left_s"] = "lots"
    make_app.progress.write_text(json.dumps(data))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        notices = [n.message for n in app._notifications]
        assert any("exam_in_progress: 'time_left_s' must be" in n for n in notices)
        assert app.study.doc.cards == data["cards"]


async def test_starting_a_new_exam_over_a_saved_one_asks_first(make_app):
    from studyguide.tui.screens.dialogs import ConfirmDialog

    ids, _, _ = await sit_and_quit(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")  # later
        await pilot.press("e", "2")
        assert isinstance(app.screen, ConfirmDialog)
        assert "Starting a new exam discards it" in terminal_text(app)
        await pilot.press("n")
        assert app.study.doc.exam_in_progress["questions"][0]["qid"] == ids[0]
        await pilot.press("2", "y")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert len(app.study.doc.exam_in_progress["questions"]) == 12
