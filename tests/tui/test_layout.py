"""Layout at 80x24, 120x40 and below (60x20): what the learner can see, and that nothing
off the screen is ever answered."""

from __future__ import annotations

import re

import pytest

from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.exam import ExamScreen
from studyguide.tui.screens.review import ReviewScreen
from tests.tui.conftest import terminal_text

SMALL, STANDARD, LARGE = (60, 20), (80, 24), (120, 40)
# About 700 characters: at 60x20 the first choices show and the last ones do not.
LONG_PROMPT = " ".join(["Which of these would a calm officer say first, and why?"] * 13)


def long_prompts(root) -> None:
    """Every question of the generated course gets the long prompt."""
    for bank in (root / "banks").glob("*.yaml"):
        text = re.sub(r"prompt: Question \d+ of m\d\?", f"prompt: {LONG_PROMPT}", bank.read_text())
        bank.write_text(text)


def inside(widget, area) -> bool:
    view, region = area.scrollable_content_region, widget.region
    return region.height > 0 and view.y <= region.y and region.bottom <= view.bottom


def off_screen_number(screen, area_id: str, prefix: str) -> int:
    area = screen.query_one(area_id)
    numbers = range(1, len(screen.order) + 1)
    hidden = [n for n in numbers if not inside(screen.query_one(f"#{prefix}{n}"), area)]
    assert hidden, "every choice fits: the test needs a longer prompt"
    assert inside(screen.query_one(f"#{prefix}1"), area), "choice 1 should be on screen"
    return hidden[-1]


async def test_review_never_grades_a_choice_below_the_screen(make_app):
    long_prompts(make_app.root)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        area = screen.query_one("#question-area")
        number = off_screen_number(screen, "#question-area", "choice-")
        assert screen.query_one(".more-below").display  # more is below, and it says so
        await pilot.press(str(number))
        await pilot.pause()
        # Not graded: the choice is scrolled into view instead, and the log is empty.
        assert screen.answer is None and app.study.doc.log == []
        assert inside(screen.query_one(f"#choice-{number}"), area)
        assert f"choice {number} is shown now: press {number} again" in terminal_text(app)
        await pilot.press(str(number))
        await pilot.pause()
        assert screen.answer is not None
        assert screen.answer.picked == frozenset({screen.order[number - 1]})


async def test_exam_never_picks_a_choice_below_the_screen(make_app):
    long_prompts(make_app.root)
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e", "1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        area = screen.query_one("#exam-question")
        number = off_screen_number(screen, "#exam-question", "choice-")
        assert screen.query_one(".more-below").display
        await pilot.press(str(number))
        await pilot.pause()
        assert screen.answers.get(screen.question.id, set()) == set()
        assert inside(screen.query_one(f"#choice-{number}"), area)
        assert f"press {number} again" in terminal_text(app)
        await pilot.press(str(number))
        await pilot.pause()
        assert screen.answers[screen.question.id] == {screen.order[number - 1]}


