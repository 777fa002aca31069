"""App-wide behaviour: help, command palette, themes, trouble shown plainly, live reload."""

from __future__ import annotations

import json
import os

import pytest

from studyguide.progress import ProgressStore, ProgressUnreadable
from studyguide.tui.app import StudyApp
from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.dialogs import ProgressProblemDialog
from studyguide.tui.screens.help import HelpScreen
from tests.tui.test_review import screen_text


async def test_dashboard_shows_due_new_readiness_and_mastery(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        text = screen_text(app)
        assert "0 due now" in text and "15 new available" in text
        # Issue 9: before any answer, no likely score but what it needs.
        assert "Not enough answers yet" in text and "How:" in text
        assert "Module 1" in text and "0/10" in text
        assert "Next review: nothing scheduled yet" in text


async def test_dashboard_keys_open_each_screen(make_app):
    from studyguide.tui.screens.exam_setup import ExamSetupScreen
    from studyguide.tui.screens.lessons import LessonsScreen
    from studyguide.tui.screens.settings import SettingsScreen
    from studyguide.tui.screens.stats import StatsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen in (
            ("l", LessonsScreen),
            ("e", ExamSetupScreen),
            ("t", StatsScreen),
            ("o", SettingsScreen),
        ):
            await pilot.press(key)
            assert isinstance(app.screen, screen), key
            await pilot.press("escape")
            assert isinstance(app.screen, DashboardScreen)


async def test_question_mark_lists_every_key(make_app):
    from studyguide.tui.screens import dashboard, review

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app, width=86)
        for key in (*dashboard.KEYS, *review.KEYS):
            if key.in_help:
                assert key.help in text, key.help
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_command_palette_offers_the_screen_actions(make_app):
    from studyguide.tui.screens import dashboard

    app = make_app()
    async with app.run_test(size=(80, 24)):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for key in dashboard.KEYS:
            assert key.help in titles


async def test_command_palette_runs_an_action(make_app):
    from studyguide.tui.screens.stats import StatsScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Show statistics")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert isinstance(app.screen, StatsScreen)


async def test_theme_choice_is_saved_in_settings(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        await pilot.pause()
        assert app.study.settings["theme"] == "nord"
    app.store.close()
    assert json.loads(make_app.progress.read_text())["settings"]["theme"] == "nord"
    again = make_app()
    async with again.run_test(size=(80, 24)):
        assert again.theme == "nord"


async def test_content_problems_are_announced_and_valid_files_still_load(make_app):
    (make_app.root / "banks" / "broken.yaml").write_text("id: [unclosed\n")
    lesson = make_app.root / "lessons" / "m3.yaml"
    lesson.write_text(lesson.read_text().replace("order: 3", "order: three"))
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert len(app.study.course.questions) == 20
        messages = [n.message for n in app._notifications]
        assert any("2 content problems" in m and "studyguide validate" in m for m in messages)


def _unreadable_app(make_app, progress):
    store = ProgressStore(progress)
    make_app.stores.append(store)
    with pytest.raises(ProgressUnreadable) as caught:
        store.open()
    return StudyApp(
        [make_app.root],
        store,
        None,
        unreadable=caught.value,
        clock=make_app.clock,
        seed=1,
        watch=False,
    )


async def test_unreadable_progress_offers_restore_or_quit(make_app):
    progress = make_app.progress
    progress.parent.mkdir(parents=True)
    store = ProgressStore(progress)
    doc = store.open()
    doc.settings["new_per_day"] = 7
    store.save(doc)
    doc.settings["new_per_day"] = 9
    store.save(doc)  # the .bak now holds new_per_day 7
    store.close()
    progress.write_text('{"schema_version": 1, "cards": {')  # truncated
    broken = progress.read_bytes()

    def open_app():
        return _unreadable_app(make_app, progress)

    app = open_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, ProgressProblemDialog)
        assert str(progress) in screen_text(app, width=300)
        await pilot.press("q")
    assert progress.read_bytes() == broken  # quitting touched nothing

    app = open_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.settings["new_per_day"] == 7
    kept = [p for p in progress.parent.iterdir() if p.read_bytes() == broken]
    assert kept, "the unreadable file must be kept, not deleted"


