"""Hostile content text: escape sequences are refused by the validator; everything else
(markup of every kind, zero-width and combining characters, right-to-left words, emoji,
wide characters, words far longer than the screen) is shown exactly as written, never
interpreted, and never breaks the 80x24 layout. Pilot tests drive every screen that
shows content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Footer, Input, Markdown, Static

from studyguide.cli import main
from studyguide.course import load_content
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.dialogs import ConfirmDialog, NoteDialog
from studyguide.tui.screens.exam import ExamScreen
from studyguide.tui.screens.exam_goto import JumpDialog
from studyguide.tui.screens.exam_results import ExamResultsScreen
from studyguide.tui.screens.exam_setup import ExamSetupScreen
from studyguide.tui.screens.lessons import LessonsScreen
from studyguide.tui.screens.reader import ReaderScreen
from studyguide.tui.screens.review import ReviewScreen
from studyguide.tui.screens.stats import StatsScreen
from studyguide.tui.screens.summary import SummaryScreen
from tests.tui.conftest import AppFactory, terminal_text

SIZE = (80, 24)

# --- the hostile strings ---------------------------------------------------------------

RICH = "[bold]x[/] [link=https://evil]click[/link] [/] [red on blue]"
TEXTUAL = "$accent [@click=app.quit]x[/]"
CLICK = "[@click=app.quit]x[/]"
MD = "**not bold**"
ZW = "zero\u200bwidth jo\u200dined b\ufeffom"
RTL = "مرحبا שלום"
COMBINING = "cafe\u0301 n\u0303o Z\u0351\u0352"
EMOJI = "👩\u200d👩\u200d👧 👍🏽 🇺🇸"
CJK = "漢字テスト한국어"
LONG = "Llanfair" * 250  # one 2,000-character word
URL = "https://example.com/" + "p" * 280  # a 300-character URL
assert len(LONG) == 2000 and len(URL) == 300

SHORT = " ".join([RICH, TEXTUAL, MD, ZW, RTL, COMBINING, EMOJI, CJK])
# Space-free pieces: each must show on one terminal line, character for character.
TOKENS = (
    "[bold]x[/]",
    "[link=https://evil]click[/link]",
    "[/]",
    "[red",
    "blue]",
    "$accent",
    CLICK,
    MD.split()[0],
    "zero\u200bwidth",
    "jo\u200dined",
    "b\ufeffom",
    "مرحبا",
    "שלום",
    "cafe\u0301",
    "n\u0303o",
    "Z\u0351\u0352",
    "👩\u200d👩\u200d👧",
    "👍🏽",
    "🇺🇸",
    CJK,
)


def q(text: str) -> str:
    """A YAML double-quoted scalar holding `text` as it is (no escapes for non-ASCII)."""
    return json.dumps(text, ensure_ascii=False)


def write_hostile_course(root: Path) -> None:
    (root / "lessons").mkdir(parents=True)
    (root / "banks").mkdir()
    body = f"Body {SHORT}\n\nLong {LONG} end.\n\nSee {URL} too.\n\n[bold]brackets[/] stay."
    (root / "lessons" / "hostile.yaml").write_text(
        f"id: hostile\ntitle: {q('T ' + SHORT)}\norder: 1\nsummary: {q('S ' + SHORT)}\n"
        f"objectives: [{q('O ' + SHORT + ' ' + LONG)}]\n"
        f"sections:\n  - id: s1\n    title: {q('ST ' + SHORT)}\n    body: {q(body)}\n"
        f"key_terms:\n  - term: {q('K ' + RICH)}\n    definition: {q('D ' + SHORT + ' ' + LONG)}\n"
        f"sources:\n  - title: {q('SRC ' + TEXTUAL)}\n    url: {q(URL)}\n",
        encoding="utf-8",
    )
    # A second module whose title is all wide characters: titles are cut by screen cells.
    (root / "lessons" / "wide.yaml").write_text(
        f"id: wide\ntitle: {q(CJK * 8)}\norder: 2\nsummary: Wide.\nobjectives: [Read.]\n"
        "sections:\n  - id: w1\n    title: One\n    body: Text.\nkey_terms: []\nsources: []\n",
        encoding="utf-8",
    )
    (root / "banks" / "wide.yaml").write_text(
        "id: wide-bank\nmodule: wide\ntitle: Wide\nquestions:\n"
        "  - id: w1\n    type: true_false\n    prompt: Wide?\n    answer: true\n"
        "    feedback_true: Yes.\n    feedback_false: No.\n    explanation: Because.\n"
        "    lesson: wide#w1\n    tags: []\n",
        encoding="utf-8",
    )
    (root / "banks" / "hostile.yaml").write_text(
        f"""id: hostile-bank
