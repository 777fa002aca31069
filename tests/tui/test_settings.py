"""Pilot tests of the settings screen at 80x24."""

from __future__ import annotations

import json

from textual.geometry import Region
from textual.widgets import Input, Select, Switch

from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.dialogs import ConfirmDialog
from studyguide.tui.screens.settings import SettingsScreen


def shown(app, selector: str) -> str:
    widget = app.screen.query_one(selector)
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join(line.text for line in lines).split())  # wrapped lines joined


async def open_settings(pilot) -> SettingsScreen:
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, SettingsScreen)
    return pilot.app.screen


async def type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", "shift+home")  # select it all, so typing replaces it at once
    await pilot.press(*text) if text else await pilot.press("backspace")
    await pilot.pause()


async def enter_into(pilot, selector: str, text: str) -> None:
    await type_into(pilot, selector, text)
    await pilot.press("enter")
    await pilot.pause()


async def test_counts_save_when_valid_and_reach_the_file(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        settings = app.study.settings
        await open_settings(pilot)
        assert app.screen.query_one("#new-per-day", Input).value == "15"
        await type_into(pilot, "#new-per-day", "40")
        assert settings["new_per_day"] == 15  # typed, not yet saved
        assert "Press Enter to save" in shown(app, "#new-per-day-note")
        await pilot.press("enter")
        assert settings["new_per_day"] == 40
        assert "Saved" in shown(app, "#new-per-day-note")

        await enter_into(pilot, "#new-per-day", "2000")  # never saved as 2, 20 or 200
        assert settings["new_per_day"] == 40
        note = shown(app, "#new-per-day-note")
        assert "Not saved" in note and "0 to 1000" in note and "Kept: 40" in note
        await enter_into(pilot, "#new-per-day", "40x")  # an integer field ignores the x
        assert app.screen.query_one("#new-per-day", Input).value == "40"
        assert settings["new_per_day"] == 40
        await enter_into(pilot, "#new-per-day", "-5")
        assert settings["new_per_day"] == 40
        assert "Not saved" in shown(app, "#new-per-day-note")

        await enter_into(pilot, "#reviews-per-day", "")
        assert settings["reviews_per_day"] == 200
        assert "Not saved" in shown(app, "#reviews-per-day-note")
        await type_into(pilot, "#reviews-per-day", "350")
        await pilot.press("tab")  # leaving the field saves a valid value too
        await pilot.pause()
        assert settings["reviews_per_day"] == 350
        assert "Saved" in shown(app, "#reviews-per-day-note")

        await pilot.press("escape")  # new_per_day still shows -5: warned, not saved
        assert isinstance(app.screen, DashboardScreen)
        assert settings["new_per_day"] == 40
        assert any("kept at 40" in n.message for n in app._notifications)
    app.store.close()
    saved = json.loads(make_app.progress.read_text())["settings"]
    assert saved["new_per_day"] == 40 and saved["reviews_per_day"] == 350


async def test_retention_switch_and_theme(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        settings = app.study.settings
        screen = await open_settings(pilot)
        retention = screen.query_one("#desired-retention", Select)
        assert retention.has_focus and retention.value == 0.9
        await pilot.press("enter", "down", "enter")  # 0.90 -> 0.93
        await pilot.pause()
        assert settings["desired_retention"] == 0.93
        assert app.study.scheduler.desired_retention == 0.93

        screen.query_one(Switch).focus()
        await pilot.press("space")
        assert settings["confirm_answers"] is True
        assert "On:" in shown(app, "#confirm-answers-note")
        await pilot.press("enter")
        assert settings["confirm_answers"] is False

        theme = screen.query_one("#theme", Select)
        wanted = next(name for name in sorted(app.available_themes) if name != app.theme)
        theme.focus()
        theme.value = wanted
        await pilot.pause()
        assert app.theme == wanted
        assert settings["theme"] == wanted
    app.store.close()
    saved = json.loads(make_app.progress.read_text())["settings"]
    assert saved["desired_retention"] == 0.93 and saved["theme"] == wanted


async def test_reset_one_module_keeps_the_log(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        study = app.study
        await pilot.press("l")  # answer three m1 questions from the lessons screen's quiz
        await pilot.press("q")
        for _ in range(3):
            await pilot.press("1", "enter")
        await pilot.press("q", "enter", "escape")
        assert isinstance(app.screen, DashboardScreen)
        other = study.course.module_questions("m2")[0]
        study.answer(other.id, other.correct_indexes, 1000)
        m1 = {q.id for q in study.course.module_questions("m1")}
        assert len(m1 & study.doc.cards.keys()) == 3
        log_length = len(study.doc.log)

        screen = await open_settings(pilot)
        screen.query_one("#reset").focus()
        await pilot.press("enter")  # nothing chosen yet: no dialog
        assert app.screen is screen
        assert screen.query_one("#reset-module", Select).has_focus

        await pilot.press("enter", "down", "enter")  # prompt -> "1. Module 1"
        await pilot.pause()
        assert screen.query_one("#reset-module", Select).value == "m1"
        screen.query_one("#reset").focus()
        await pilot.press("enter")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "Module 1" in dialog.question and "review log is kept" in dialog.question
        assert "3 studied questions" in dialog.question
        await pilot.press("n")  # cancel: nothing changes
        assert app.screen is screen
        assert len(m1 & study.doc.cards.keys()) == 3

        await pilot.click("#reset")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is screen
        assert not m1 & study.doc.cards.keys()
        assert other.id in study.doc.cards
        assert len(study.doc.log) == log_length
        assert any("3 questions are new again" in n.message for n in app._notifications)
    app.store.close()
    doc = json.loads(make_app.progress.read_text())
    assert not m1 & doc["cards"].keys() and len(doc["log"]) == log_length


async def test_escape_goes_back(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)


async def test_a_valid_number_typed_without_enter_is_kept_on_leaving(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_settings(pilot)
        await type_into(pilot, "#new-per-day", "25")
        assert app.study.settings["new_per_day"] == 15
        await pilot.press("escape")
        assert isinstance(app.screen, DashboardScreen)
        assert app.study.settings["new_per_day"] == 25
