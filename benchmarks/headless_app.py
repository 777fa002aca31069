"""studyguide headless at 80x24 until the dashboard is drawn, then exit.

Usage: python headless_app.py PROGRESS_FILE [CONTENT_DIR]  (default: the bundled course)
"""

import sys
from pathlib import Path

from studyguide import paths
from studyguide.progress import ProgressStore
from studyguide.tui.app import StudyApp
from studyguide.tui.screens.dashboard import DashboardScreen

roots = paths.content_roots([Path(sys.argv[2])] if len(sys.argv) > 2 else None)
store = ProgressStore(sys.argv[1])
app = StudyApp(roots, store, store.open(), watch=False)
drawn = DashboardScreen.on_mount


def on_mount(self):
    drawn(self)
    self.call_after_refresh(self.app.exit)


DashboardScreen.on_mount = on_mount
app.run(headless=True, size=(80, 24))
store.close()