@pytest.mark.parametrize("size", [SMALL, STANDARD, LARGE])
async def test_a_visible_choice_answers_at_once(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("r", "1")
        await pilot.pause()
        assert app.screen.answer is not None


async def test_a_wrong_answer_shows_why_and_read_more_at_80x24(make_app):
    long_prompts(make_app.root)
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        wrong = next(
            n for n, i in enumerate(screen.order, 1) if not screen.question.choices[i].correct
        )
        await pilot.press(str(wrong))
        await pilot.pause()
        await pilot.pause()
        assert screen.answer is not None and not screen.answer.correct
        text = terminal_text(app)
        assert "✘ Wrong" in text and "Why: Because." in text, text
        assert "Read more: Module 1 › One" in text, text


LONG_TITLE = "Approachability and positive everyday interactions"  # 50, the longest shipped
COURSE_TITLE = "studyguide — Community rapport for Massachusetts security officers"


async def test_dashboard_shows_whole_titles_at_80x24(make_app):
    lesson = make_app.root / "lessons" / "m1.yaml"
    lesson.write_text(lesson.read_text().replace("title: Module 1", f"title: {LONG_TITLE}"))
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        text = terminal_text(app)
        assert COURSE_TITLE in text, text
        row = next(line for line in text.splitlines() if LONG_TITLE[:20] in line)
        assert LONG_TITLE in row and "…" not in row, row
        assert row.rstrip().endswith("0/10 │"), row


@pytest.mark.parametrize("size", [SMALL, STANDARD, LARGE])
async def test_dashboard_fits_and_uses_the_screen(make_app, size):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        lines = terminal_text(app).splitlines()
        width, height = size
        assert len(lines) == height and all(len(line) <= width for line in lines)
        assert "q Quit" in lines[-1] and "? Help" in lines[-1], lines[-1]
        # No run of more than three blank rows inside a panel: the space is used.
        blank = [not line.strip("│ ") for line in lines]
        runs = "".join("b" if b else "." for b in blank)
        assert "bbbb" not in runs, "\n".join(lines)
        for widget in app.screen.query("*"):
            if widget.display and widget.region.area:
                assert widget.region.right <= width and widget.region.bottom <= height


URL = "https://www.mass.gov/doc/community-policing-and-rapport-guide/download?id=123456&lang=en"
BODY = " ".join(["Officers who greet people by name build trust over many months."] * 8)


def long_lesson(root) -> None:
    lesson = root / "lessons" / "m1.yaml"
    text = lesson.read_text().replace("body: Text.", f"body: {BODY}")
    lesson.write_text(text.replace("sources: []", f"sources:\n  - title: Guide\n    url: {URL}"))


async def test_the_reader_keeps_a_comfortable_measure_at_120x40(make_app):
    long_lesson(make_app.root)
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await pilot.press("l", "enter", "n")
        await pilot.pause()
        await pilot.pause()
        body = app.screen.query_one("#reader-markdown")
        assert body.region.width <= 76
        assert body.region.x == app.screen.query_one("#reader-heading").content_region.x
        lines = [line.strip() for line in terminal_text(app).splitlines()]
        officers = [line for line in lines if "Officers" in line or "months" in line]
        assert len(officers) >= 6 and all(len(line) <= 76 for line in officers), officers


async def test_a_long_source_url_breaks_after_a_separator_not_mid_word(make_app):
    long_lesson(make_app.root)
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("l", "enter", "n", "n")
        await pilot.pause()
        await pilot.pause()
        lines = [line.strip(" │") for line in terminal_text(app).splitlines()]
        start = next(i for i, line in enumerate(lines) if line.startswith("https://"))
        pieces = []
        for line in lines[start:]:
            if not line:
                break
            pieces.append(line.split()[-1])
        assert "".join(pieces) == URL, pieces
        assert len(pieces) > 1 and all(p[-1] in "/?&=#-._" for p in pieces[:-1]), pieces


async def test_help_lines_up_its_key_columns_and_names_keys_one_way(make_app):
    from textual.geometry import Region

    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        starts, text = set(), []
        for widget in app.screen.query("#help-box Static"):
            width, height = widget.outer_size
            for strip in widget.render_lines(Region(0, 0, width, height)):
                line = strip.text
                text.append(line)
                match = re.match(r"^(\s*)(\S+)(\s{2,})(\S)", line)
                if match and not line.strip().startswith(("Everywhere", "Dashboard")):
                    starts.add(match.start(4))
        assert len(starts) == 1, starts  # every description starts in the same column
        joined = "\n".join(text)
        assert "PgDn" in joined and "pagedown" not in joined and "pageup" not in joined


HUGE_PROMPT = " ".join(["The officer reads the whole incident report before answering."] * 82)
LONG_WORD = "x" * 500


def huge_content(root) -> None:
    """A 5,000-character prompt everywhere, and a 500-character word in a choice."""
    for bank in (root / "banks").glob("*.yaml"):
        text = re.sub(r"prompt: Question \d+ of m\d\?", f"prompt: {HUGE_PROMPT}", bank.read_text())
        bank.write_text(text.replace("Wrong answer two,", f"Wrong {LONG_WORD} two,"))


@pytest.mark.parametrize("where", ["review", "exam"])
async def test_a_5000_character_prompt_scrolls_to_every_choice_at_80x24(make_app, where):
    assert len(HUGE_PROMPT) > 5000
    huge_content(make_app.root)
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.press(*(["r"] if where == "review" else ["e", "1"]))
        await pilot.pause()
        screen = app.screen
        area_id = "#question-area" if where == "review" else "#exam-question"
        area = screen.query_one(area_id)
        assert not inside(screen.query_one("#choice-1"), area)
        assert screen.query_one(".more-below").display
        for _ in range(200):  # the keyboard alone reaches the end
            if not screen.query_one(".more-below").display:
                break
            await pilot.press("pagedown")
            await pilot.pause()
        assert not screen.query_one(".more-below").display
        rows = [screen.query_one(f"#choice-{n}") for n in range(1, len(screen.order) + 1)]
        assert all(inside(row, area) or row.region.height > area.size.height for row in rows)
        # The 500-character word is folded inside the screen, all of it shown.
        text = terminal_text(app)
        unbarred = re.sub("[▁▂▃▄▅▆▇█]", "", text)  # the scrollbar's thumb beside the text
        assert LONG_WORD in "".join(unbarred.split())  # folded onto several lines, all shown
        assert all(len(line) <= STANDARD[0] for line in text.splitlines())
        await pilot.press("1")
        await pilot.pause()
        if where == "review":
            assert screen.answer is not None
        else:
            assert screen.answers.get(screen.question.id)


async def test_the_coming_panel_is_not_drawn_without_room_for_a_day(make_app):
    app = make_app()
    async with app.run_test(size=(80, 16)) as pilot:  # three modules leave two rows
        await pilot.pause()
        assert "Coming up" not in terminal_text(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert "Coming up" in terminal_text(app)


async def test_the_review_footer_keeps_help_after_a_right_answer_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=STANDARD) as pilot:
        await pilot.press("r")
        screen = app.screen
        right = next(n for n, i in enumerate(screen.order, 1) if screen.question.choices[i].correct)
        await pilot.press(str(right))
        await pilot.pause()
        assert screen.answer.correct
        footer = terminal_text(app).splitlines()[-1]
        assert "h Guess" in footer and footer.rstrip().endswith("? Help"), footer


async def test_the_reviews_chart_widens_its_days_on_a_wide_terminal(make_app):
    from tests.tui.test_snapshots import study_some

    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        study_some(app, make_app.clock)
        await pilot.press("t")
        await pilot.pause()
        lines = terminal_text(app).splitlines()
        axis = next(line for line in lines if "0 └" in line)
        assert axis.count("─") >= 3 * 30, axis  # three cells a day, not two
        assert all(len(line) <= LARGE[0] for line in lines)


async def test_a_long_flag_note_wraps_under_its_own_start(make_app):
    app = make_app()
    note = " ".join(["choice two could also be right on a night shift"] * 4)
    async with app.run_test(size=STANDARD) as pilot:
        app.study.flag(app.study.course.questions[0].id, note)
        await pilot.press("t")
        await pilot.pause()
        widget = app.screen.query_one("#stats-problems")
        app.screen.query_one("#stats").scroll_to_widget(widget, animate=False, top=True)
        await pilot.pause()
        lines = terminal_text(app).splitlines()
        at = next(i for i, line in enumerate(lines) if "note:" in line)
        start = lines[at].index("choice two")
        follow = lines[at + 1 : at + 3]
        assert all(line[start - 1] == " " and line[start] != " " for line in follow), lines


@pytest.mark.parametrize("key", ["o", "t", "l", "r", "e"])
async def test_every_screen_fits_60x20(make_app, key):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press(key)
        await pilot.pause()
        for widget in app.screen.query("*"):
            if not (widget.display and widget.region.area):
                continue
            assert widget.region.right <= SMALL[0], widget
            # Not under a scrollbar either: inside the view of the area that scrolls it.
            area = next((a for a in widget.ancestors if getattr(a, "is_scrollable", False)), None)
            if area is not None and area.is_scrollable and area is not app.screen:
                assert widget.region.right <= area.scrollable_content_region.right, widget
        footer = terminal_text(app).splitlines()[-1]
        assert "? Help" in footer, footer  # the footer is not cut off
