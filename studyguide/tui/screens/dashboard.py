"""The dashboard: what is due, today's work, readiness and mastery per module."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Static

from studyguide.engine.stats import MASTERY_DEFINITION, Overview, due_forecast, overview, plural
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.figures import FiguresScreen
from studyguide.tui.screens.stats import forecast_text
from studyguide.tui.widgets import FigureRows, when

KEYS = (
    Key("r", "review", "Review", "Start a review session with what is due and new"),
    Key("l", "lessons", "Lessons", "Read the lesson modules"),
    Key("e", "exam", "Exam", "Sit a timed practice exam"),
    Key("t", "stats", "Stats", "Show statistics"),
    Key("f", "flagged", "Flagged", "See flagged questions and leeches (statistics)", show=False),
    Key("o", "settings", "Settings", "Change settings"),
    Key("q", "app.quit", "Quit", "Quit studyguide"),
)

COMING_DAYS = 30  # more than any terminal shows; the panel's height cuts the list


class Coming(Static):
    """Fills the rows the mastery panel leaves; drawn only when a day fits inside it.
    (Blank, not hidden: a hidden widget is not laid out, so it would never learn that a
    taller terminal has room for it again.)"""

    days: FigureRows | None = None

    def show(self, days: FigureRows) -> None:
        self.days = days
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        room = self.size.height >= 3
        self.set_class(not room, "-no-room")
        self.update(self.days if room and self.days else "")


class DashboardScreen(FiguresScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="dash-top"):
            yield Static(id="today", classes="panel")
            yield Static(id="readiness", classes="panel")
        with Vertical(id="dash-bottom"):
            with VerticalScroll(id="mastery", classes="panel"):
                yield Static(id="mastery-rows")
                yield Static(id="mastery-how")
            # What a taller terminal has room for: as many coming days as fit.
            yield Coming(id="coming", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#today").border_title = "Today"
        self.query_one("#readiness").border_title = "Readiness"
        self.query_one("#mastery").border_title = "Mastery by module"
        self.query_one("#coming").border_title = "Coming up: questions due each day"
        self.refresh_figures()

    def refresh_figures(self) -> None:
        if not self.query("#today"):
            return  # resumed before its widgets were composed; on_mount fills them
        study = self.app.study
        view = overview(study)
        self.query_one("#today", Static).update(self._today(view, study.clock.now()))
        self.query_one("#readiness", Static).update(self._readiness(view))
        self.query_one("#mastery-rows", Static).update(self._mastery(view))
        # The short definition stays in sight on the frame; the full one is under the rows.
        self.query_one(
            "#mastery"
        ).border_subtitle = f"mastered: recall ≥ {view.desired_retention:.0%} now, misses made good"
        how = MASTERY_DEFINITION.format(retention=view.desired_retention)
        self.query_one("#mastery-how", Static).update(
            Text(f"Bars show the share mastered. {how}", style="dim")
        )
        self.query_one(Coming).show(forecast_text(due_forecast(study, COMING_DAYS)))

    def _today(self, view: Overview, now: datetime) -> Text:
        text = Text()
        text.append(f"{view.due_now}", style="bold")
        text.append(" due now, ")
        text.append(f"{view.due_later_today}", style="bold")
        text.append(" later today\n")
        text.append(f"{view.new_available}", style="bold")
        text.append(" new available\n")
        text.append(f"{view.answers_today}", style="bold")
        text.append(f" answer{'s' * (view.answers_today != 1)} today")
        text.append(f" ({plural(view.questions_today, 'question')})\n", style="dim")
        text.append("Streak ")
        text.append(f"{view.streak}", style="bold")
        text.append(f" day{'s' * (view.streak != 1)}\n")
        text.append(f"Next review: {when(view.next_due, self.app.study.clock)}")
        return text

    def _readiness(self, view: Overview) -> Text:
        ready = view.readiness
        if ready is None:
            return Text("No practice exam is defined in the content.")
        text = Text()
        if not ready.enough_evidence:
            text.append("Not enough answers yet", style="bold")
            text.append(f" for a likely score. Needs {ready.needed}.\n")
        else:
            verdict = "✔ on track" if ready.likely_pass else "✘ not yet"
            text.append(f"{ready.estimate:.0%}", style="bold")
            text.append(f" likely score, pass mark {ready.pass_mark:.0%}\n{verdict}\n")
        text.append(
            f"How: FSRS recall of what you studied ({ready.studied_share:.0%}), "
            f"{ready.prior:.0%} for the rest, by exam blueprint (t: details)",
            style="dim",
        )
        return text

    def _mastery(self, view: Overview) -> FigureRows:
        # Titles whole where the panel has room; the bar takes the rest of the width.
        rows = FigureRows()
        for module in view.modules:
            counts = f" {module.mastered}/{module.questions}"
            rows.add(module.title, module.mastery, f"{module.mastery:4.0%}", counts)
        return rows

    def action_review(self) -> None:
        from studyguide.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen())

    def action_lessons(self) -> None:
        from studyguide.tui.screens.lessons import LessonsScreen

        self.app.push_screen(LessonsScreen())

    def action_exam(self) -> None:
        from studyguide.tui.screens.exam_setup import ExamSetupScreen

        if self.app.study.course.exam is None:
            self.notify("The content defines no practice exam (exam.yaml).", severity="warning")
            return
        self.app.push_screen(ExamSetupScreen())

    def action_stats(self) -> None:
        from studyguide.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_flagged(self) -> None:
        from studyguide.tui.screens.stats import StatsScreen

        stats = StatsScreen()
        self.app.push_screen(stats)
        stats.call_after_refresh(stats.show_section, "stats-problems")

    def action_settings(self) -> None:
        from studyguide.tui.screens.settings import SettingsScreen

        self.app.push_screen(SettingsScreen())
