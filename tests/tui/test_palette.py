"""The command palette (ctrl+p) finds every action of the current screen and the global
ones, each once, and a search finds them by their footer label too."""

from __future__ import annotations

from textual.actions import parse
from textual.command import CommandPalette

from studyguide.tui.keys import GLOBAL_KEYS
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.exam import ExamScreen
from studyguide.tui.screens.exam_results import ExamResultsScreen
from studyguide.tui.screens.exam_setup import ExamSetupScreen
from studyguide.tui.screens.help import HelpScreen
from studyguide.tui.screens.lessons import LessonsScreen
from studyguide.tui.screens.reader import ReaderScreen
from studyguide.tui.screens.review import ReviewScreen
from studyguide.tui.screens.settings import SettingsScreen
from studyguide.tui.screens.stats import StatsScreen
from studyguide.tui.screens.summary import SummaryScreen
from tests.tui.test_review import choice_number

SIZE = (80, 24)


def applies(app, screen, action: str) -> bool:
    namespace, name, parameters = parse(action)
    target = app if namespace == "app" else screen
    return target.check_action(name, parameters) is not False


def check_palette(app) -> list[str]:
    """Check the commands offered on the current screen; return their titles."""
    screen = app.screen
    commands = list(app.get_system_commands(screen))
    titles = [command.title for command in commands]
    for key in screen.KEYS:
        if key.palette and applies(app, screen, key.action):
            assert key.help in titles, (type(screen).__name__, key.help)
    for key in GLOBAL_KEYS:
        if key.palette:
            assert titles.count(key.help) == 1, (type(screen).__name__, key.help)
    assert len(titles) == len(set(titles)), f"a title twice on {type(screen).__name__}"
    quits = [c for c in commands if "quit" in f"{c.title} {c.help}".lower()]
    assert len(quits) == 1, (type(screen).__name__, [c.title for c in quits])
    return titles


async def test_every_screen_offers_its_actions_and_the_global_ones_once(make_app):
    app = make_app()
    visited = []
    async with app.run_test(size=SIZE) as pilot:

        async def on(screen_type, *keys):
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, screen_type), (screen_type, app.screen)
            visited.append(screen_type)
            return check_palette(app)

        titles = await on(DashboardScreen)
        assert "Quit studyguide" in titles and "Quit" not in titles
        await on(LessonsScreen, "l")
        await on(ReaderScreen, "enter")
        await on(LessonsScreen, "escape")
        await on(StatsScreen, "escape", "t")
        await on(SettingsScreen, "escape", "o")
        await on(ExamSetupScreen, "escape", "e")
        await on(ExamScreen, "1")
        await on(ExamResultsScreen, "s", "y")
        await on(DashboardScreen, "enter")
        titles = await on(ReviewScreen, "r")
        assert "Undo the last answer (asks first if from an earlier session)" in titles
        assert "Redo the answer you undid" not in titles  # nothing to redo yet
        await pilot.press(choice_number(app.screen, want_correct=True))
        titles = await on(ReviewScreen)
        assert "Mark a right answer as too easy" in titles  # after feedback only
        await pilot.press("u")
        titles = await on(ReviewScreen)
        assert "Redo the answer you undid" in titles
        await pilot.press(choice_number(app.screen, want_correct=False))
        titles = await on(SummaryScreen, "enter", "q")
        assert "Open missed question 1-9 with its feedback" in titles
        await on(HelpScreen, "question_mark")
    assert len(visited) == 15


async def search(pilot, app, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*query)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause(0.2)


async def test_help_is_found_from_the_dashboard(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, app, "help")
        assert isinstance(app.screen, HelpScreen)


async def test_flag_is_found_from_the_dashboard_and_shows_the_flags(make_app):
    app = make_app()
    question = app.study.course.questions[0]
    app.study.flag(question.id, "choice two is also right")
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, app, "flag")
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        await pilot.pause()
        section = stats.query_one("#stats-problems")
        pane = section.parent
        assert pane.scroll_y > 0  # scrolled down to the flags ...
        assert pane.region.contains(section.region.x, section.region.y)  # ... and shown
        await pilot.press("escape")
        await pilot.press("f")  # the same from its key
        assert isinstance(app.screen, StatsScreen)


async def test_a_search_matches_the_footer_label(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, app, "Settings")  # the sentence is "Change settings" ...
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("escape")
        await pilot.press("r")
        await pilot.press(choice_number(app.screen, want_correct=False))
        await search(pilot, app, "Bury")  # ... and "Hide this question until tomorrow"
        assert isinstance(app.screen, ReviewScreen)
        assert app.study.doc.buried
