"""The end of a review session: what was done, what was missed, and what comes next."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Footer, Header, Static

from studyguide.engine.queue import Missed, summary
from studyguide.engine.stats import next_due, plural
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings, digit_keys
from studyguide.tui.screens.answered import AnsweredScreen, open_lesson
from studyguide.tui.screens.figures import FiguresScreen
from studyguide.tui.widgets import when

KEYS = (
    *digit_keys("open", "Open", "Open missed question 1-9 with its feedback"),
    Key("down,j", "move(1)", "Next", "Highlight the next missed question", shown_as="↓/j"),
    Key(
        "up,k",
        "move(-1)",
        "Prev missed",
        "Highlight the previous missed question",
        show=False,
        shown_as="↑/k",
    ),
    Key("o", "open_highlighted", "Open", "Open the highlighted missed question", show=False),
    Key("l", "lesson", "Lesson", "Open the lesson section of the highlighted missed question"),
    Key("enter,escape,space", "close", "Dashboard", "Back to the dashboard"),
    Key("q", "app.quit", "Quit", "Quit studyguide"),
)


def duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes} min {secs:02d} s" if minutes else f"{secs} s"


class MissedRow(Static, can_focus=True):
    """One missed question; focus highlights it for `o` and `l`."""

    def __init__(self, number: int, missed: Missed, text: Text) -> None:
        super().__init__(text, classes="missed-row")
        self.number, self.missed = number, missed


class SummaryScreen(FiguresScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)
    AUTO_FOCUS = ""  # open on the figures; ↓ highlights the first missed question

    def __init__(
        self,
        answered: int,
        right: int,
        seconds: float,
        questions: int | None = None,  # distinct questions answered in the session
        missed: Sequence[Missed] = (),
    ) -> None:
        super().__init__()
        self.answered, self.right, self.seconds = answered, right, seconds
        self.questions = answered if questions is None else questions
        self.missed = list(missed)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="summary", classes="panel"):
            yield Static(id="summary-text")
        if self.missed:
            with VerticalScroll(id="missed", classes="panel"):
                for number, missed in enumerate(self.missed, 1):
                    yield MissedRow(number, missed, self._row(number, missed))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#summary").border_title = "Session finished"
        if self.missed:
            count = len(self.missed)
            missed = self.query_one("#missed")
            missed.border_title = f"Missed: {count} question{'s' * (count != 1)}"
            missed.border_subtitle = "1-9 open · ↓ highlight, then o open, l lesson"
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

    def _row(self, number: int, missed: Missed) -> Text:
        question = missed.answer.question
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{number:>2}. ", style="bold")
        text.append(f"{render.WRONG} ")
        text.append_text(render.literal(question.prompt))
        if missed.right_later:
            text.append(f"  ({render.RIGHT} right later)", style="dim")
        text.append("\n    ")
        text.append_text(
            render.literal(render.lesson_label(question, self.app.study.course), "dim")
        )
        return text

    # --- key actions ------------------------------------------------------------------

    def highlighted(self) -> MissedRow | None:
        focused = self.focused
        return focused if isinstance(focused, MissedRow) else None

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "open":
            return parameters[0] <= len(self.missed)
        if action in ("move", "open_highlighted", "lesson"):
            if not self.missed:
                return False
            if action != "move":
                return True if self.highlighted() is not None else None
        return True

    def action_open(self, number: int) -> None:
        if number <= len(self.missed):
            self._open(self.missed[number - 1])

    def action_open_highlighted(self) -> None:
        row = self.highlighted()
        if row is not None:
            self._open(row.missed)

    def _open(self, missed: Missed) -> None:
        note = f"{render.RIGHT} answered right later in this session" if missed.right_later else ""
        self.app.push_screen(AnsweredScreen(missed.answer, note))

    def action_move(self, step: int) -> None:
        rows = list(self.query(MissedRow))
        current = self.highlighted()
        target = (rows.index(current) + step) if current is not None else (0 if step > 0 else -1)
        if target >= len(rows):
            return  # stays on the last one
        if target < 0:
            self.set_focus(None)  # back above the list
        else:
            self.set_focus(rows[target])
            rows[target].scroll_visible(animate=False)
        self.refresh_bindings()

    def action_lesson(self) -> None:
        row = self.highlighted()
        if row is None:
            self.notify("Highlight a missed question first (↓).", timeout=3)
            return
        open_lesson(self.app, row.missed.answer.question)

    def action_close(self) -> None:
        self.app.pop_screen()