module: hostile
title: {q("B " + RICH)}
scenarios:
  - id: sc
    text: {q("SC " + SHORT)}
questions:
  - id: h1
    type: single
    scenario: sc
    prompt: {q("P1 " + SHORT + "?")}
    choices:
      - text: {q("C1 " + RICH)}
        correct: true
        feedback: {q("F1 " + SHORT + " " + URL)}
      - text: {q("C2 " + TEXTUAL + " " + MD)}
        feedback: {q("F2 " + SHORT + " " + LONG)}
      - text: {q("C3 " + ZW + " " + RTL + " " + COMBINING + " " + EMOJI + " " + CJK)}
        feedback: {q("F3 " + SHORT)}
    explanation: {q("E1 " + SHORT + " " + LONG + " " + URL)}
    lesson: hostile#s1
    tags: []
  - id: h2
    type: multiple
    prompt: {q("P2 " + LONG + " " + URL + " " + CJK * 12)}
    choices:
      - text: {q("D1 " + URL)}
        correct: true
        feedback: {q("G1 " + LONG)}
      - text: {q("D2 " + CJK * 10 + " " + EMOJI * 8)}
        correct: true
        feedback: {q("G2 " + SHORT)}
      - text: {q("D3 " + RICH + " " + LONG)}
        feedback: {q("G3 " + TEXTUAL)}
    explanation: {q("E2 " + SHORT)}
    lesson: hostile#s1
    tags: []
  - id: h3
    type: true_false
    prompt: {q("P3 " + TEXTUAL + " " + RTL + " " + MD)}
    answer: true
    feedback_true: {q("FT " + SHORT)}
    feedback_false: {q("FF " + SHORT)}
    explanation: {q("E3 " + SHORT)}
    lesson: hostile#s1
    tags: []
""",
        encoding="utf-8",
    )
    (root / "exam.yaml").write_text(
        f"title: {q('X ' + RICH)}\nquestions: 4\nlengths: [4]\ntime_limit_minutes: 30\n"
        f"pass_mark: 0.7\nblueprint:\n  hostile: 0.75\n  wide: 0.25\nnote: {q('N ' + SHORT)}\n",
        encoding="utf-8",
    )


@pytest.fixture
def make_app(tmp_path):
    factory = AppFactory(tmp_path)
    yield factory
    factory.close()


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    root = tmp_path / "hostile"
    write_hostile_course(root)
    return root


@pytest.fixture
def hostile_app(make_app, course_root):
    """The app over the hostile course; `app.quits` records every app.quit action."""
    app = make_app(roots=[course_root])
    app.quits = []

    async def action_quit() -> None:
        app.quits.append(True)

    app.action_quit = action_quit
    return app


# --- reading the screen --------------------------------------------------------------


terminal = terminal_text


def rendered(app) -> str:
    """Every line each displayed widget of the current screen draws, including the lines
    scrolled out of view, at the widget's real width."""
    out = []
    for widget in app.screen.query("*"):
        if widget.children or not widget.display or not widget.outer_size.area:
            continue
        width, height = widget.outer_size
        lines = widget.render_lines(Region(0, 0, width, height))
        # Only the content area: a border's edges would sit between the wrapped lines.
        gutter = widget.styles.gutter
        lines = lines[gutter.top : height - gutter.bottom]
        out.append("\n".join(line.crop(gutter.left, width - gutter.right).text for line in lines))
    return "\n".join(out)


def squash(text: str) -> str:
    return "".join(text.split())


def assert_shows(text: str, *sources: str) -> None:
    """Every source string appears in `text`, character for character; wrapping may
    only have put line breaks and indentation where the source had spaces or where a
    word longer than a line was folded."""
    flat = squash(text)
    for source in sources:
        assert squash(source) in flat, f"not shown literally: {source[:80]!r}"