async def test_live_reload_picks_up_an_edit_and_keeps_progress(make_app):
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.study.answer("m1-q01", [0], 100)
        bank = next((make_app.root / "banks").glob("*m1.yaml"))
        bank.write_text(bank.read_text().replace("Question 1 of m1?", "Question one, edited?"))
        stamp = bank.stat().st_mtime_ns + 5_000_000_000
        os.utime(bank, ns=(stamp, stamp))
        for _ in range(60):
            await pilot.pause(0.1)
            if app.study.course.by_id["m1-q01"].prompt == "Question one, edited?":
                break
        assert app.study.course.by_id["m1-q01"].prompt == "Question one, edited?"
        assert "m1-q01" in app.study.doc.cards
        assert any("Reloaded" in n.message for n in app._notifications)


async def test_live_reload_lists_the_problems_it_found(make_app):
    app = make_app(watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        bank = next((make_app.root / "banks").glob("*m2.yaml"))
        bank.write_text(bank.read_text().replace("type: single", "type: singel", 1))
        stamp = bank.stat().st_mtime_ns + 5_000_000_000
        os.utime(bank, ns=(stamp, stamp))
        for _ in range(60):
            await pilot.pause(0.1)
            if any("problem" in n.message for n in app._notifications):
                break
        (notice,) = [n for n in app._notifications if "problem" in n.message]
        assert f"{bank.name}:6: `type` must be one of single" in notice.message
        assert len(app.study.course.questions) == 29  # the rest still loads


async def test_unreadable_progress_without_a_backup_offers_only_quit(make_app):
    from textual.widgets import Button

    progress = make_app.progress
    progress.parent.mkdir(parents=True)
    progress.write_text("{cut off")
    (progress.parent / "progress.json.bak").write_text("[]")  # a backup that cannot be read
    app = _unreadable_app(make_app, progress)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = app.screen
        assert isinstance(dialog, ProgressProblemDialog)
        assert [b.id for b in dialog.query(Button)] == ["quit"]
        text = screen_text(app, width=300)
        assert "Restore" not in text and "nothing to restore" in text
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is dialog and app.is_running  # r is not offered, and does nothing
        await pilot.press("q")
    assert progress.read_text() == "{cut off"


async def test_unreadable_progress_offers_the_newest_daily_backup(make_app):
    from datetime import timedelta

    from textual.widgets import Button

    from studyguide.engine.clock import FrozenClock

    progress = make_app.progress
    clock = FrozenClock(make_app.clock.now())
    for new_per_day in (5, 6):  # two study days: a daily backup holds new_per_day 5
        with ProgressStore(progress, clock=clock) as store:
            doc = store.open()
            doc.settings["new_per_day"] = new_per_day
            store.save(doc)
        clock.current += timedelta(days=1)
    (progress.parent / "progress.json.bak").unlink()
    progress.write_text("not json")
    app = _unreadable_app(make_app, progress)
    async with app.run_test(size=(80, 24)) as pilot:
        (button,) = [b for b in app.screen.query(Button) if b.id == "restore"]
        day = (clock.now() - timedelta(days=1)).date().isoformat()
        assert str(button.label) == f"Restore the backup of {day} (r)"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.settings["new_per_day"] == 5
    (kept,) = progress.parent.glob("progress.json.corrupt-*")
    assert kept.read_text() == "not json"


async def test_content_problems_name_the_command_that_checks_this_course(make_app):
    # Plain `studyguide validate` would check the bundled course, not the one studied here.
    (make_app.root / "banks" / "broken.yaml").write_text("id: [unclosed\n")
    app = make_app()
    async with app.run_test(size=(80, 24)):
        (notice,) = [n.message for n in app._notifications if "content problem" in n.message]
        assert f"Run `studyguide validate {make_app.root}` for the details" in notice
