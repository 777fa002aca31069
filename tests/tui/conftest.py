"""Build the app over a generated course, a progress file in tmp_path and a frozen clock."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console

from studyguide.engine.clock import FrozenClock
from studyguide.progress import ProgressStore
from studyguide.tui.app import StudyApp
from tests.factories import write_course

BOSTON = ZoneInfo("America/New_York")


class AppFactory:
    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "course"
        write_course(self.root)
        self.progress = tmp_path / "data" / "progress.json"
        self.clock = FrozenClock(datetime(2026, 1, 13, 15, 0, tzinfo=UTC), BOSTON)
        self.stores: list[ProgressStore] = []

    def __call__(self, roots: list[Path] | None = None, watch: bool = False) -> StudyApp:
        store = ProgressStore(self.progress)
        self.stores.append(store)
        doc = store.open()
        return StudyApp(roots or [self.root], store, doc, clock=self.clock, seed=1, watch=watch)

    def close(self) -> None:
        for store in self.stores:
            if store.is_open:
                store.close()


@pytest.fixture
def make_app(tmp_path):
    factory = AppFactory(tmp_path)
    yield factory
    factory.close()


def terminal_text(app) -> str:
    """What the terminal shows now, as plain text, line by line."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()