def assert_tokens_on_screen(app, tokens=TOKENS) -> None:
    screen = terminal(app)
    for token in tokens:
        assert token in screen, f"{token!r} is not on the terminal:\n{screen}"


def assert_layout(app) -> None:
    """Nothing wider than the terminal, no sideways scrolling, header and footer in place."""
    width, height = app.size
    screen = app.screen
    for widget in screen.query("*"):
        # The footer's keys are the app's, not content; after a right answer the review
        # keys need 94 columns whatever the content, so the footer scrolls (see report).
        if not widget.display or any(isinstance(a, Footer) for a in widget.ancestors_with_self):
            continue
        assert widget.outer_size.width <= width, widget
        assert widget.region.x >= 0 and widget.region.right <= width, widget
        if widget.is_scrollable:
            assert widget.max_scroll_x == 0, f"{widget} scrolls sideways"
    footer = screen.query_one(Footer)
    assert footer.region == Region(0, height - 1, width, 1)
    lines = terminal(app).splitlines()
    assert len(lines) == height
    assert "Help" in lines[-1] or "^p" in lines[-1], lines[-1]
    assert all(cell_len(line) <= width for line in lines)


async def click_on(app, pilot, token: str) -> None:
    """Click the middle of `token` where the terminal shows it."""
    for row, line in enumerate(terminal(app).splitlines()):
        at = line.find(token)
        if at >= 0:
            column = cell_len(line[:at]) + cell_len(token) // 2
            await pilot.click(offset=(column, row))
            await pilot.pause()
            return
    raise AssertionError(f"{token!r} is not on the terminal")


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


def still_running(app) -> None:
    assert app.quits == [], "content markup ran app.quit"
    assert app.is_running and app.return_code is None


async def pick(pilot, screen, number: str) -> None:
    """Press a choice's digit; a choice off the screen takes two presses (never answered
    unseen: the first press shows it)."""
    before = (set(screen.selected), screen.answer)
    await pilot.press(number)
    await settle(pilot)
    if (set(screen.selected), screen.answer) == before:
        await pilot.press(number)
        await settle(pilot)


def choice_number(screen, text_start: str) -> str:
    question = screen.question
    for number, index in enumerate(screen.order, 1):
        if question.choices[index].text.startswith(text_start):
            return str(number)
    raise AssertionError(text_start)


# --- the validator refuses escape sequences --------------------------------------------

ESCAPED = {
    "csi-colour": r"\e[31m",
    "osc8-link": r"\x1b]8;;http://x\x07",
    "bidi-override": r"\u202e",
    "c1-csi": r"\x9b",
    "bidi-isolate": r"\u2066",
}


@pytest.mark.parametrize("escape", ESCAPED.values(), ids=ESCAPED.keys())
@pytest.mark.parametrize("place", ["bank-prompt", "lesson-title", "section-body"])
def test_escaped_control_characters_are_rejected(course_root, capsys, escape, place):
    bank = course_root / "banks" / "hostile.yaml"
    lesson = course_root / "lessons" / "hostile.yaml"
    target, old, new = {
        "bank-prompt": (bank, 'prompt: "P1 ', f'prompt: "P1 {escape}'),
        "lesson-title": (lesson, 'title: "T ', f'title: "T {escape}red'),
        "section-body": (lesson, 'body: "Body ', f'body: "Body {escape}'),
    }[place]
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")

    result = load_content([course_root])
    errors = [p for p in result.problems if p.is_error]
    assert [(p.path, p.code) for p in errors] == [(target, "control-char")]
    controls = [chr(c) for c in (0x1B, 0x07, 0x9B, 0x202E, 0x2066)]
    course = result.course
    strings = [q.prompt for q in course.questions] + [lesson.title for lesson in course.lessons]
    strings += [s.body for lesson in course.lessons for s in lesson.sections]
    assert not any(c in s for s in strings for c in controls), "the control reached the course"

    assert main(["validate", str(course_root)]) == 1
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "[control-char]" in line)
    assert f"{target.parent.name}/{target.name}:" in line and "control character U+" in line


