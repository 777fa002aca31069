"""Live reload while screens are open: real YAML files edited on disk, then reloaded the way
the running app does it (the watcher's worker loads the roots and hands the result to
`_apply_reload` on the app's thread)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from studyguide import paths
from studyguide.tui.app import load_course
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.reader import ReaderScreen
from studyguide.tui.screens.review import ReviewScreen
from studyguide.tui.screens.summary import SummaryScreen
from tests.tui.test_review import choice_number, screen_text


def bank(root: Path, module: str) -> Path:
    return next((root / "banks").glob(f"*{module}.yaml"))


def break_yaml(path: Path) -> None:
    """An instructor's save with a YAML syntax error in it."""
    path.write_text(path.read_text() + "  - id: [unclosed\n")


def move_right_answer_last(path: Path, qid: str) -> None:
    """Reorder one question's choices in the file: the right answer goes last."""
    text = path.read_text()
    start = text.index(f"  - id: {qid}\n")
    end = text.find("\n  - id: ", start + 1)
    end = len(text) if end < 0 else end + 1
    block = text[start:end]
    right = "      - {text: Right answer, correct: true, feedback: Yes.}\n"
    last = "      - {text: Wrong answer three, feedback: No.}\n"
    assert right in block and last in block
    block = block.replace(right, "").replace(last, last + right)
    path.write_text(text[:start] + block + text[end:])


async def reload_now(app, pilot) -> None:
    """What the watcher's worker does, then let every screen handle the news."""
    app._apply_reload(load_course(app.roots))
    await pilot.pause()
    await pilot.pause()


def notices(app) -> str:
    return "\n".join(n.message for n in app._notifications)


# --- the question on screen -----------------------------------------------------------


