"""Pilot tests of the lessons list and the lesson reader at 80x24."""

from __future__ import annotations

import io

from rich.console import Console
from textual.geometry import Region
from textual.widgets import Markdown, OptionList

from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.lessons import LessonsScreen
from studyguide.tui.screens.reader import ReaderScreen
from studyguide.tui.screens.review import ReviewScreen


def plain(renderable, width: int = 76) -> str:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(renderable)
    return console.export_text()


def shown(app, selector: str) -> str:
    """The characters a widget puts on the screen, line by line."""
    widget = app.screen.query_one(selector)
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text.rstrip() for line in lines)


def rows(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_lessons(pilot) -> LessonsScreen:
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(pilot.app.screen, LessonsScreen)
    return pilot.app.screen


async def test_list_in_curriculum_order_with_progress_and_summary(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        study = app.study
        for question in study.course.module_questions("m2")[:3]:
            study.answer(question.id, question.correct_indexes, 1000)
        await open_lessons(pilot)
        options = app.screen.query_one(OptionList)
        assert [options.get_option_at_index(i).id for i in range(3)] == ["m1", "m2", "m3"]
        listed = rows(app)
        assert "1." in listed[0] and "Module 1" in listed[0] and "0/10 studied" in listed[0]
        assert "3/10 studied" in listed[1] and "mastery" in listed[1]
        assert "About m1." in shown(app, "#lesson-summary-text")
        await pilot.press("down")
        assert "About m2." in shown(app, "#lesson-summary-text")
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_reader_pages_and_remembers_the_position(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        positions = app.study.doc.lesson_positions
        await open_lessons(pilot)
        await pilot.press("enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.module_id == "m1"
        heading = shown(app, "#reader-heading")
        assert "Module 1" in heading and "Page 1 of 3: Overview" in heading
        assert "About m1." in shown(app, "#reader-text")
        assert "Learn it." in shown(app, "#reader-text")

        await pilot.press("n")
        assert "Page 2 of 3: One" in shown(app, "#reader-heading")
        assert positions["m1"] == "s1"
        assert reader.query_one(Markdown).display
        await pilot.press("right")
        assert positions["m1"] == "terms"
        assert "Key terms and sources" in shown(app, "#reader-heading")
        assert "no key terms" in shown(app, "#reader-text")
        assert reader.check_action("next_page", ()) is None  # greyed out on the last page
        await pilot.press("n")
        assert reader.index == 2 and positions["m1"] == "terms"
        await pilot.press("escape")  # n on the last page offers the quiz: not now
        await pilot.press("left")
        assert positions["m1"] == "s1"
        await pilot.press("p")
        assert positions["m1"] == "overview"
        assert reader.check_action("previous_page", ()) is None
        await pilot.press("n")

        await pilot.press("escape")
        assert isinstance(app.screen, LessonsScreen)
        assert "you stopped at: One" in shown(app, "#lesson-summary-text")
        await pilot.press("enter")
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.index == 1  # resumed at the section read last
        assert "Page 2 of 3: One" in shown(app, "#reader-heading")
        await pilot.press("escape")
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
    app.store.close()
    assert '"m1": "s1"' in make_app.progress.read_text()


async def test_q_on_the_list_quizzes_the_highlighted_module(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lessons(pilot)
        await pilot.press("down", "down")
        await pilot.press("q")
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.module == "m3"
        assert app.screen.question.module == "m3"
        await pilot.press("1")
        await pilot.press("enter")
        await pilot.press("q")  # ends the session: summary
        await pilot.press("enter")
        assert isinstance(app.screen, LessonsScreen)
        assert "1/10 studied" in rows(app)[2]


async def test_q_in_the_reader_quizzes_the_module(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lessons(pilot)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("q")
        assert isinstance(app.screen, ReviewScreen) and app.screen.module == "m2"
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_from_review_opens_the_section_and_offers_no_quiz(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.press("1")
        module = review.question.module
        await pilot.press("l")
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.from_review
        assert reader.module_id == module
        assert "Page 2 of 3: One" in shown(app, "#reader-heading")
        assert app.study.doc.lesson_positions[module] == "s1"
        assert reader.check_action("quiz", ()) is False  # hidden, not just greyed
        await pilot.press("q")
        assert app.screen is reader
        await pilot.press("escape")
        assert app.screen is review


async def test_section_body_is_markdown_and_scrolls(make_app):
    lesson = make_app.root / "lessons" / "m1.yaml"
    long_body = "\\n\\n".join(f"Paragraph {n} with **bold** words." for n in range(1, 41))
    lesson.write_text(lesson.read_text().replace("body: Text.", f'body: "{long_body}"'))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lessons(pilot)
        await pilot.press("enter", "n")
        body = app.screen.query_one("#reader-body")
        markdown = app.screen.query_one(Markdown)
        await pilot.pause()
        assert "Paragraph 40" in markdown.source
        assert body.has_focus and body.max_scroll_y > 0
        await pilot.press("down", "down")
        await pilot.pause()
        assert body.scroll_y == 2
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 2
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        assert body.scroll_y == 0


async def test_markup_in_a_lesson_title_shows_literally(make_app):
    lesson = make_app.root / "lessons" / "m1.yaml"
    lesson.write_text(lesson.read_text().replace("title: Module 1", 'title: "[bold]Module[/]"'))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lessons(pilot)
        assert "[bold]Module[/]" in rows(app)[0]
        assert "1. [bold]Module[/]" in shown(app, "#lesson-list")
        assert "[bold]Module[/]" in shown(app, "#lesson-summary-text")
        await pilot.press("enter")
        assert "[bold]Module[/]" in shown(app, "#reader-heading")


async def test_mouse_click_opens_a_module(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lessons(pilot)
        await pilot.click("#lesson-list", offset=(10, 2))  # the second row, below the border
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.module_id == "m2"
