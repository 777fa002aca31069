"""The reader's keys (Space pages, `n` on the last page offers the quiz) and the lessons
list counting pages the way the reader does, with reading progress."""

from __future__ import annotations

from studyguide.engine.reading import pages_of, reading_progress
from studyguide.tui.screens.dialogs import ConfirmDialog
from studyguide.tui.screens.lessons import LessonsScreen
from studyguide.tui.screens.reader import ReaderScreen
from studyguide.tui.screens.review import ReviewScreen
from tests.tui.conftest import terminal_text
from tests.tui.test_lessons import open_lessons, rows, shown

SIZE = (80, 24)


def two_long_sections(make_app) -> None:
    """Module 1 gets two sections, the first long enough to scroll."""
    lesson = make_app.root / "lessons" / "m1.yaml"
    long_body = "\\n\\n".join(f"Paragraph {n} of the first section." for n in range(1, 41))
    lesson.write_text(
        lesson.read_text().replace(
            "    body: Text.\n",
            f'    body: "{long_body}"\n  - id: s2\n    title: Two\n    body: Short.\n',
        )
    )


async def test_space_scrolls_then_turns_the_page_then_offers_the_quiz(make_app):
    two_long_sections(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lessons(pilot)
        await pilot.press("enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        assert "Page 1 of 4: Overview" in shown(app, "#reader-heading")
        await pilot.press("space")  # the overview fits: the next page
        await pilot.pause()
        assert reader.index == 1
        body = reader.query_one("#reader-body")
        assert body.max_scroll_y > 0
        await pilot.press("space")
        await pilot.pause()
        assert reader.index == 1 and body.scroll_y > 0  # a screen further down
        for _ in range(20):
            if body.scroll_y >= body.max_scroll_y:
                break
            await pilot.press("space")
            await pilot.pause()
        assert reader.index == 1 and body.scroll_y == body.max_scroll_y
        await pilot.press("space")  # at the bottom: the next page
        await pilot.pause()
        assert reader.index == 2 and "Page 3 of 4: Two" in shown(app, "#reader-heading")
        await pilot.press("space", "space")  # to the last page, then past it
        await pilot.pause()
        assert reader.index == 3
        assert isinstance(app.screen, ConfirmDialog)
        assert "last page of Module 1." in terminal_text(app)
        assert app.screen.question.endswith("Quiz yourself on this module now?")


async def test_n_on_the_last_page_offers_the_quiz(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lessons(pilot)
        await pilot.press("enter", "n")
        reader = app.screen
        assert reader.check_action("end_of_lesson", ()) is False  # not before the last page
        assert "Quiz?" not in terminal_text(app)
        await pilot.press("n")
        assert reader.index == 2
        assert "n Quiz?" in terminal_text(app)  # the footer says what n does now
        await pilot.press("n")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # not now
        assert app.screen is reader and reader.index == 2
        await pilot.press("n", "y")
        assert isinstance(app.screen, ReviewScreen) and app.screen.module == "m1"


async def test_n_on_the_last_page_from_a_review_offers_nothing(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "1", "l")
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.from_review
        await pilot.press("n", "n", "space")
        assert app.screen is reader and reader.index == 2


async def test_the_list_counts_pages_like_the_reader_and_shows_reading(make_app):
    two_long_sections(make_app)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lessons(pilot)
        lesson = app.study.course.lessons_by_id["m1"]
        assert len(pages_of(lesson)) == 4
        summary = shown(app, "#lesson-summary-text")
        assert "4 pages (2 sections), 0 read" in summary
        assert "read" not in rows(app)[0] and "read" not in rows(app)[1]  # nothing yet
        await pilot.press("enter")
        assert "Page 1 of 4" in shown(app, "#reader-heading")  # the same count
        await pilot.press("n", "escape")
        assert isinstance(app.screen, LessonsScreen)
        assert "2/4 read" in rows(app)[0]
        assert "4 pages (2 sections), 2 read · you stopped at: One" in shown(
            app, "#lesson-summary-text"
        )
        await pilot.press("enter", "n", "n", "escape")
        assert "✓ read" in rows(app)[0]
        assert "4 pages (2 sections), all read" in shown(app, "#lesson-summary-text")
        assert "you stopped at: Key terms and sources" in shown(app, "#lesson-summary-text")
    app.store.close()
    saved = make_app.progress.read_text()
    assert '"pages_read": {' in saved and '"terms"' in saved
    # The next start still knows what was read.
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_lessons(pilot)
        assert "✓ read" in rows(app)[0]


def test_reading_progress_counts_only_pages_still_in_the_lesson(make_app):
    from studyguide.course import load_content

    course = load_content([make_app.root]).course
    lesson = course.lessons_by_id["m1"]
    assert reading_progress(lesson, []).read == 0
    progress = reading_progress(lesson, ["overview", "gone-section", "s1"])
    assert (progress.read, progress.pages, progress.done) == (2, 3, False)
    assert reading_progress(lesson, ["overview", "s1", "terms"]).done