async def test_bank_broken_while_its_question_is_shown_moves_on_without_crashing(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        assert review.question.id == "m1-q01"
        break_yaml(bank(make_app.root, "m1"))
        await reload_now(app, pilot)
        assert "no longer in the content" in notices(app)
        # Moved on to a question that still exists; the session goes on.
        assert app.screen is review and review.question.module != "m1"
        await pilot.press(choice_number(review, want_correct=True))
        assert review.answer is not None and review.answer.correct
        assert app.study.doc.log[-1]["qid"] == review.question.id
        assert app.return_code is None  # still running


async def test_reordered_choices_grade_what_was_shown(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        shown = review.question
        number = choice_number(review, want_correct=True)  # the number next to the right one
        move_right_answer_last(bank(make_app.root, "m1"), shown.id)
        await reload_now(app, pilot)
        assert app.study.course.by_id[shown.id].choices[-1].text == "Right answer"
        assert review.question == shown  # answered as displayed, until the learner moves on
        assert "edited" in notices(app)
        await pilot.press(number)
        assert review.answer.correct
        text = screen_text(app)
        assert "✔ Right" in text and "✘ Wrong" not in text
        assert "✔ correct, your answer: Right answer" in text
        entry = app.study.doc.log[-1]
        assert entry["picked"] == ["Right answer"] and entry["correct"] and entry["rating"] == 3
        # The next time it is asked, the new version shows.
        await pilot.press("u")
        assert review.question == app.study.course.by_id[shown.id] != shown


async def test_rerating_after_the_question_was_removed_does_not_crash(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press(choice_number(review, want_correct=True))
        break_yaml(bank(make_app.root, "m1"))
        await reload_now(app, pilot)
        assert "no longer in the content" in notices(app)
        await pilot.press("e")
        entry = app.study.doc.log[-1]
        assert entry["qid"] == "m1-q01" and entry["rating"] == 4
        assert entry["picked"] == ["Right answer"]
        await pilot.press("enter")
        assert review.question.module != "m1"
        assert app.return_code is None


async def test_rerating_after_an_edit_keeps_the_shown_choices(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press(choice_number(review, want_correct=True))
        move_right_answer_last(bank(make_app.root, "m1"), review.question.id)
        await reload_now(app, pilot)
        await pilot.press("h")
        entry = app.study.doc.log[-1]
        assert entry["rating"] == 2 and entry["picked"] == ["Right answer"]
        assert "✔ Right" in screen_text(app)


async def test_a_bank_broken_mid_session_does_not_end_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press(choice_number(review, want_correct=True), "enter")
        assert review.question.id == "m1-q02"
        # Everything left in m1 goes; m2's new questions are still there to ask.
        break_yaml(bank(make_app.root, "m1"))
        await reload_now(app, pilot)
        asked = []
        while isinstance(app.screen, ReviewScreen) and len(asked) < 80:
            asked.append(review.question.id)
            await pilot.press(choice_number(review, want_correct=True), "enter")
        # m1 is gone; today's new limit (15, one used on m1) is filled from m2, then m3.
        expected = {f"m2-q{n:02d}" for n in range(1, 11)} | {f"m3-q{n:02d}" for n in range(1, 5)}
        assert set(asked) == expected
        assert isinstance(app.screen, SummaryScreen)
        assert review.session.stats.answered == len(asked) + 1


async def test_a_fixed_bank_comes_back_into_the_open_session(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        path = bank(make_app.root, "m1")
        good = path.read_text()
        break_yaml(path)
        await reload_now(app, pilot)
        assert review.question.module == "m2"
        path.write_text(good)
        await reload_now(app, pilot)
        await pilot.press(choice_number(review, want_correct=True), "enter")
        assert review.question.module == "m1"  # curriculum order again, m1 first


# --- every open screen -----------------------------------------------------------------


async def test_every_screen_in_the_stack_learns_of_a_reload(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press(choice_number(review, want_correct=False), "l")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        dashboard = app.screen_stack[0]
        assert isinstance(dashboard, DashboardScreen)
        lesson = make_app.root / "lessons" / "m1.yaml"
        lesson.write_text(lesson.read_text().replace("title: Module 1", "title: Module One"))
        path = bank(make_app.root, "m1")
        path.write_text(path.read_text().replace("Question 2 of m1?", "Question 2, edited?"))
        await reload_now(app, pilot)
        # The reader on top, and the dashboard two screens down, both show the new title.
        assert "Module One" in str(reader.query_one("#reader-heading").content)
        assert "Module One" in str(dashboard.query_one("#mastery-rows").content)
        # The review below the reader shows the new lesson title, and asks the new version.
        await pilot.press("escape")
        assert app.screen is review
        assert "Read more: Module One" in screen_text(app)
        await pilot.press("enter")
        assert review.question.id == "m1-q02" and review.question.prompt == "Question 2, edited?"


async def test_review_below_another_screen_moves_on_when_shown_again(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        await pilot.press("question_mark")  # the help over the review, while asking
        assert app.screen is not review
        break_yaml(bank(make_app.root, "m1"))
        await reload_now(app, pilot)
        assert app.screen is not review  # the reload did not pull the help away
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is review and review.question.module != "m1"
        assert "no longer in the content" in notices(app)


async def test_exam_in_progress_keeps_its_paper_through_a_reload(make_app):
    from studyguide.tui.screens.exam import ExamScreen
    from studyguide.tui.screens.exam_results import ExamResultsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e", "1")
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        paper = exam.paper
        for module in ("m1", "m2"):
            for question in paper.questions:
                if question.module == module:
                    move_right_answer_last(bank(make_app.root, module), question.id)
        break_yaml(bank(make_app.root, "m3"))
        await pilot.press("g")  # the go-to list over the exam: the exam still learns of it
        await reload_now(app, pilot)
        assert "keeps the questions it started with" in notices(app)
        await pilot.press("escape")
        assert app.screen is exam and exam.paper is paper
        for index in range(len(paper.questions)):
            exam.go(index)
            question = exam.question
            number = next(n for n, i in enumerate(exam.order, 1) if question.choices[i].correct)
            await pilot.press(str(number))
        await pilot.press("s")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        attempt = app.study.doc.exams[-1]
        assert attempt["right"] == attempt["total"] == len(paper.questions)
        assert {a["qid"] for a in attempt["answers"]} == {q.id for q in paper.questions}


async def test_reload_of_a_copy_of_the_bundled_content(tmp_path, make_app):
    """The real course: reorder the choices of the question on screen, then break its bank."""
    import yaml

    root = tmp_path / "content"
    shutil.copytree(paths.bundled_content_dir(), root)
    app = make_app(roots=[root])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        shown = review.question
        path = next(
            p for p in (root / "banks").glob("*.yaml") if f"id: {shown.id}" in p.read_text()
        )
        data = yaml.safe_load(path.read_text())
        raw = next(q for q in data["questions"] if q["id"] == shown.id)
        raw["choices"].reverse()
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
        stamp = path.stat().st_mtime_ns + 5_000_000_000
        os.utime(path, ns=(stamp, stamp))
        await reload_now(app, pilot)
        new = app.study.course.by_id[shown.id]
        assert [c.text for c in new.choices] == [c.text for c in reversed(shown.choices)]
        await pilot.press(choice_number(review, want_correct=True))
        assert review.answer.correct and app.study.doc.log[-1]["correct"]
        right = [c.text for c in shown.choices if c.correct]
        assert app.study.doc.log[-1]["picked"] == right
        await pilot.press("enter")
        nxt = review.question
        path = next(p for p in (root / "banks").glob("*.yaml") if f"id: {nxt.id}" in p.read_text())
        break_yaml(path)
        await reload_now(app, pilot)
        assert "no longer in the content" in notices(app)
        assert review.question is not None and review.question.id in app.study.course.by_id
        assert app.return_code is None


async def test_the_watcher_reload_of_a_broken_bank_under_a_review(make_app):
    """The path the running app takes: the poll notices the save, a worker thread loads the
    content, and the app applies it."""
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        assert review.question.id == "m1-q01"
        path = bank(make_app.root, "m1")
        break_yaml(path)
        stamp = path.stat().st_mtime_ns + 5_000_000_000
        os.utime(path, ns=(stamp, stamp))
        for _ in range(60):
            await pilot.pause(0.1)
            if "no longer in the content" in notices(app):
                break
        assert "no longer in the content" in notices(app)
        assert review.question.module == "m2"
        await pilot.press(choice_number(review, want_correct=True))
        assert app.study.doc.log[-1]["qid"] == review.question.id


async def test_lessons_list_under_the_reader_and_a_reader_whose_lesson_goes(make_app):
    from studyguide.tui.screens.lessons import LessonsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l", "enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.module_id == "m1"
        lessons = app.screen_stack[-2]
        assert isinstance(lessons, LessonsScreen)
        other = make_app.root / "lessons" / "m2.yaml"
        other.write_text(other.read_text().replace("title: Module 2", "title: Module Two"))
        mine = make_app.root / "lessons" / "m1.yaml"
        break_yaml(mine)
        await reload_now(app, pilot)
        assert "This lesson is no longer in the content." in notices(app)
        assert "Module 1" in str(reader.query_one("#reader-heading").content)  # as it was
        await pilot.press("n")  # reading on is still possible
        assert reader.index == 1 and app.screen is reader
        # The list below already shows the new content, without being shown again.
        ids = [lessons.query_one("#lesson-list").get_option_at_index(i).id for i in range(2)]
        assert ids == ["m2", "m3"]
        await pilot.press("escape")
        assert app.screen is lessons and "Module Two" in screen_text(app)
