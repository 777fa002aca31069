"""The anchor for start-up: a bare Textual app with a Header, a Static and a Footer.

`python bare_app.py` runs it in the terminal; `--headless` draws one frame and exits.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class BareApp(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("BARE READY")
        yield Footer()


if __name__ == "__main__":
    app = BareApp()
    if "--headless" in sys.argv:
        app.call_after_refresh(app.exit)
        app.run(headless=True, size=(80, 24))
    else:
        app.run()