def test_the_hostile_course_is_valid_and_loads_every_character_unchanged(course_root):
    result = load_content([course_root])
    assert [p for p in result.problems if p.is_error] == []
    h1 = result.course.by_id["h1"]
    assert h1.prompt == "P1 " + SHORT + "?"
    assert h1.choices[0].text == "C1 " + RICH
    assert result.course.lessons_by_id["hostile"].sections[0].title == "ST " + SHORT


# --- the probe works: markup that is applied does run the action --------------------------


async def test_the_click_probe_catches_applied_markup(hostile_app):
    """Control for the tests below: if content were applied as Textual markup, clicking
    it would run app.quit, and the probe would see it."""
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await app.screen.mount(Static(Content.from_markup("probe [@click=app.quit]HERE[/]")))
        await settle(pilot)
        await click_on(app, pilot, "HERE")
        assert app.quits == [True]


# --- the screens ------------------------------------------------------------------


async def test_review_question_and_feedback_show_text_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen) and screen.question.id == "h1"
        h1 = screen.question
        assert_tokens_on_screen(app)
        assert_shows(rendered(app), h1.scenario.text, h1.prompt, *(c.text for c in h1.choices))
        assert_layout(app)
        await click_on(app, pilot, CLICK)
        still_running(app)

        # A wrong answer: the picked choice's and the right one's feedback, the explanation.
        await pilot.press(choice_number(screen, "C2"))
        await settle(pilot)
        assert screen.answer is not None and not screen.answer.correct
        text = rendered(app)
        assert_shows(text, h1.prompt, h1.choices[0].feedback, h1.choices[1].feedback)
        assert_shows(text, "Why: " + h1.explanation)
        assert_shows(text, "Read more: T " + SHORT + " › ST " + SHORT)
        assert "✘ Wrong" in terminal(app)
        assert_layout(app)
        await click_on(app, pilot, CLICK)
        still_running(app)

        # The linked lesson, then back to the same question.
        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, ReaderScreen) and app.screen.from_review
        assert_shows(rendered(app), "Body " + SHORT.replace(MD, "not bold"), LONG, URL)
        assert_layout(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen

        # The multiple-answer question: a 2,000-character word and a 300-character URL in
        # the prompt and the choices fold onto as many lines as they need, all of them.
        await pilot.press("enter")
        await settle(pilot)
        assert screen.question.id == "h2"
        h2 = screen.question
        assert_shows(rendered(app), h2.prompt, *(c.text for c in h2.choices))
        assert_layout(app)
        # The 2,000-character word pushes the choices off the screen: the first press of a
        # digit only scrolls its choice into view, the second picks it.
        await pick(pilot, screen, choice_number(screen, "D1"))
        await pick(pilot, screen, choice_number(screen, "D2"))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.answer is not None and screen.answer.correct
        text = rendered(app)
        assert_shows(text, *(c.text for c in h2.choices), h2.choices[0].feedback)
        assert_shows(text, h2.choices[1].feedback, h2.explanation)
        assert_layout(app)

        # True or false, then the session summary and the dashboard.
        await pilot.press("enter")
        await settle(pilot)
        assert screen.question.id == "h3"
        assert_shows(rendered(app), screen.question.prompt)
        await click_on(app, pilot, CLICK)
        await pilot.press(choice_number(screen, "True"))
        await settle(pilot)
        assert_shows(rendered(app), "FT " + SHORT, "E3 " + SHORT)
        assert_layout(app)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        assert_layout(app)
        still_running(app)
        assert [entry["qid"] for entry in app.study.doc.log] == ["h1", "h2", "h3"]
        assert app.study.doc.log[0]["picked"] == ["C2 " + TEXTUAL + " " + MD]


async def test_dashboard_and_lessons_list_show_titles_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = terminal(app)
        assert "T [bold]x[/] [link=https://evil]" in shown  # the title, cut to its column
        assert_layout(app)
        mastery = app.screen.query_one("#mastery-rows", Static)
        assert mastery.size.height == 2, "a module's row wrapped"
        assert CJK[:4] in shown

        await pilot.press("l")
        await settle(pilot)
        assert isinstance(app.screen, LessonsScreen)
        shown = terminal(app)
        assert "1. T [bold]x[/] [link=https://evil]click[/link]" in shown
        assert_shows(rendered(app), "T " + SHORT, "S " + SHORT)
        assert_layout(app)
        await click_on(app, pilot, CLICK)  # in the summary (a click on a row opens it)
        still_running(app)
        assert isinstance(app.screen, LessonsScreen)
        await pilot.press("down")
        await settle(pilot)
        assert_layout(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)


async def test_reader_renders_markdown_but_never_markup(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "enter")
        await settle(pilot)
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        # Overview: summary and objectives, literal text.
        heading = terminal(app).splitlines()[1:3]
        assert heading[0].startswith(" T [bold]x[/] [link=https://evil]click[/link]")
        assert "Page 1 of 3: Overview" in heading[1]
        assert_shows(rendered(app), "S " + SHORT, "O " + SHORT + " " + LONG)
        assert_layout(app)

        # The section: Markdown is rendered as Markdown, markup is not applied.
        await pilot.press("n")
        await settle(pilot)
        lines = terminal(app).splitlines()
        assert "Page 2 of 3: ST [bold]x[/]" in lines[2], "the section line is missing"
        markdown = reader.query_one(Markdown)
        assert markdown.display
        text = rendered(app)
        assert_shows(text, "Body " + SHORT.replace(MD, "not bold"), LONG, URL)
        assert MD not in text and "not bold" in text  # **…** is Markdown here
        assert "[bold]brackets[/] stay." in text
        assert_tokens_on_screen(app, [t for t in TOKENS if t != MD.split()[0]])
        assert_layout(app)
        await click_on(app, pilot, CLICK)
        still_running(app)
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        assert_layout(app)

        # Key terms and sources: literal again.
        await pilot.press("n")
        await settle(pilot)
        assert "Page 3 of 3: Key terms and sources" in terminal(app)
        assert_shows(rendered(app), "K " + RICH, "D " + SHORT + " " + LONG, "SRC " + TEXTUAL, URL)
        assert_layout(app)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        still_running(app)


async def test_exam_questions_and_results_show_text_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExamSetupScreen)
        assert_shows(rendered(app), "X " + RICH, "N " + SHORT)
        assert_layout(app)
        await pilot.press("1")
        await settle(pilot)
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        for index, question in enumerate(exam.paper.questions):
            assert exam.index == index
            parts = [question.prompt, *(c.text for c in question.choices)]
            if question.scenario is not None:
                parts.append(question.scenario.text)
            assert_shows(rendered(app), *parts)
            assert_layout(app)
            if question.id == "h1":
                await click_on(app, pilot, CLICK)
            await pilot.press("1", "n")
            await settle(pilot)
        still_running(app)

        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, JumpDialog)
        shown = terminal(app)
        assert "P1 [bold]x[/] [link=https://evil]" in shown
        assert "P3 $accent [@click=app.quit]" in shown
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        text = rendered(app)
        for question in results.result.wrong:
            assert_shows(text, question.prompt, question.explanation)
        assert_shows(text, "N " + SHORT)
        assert results.query_one("#results-modules", Static).size.height == 2, "a row wrapped"
        assert_layout(app)
        await pilot.press("down")
        await settle(pilot)
        assert_layout(app)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        still_running(app)
        assert len(app.study.doc.exams) == 1


NOTE = "[bold]n[/] [@click=app.quit]q[/] $accent [link=https://evil]l[/link] [/]"


async def test_stats_shows_a_flag_note_with_markup_literally(hostile_app):
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*NOTE)
        assert app.screen.query_one(Input).value == NOTE
        await pilot.press("enter")
        await settle(pilot)
        assert app.study.doc.flags["h1"]["note"] == NOTE
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("t")
        await settle(pilot)
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        problems = stats.query_one("#stats-problems", Static)
        stats.query_one("#stats").scroll_to_widget(problems, animate=False)
        await settle(pilot)
        text = rendered(app)
        assert_shows(text, "note: " + NOTE)
        assert "h1  P1 [bold]x[/] [link=https://evil]cl…" in text
        assert stats.query_one("#stats-modules", Static).size.height == 2, "a row wrapped"
        assert_layout(app)
        await click_on(app, pilot, "[@click=app.quit]q[/]")
        still_running(app)
        await pilot.press("end")
        await settle(pilot)
        assert_layout(app)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DashboardScreen)
