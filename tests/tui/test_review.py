"""Pilot tests of the dashboard and a review session at 80x24."""

from __future__ import annotations

import json

from studyguide.tui.screens.dashboard import DashboardScreen
from studyguide.tui.screens.review import ReviewScreen


async def test_answer_three_questions_and_the_file_holds_them(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("r")
        assert isinstance(app.screen, ReviewScreen)
        for _ in range(3):
            await pilot.press("1")
            await pilot.press("enter")
        assert app.screen.session.stats.answered == 3
        await pilot.press("q")
        await pilot.press("q")
    app.store.close()
    doc = json.loads(make_app.progress.read_text())
    assert len(doc["log"]) == 3
