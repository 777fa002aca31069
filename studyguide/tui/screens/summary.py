"""The end of a review session: what was done and what comes next."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Footer, Header, Static

from studyguide.engine.queue import summary
from studyguide.engine.stats import next_due, plural
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.figures import FiguresScreen
from studyguide.tui.widgets import when

KEYS = (
    Key("enter,escape,space", "close", "Dashboard", "Back to the dashboard"),
    Key("q", "app.quit", "Quit", "Quit studyguide"),
)


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


class SummaryScreen(FiguresScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self,
        answered: int,
        right: int,
        seconds: float,
        questions: int | None = None,  # distinct questions answered in the session
    ) -> None:
        super().__init__()
        self.answered, self.right, self.seconds = answered, right, seconds
        self.questions = answered if questions is None else questions

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="summary", classes="panel"):
            yield Static(id="summary-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary").border_title = "Session finished"
        self.refresh_figures()

    def refresh_figures(self) -> None:
        """Redrawn as time passes (FiguresScreen), so "next review due" is never a time
        already gone."""
        study = self.app.study
        share = self.right / self.answered if self.answered else 0
        text = Text()
        text.append("Answered: ", style="bold")
        text.append(f"{plural(self.answered, 'answer')} to {plural(self.questions, 'question')}\n")
        text.append("Right: ", style="bold")
        text.append(f"{self.right} ({share:.0%})\n")
        text.append("Time: ", style="bold")
        text.append(f"{duration(self.seconds)}\n")
        text.append("Next review due: ", style="bold")
        upcoming = next_due(study, study.clock.now())
        text.append(when(upcoming, study.clock))
        due = summary(study).due
        if due:
            text.append(f" ({plural(due, 'question')} due now)")
        self.query_one("#summary-text", Static).update(text)

    def action_close(self) -> None:
        self.app.pop_screen()
