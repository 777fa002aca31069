"""Statistics: reviews per day, true retention, the due forecast, accuracy per module,
leeches and flags, exam scores, and readiness with its method and calibration."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from studyguide.engine.queue import DayCounts, today_counts
from studyguide.engine.readiness import calibration
from studyguide.engine.retention import RETENTION_DAYS
from studyguide.engine.stats import (
    Overview,
    due_forecast,
    exam_history,
    overview,
    plural,
    reviews_per_day,
)
from studyguide.engine.study import Study
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.figures import FiguresScreen
from studyguide.tui.widgets import FigureRows, bar

KEYS = (
    Key("down,j", "scroll(1)", "Scroll", "Scroll down a line", shown_as="↓/↑"),
    Key(
        "up,k",
        "scroll(-1)",
        "Scroll up",
        "Scroll up a line",
        show=False,
        in_help=False,
        palette=False,
    ),
    Key("pagedown,space", "page(1)", "Page", "Scroll down a page", shown_as="PgDn/PgUp"),
    Key(
        "pageup",
        "page(-1)",
        "Page up",
        "Scroll up a page",
        show=False,
        in_help=False,
        palette=False,
    ),
    Key("home", "top", "Top", "Back to the top", show=False),
    Key("end", "bottom", "End", "To the end", show=False),
    Key("escape,q", "back", "Back", "Back to the dashboard", shown_as="Esc/q"),
)

BLOCKS = " ▁▂▃▄▅▆▇█"
CHART_HEIGHT = 5
PROMPT_START = 36

SECTIONS = (
    ("stats-reviews", f"Reviews per day, last {RETENTION_DAYS} days"),
    ("stats-retention", f"True retention, last {RETENTION_DAYS} days"),
    ("stats-forecast", "Due reviews, next 14 days"),
    ("stats-modules", "Accuracy by module"),
    ("stats-problems", "Leeches and flagged questions"),
    ("stats-exams", "Practice exam scores"),
    ("stats-readiness", "Readiness and calibration"),
)


def _day(day: date) -> str:
    return f"{day:%b} {day.day}"


def reviews_chart(
    days: list[tuple[date, int]],
    height: int = CHART_HEIGHT,
    today: DayCounts | None = None,
    column: int = 2,
) -> Text:
    """A column per day (oldest left, today right), a y label for the busiest day; each
    answer counts, as in "answers today" (`today`, shown under the chart). Each day's bar
    is `column - 1` cells wide with a gap after it (one cell, no gap, at 1)."""
    bar_width = max(column - 1, 1)
    gap = " " * (column - bar_width)
    counts = [count for _day_, count in days]
    top = max(counts, default=0)
    axis = len(str(top))
    text = Text(no_wrap=True, overflow="ellipsis")
    levels = []
    for count in counts:
        eighths = round(count / top * height * 8) if top else 0
        levels.append(max(eighths, 1) if count else 0)
    for row in range(height - 1, -1, -1):
        label = str(top) if row == height - 1 else ""
        text.append(f"{label:>{axis}} ┤", style="dim")
        for level in levels:
            part = min(max(level - row * 8, 0), 8)
            text.append(BLOCKS[part] * bar_width + gap, style="bold")
        text.append("\n")
    text.append(f"{'0':>{axis}} └" + "─" * column * len(counts) + "\n", style="dim")
    labels = [" "] * (axis + 2 + column * len(counts) + 4)
    if days:
        last = len(days) - 1
        today_at = axis + 2 + column * last + bar_width - 5  # "today" ends under the last bar
        for index in range(last % 7, last - 3, 7):
            word = _day(days[index][0])
            start = axis + 2 + column * index
            if start + len(word) < today_at:  # a narrow chart drops what would touch "today"
                labels[start : start + len(word)] = word
        labels[today_at : today_at + 5] = "today"
    text.append("".join(labels).rstrip(), style="dim")
    total = sum(counts)
    text.append("\n")
    if today is not None:
        text.append(
            f"Today: {plural(today.answers, 'answer')} to {plural(today.questions, 'question')}.\n"
        )
    if total:
        busiest = max(days, key=lambda d: d[1])
        text.append(
            f"{total} answer{'s' * (total != 1)} in {len(days)} days, "
            f"{total / len(days):.1f} a day on average; "
            f"busiest day {busiest[1]} ({_day(busiest[0])})."
        )
    else:
        text.append("No answers in this period yet.")
    return text


class ReviewsChart:
    """The reviews chart with its day columns as wide as the pane allows (1 to 4 cells)."""

    def __init__(self, days: list[tuple[date, int]], today: DayCounts | None = None) -> None:
        self.days, self.today = days, today

    def __rich_console__(self, console, options):
        top = max((count for _d, count in self.days), default=0)
        room = options.max_width - len(str(top)) - 2
        column = min(max(room // max(len(self.days), 1), 1), 4)
        yield reviews_chart(self.days, today=self.today, column=column)


def retention_text(view: Overview, desired: float) -> Text:
    text = Text(no_wrap=False)
    width = 30
    text.append("True retention     ", style="bold")
    if view.true_retention is None:
        text.append("no reviews of learned questions yet\n")
    else:
        text.append_text(bar(view.true_retention, width))
        text.append(
            f" {view.true_retention:4.0%}  of {view.retention_reviews} review"
            f"{'s' * (view.retention_reviews != 1)}\n"
        )
    text.append("Desired retention  ", style="bold")
    text.append_text(bar(desired, width))
    text.append(f" {desired:4.0%}  (Settings)\n")
    if view.true_retention is not None:
        gap = round((view.true_retention - desired) * 100)
        if gap == 0:
            text.append("On target.\n")
        else:
            text.append(
                f"{abs(gap)} point{'s' * (abs(gap) != 1)} "
                f"{'above' if gap > 0 else 'below'} the desired retention.\n"
            )
    text.append(
        "Right answers to questions already learned; first answers and relearning "
        "steps are left out, as in Anki, so it compares with the desired retention.",
        style="dim",
    )
    return text


def forecast_text(days: list[tuple[date, int]]) -> FigureRows:
    rows = FigureRows()
    top = max((count for _d, count in days), default=0)
    for index, (day, count) in enumerate(days):
        label = Text(f"{day:%a} {_day(day)}", style="bold" if index == 0 else "")
        note = "  today, with overdue" if index == 0 else ""
        rows.add(label, count / top if top else 0.0, f"{count:>3}", note)
    return rows


def modules_text(view: Overview) -> FigureRows:
    rows = FigureRows()
    for module in view.modules:
        studied = f" studied {module.studied}/{module.questions}"
        if module.accuracy is None:
            rows.add(render.literal(module.title), None, "", studied, empty="no answers yet")
        else:
            rows.add(
                render.literal(module.title), module.accuracy, f"{module.accuracy:4.0%}", studied
            )
    return rows


def _prompt_start(study: Study, qid: str) -> str:
    question = study.course.by_id.get(qid)
    if question is None:
        return ""
    prompt = " ".join(question.prompt.split())
    return prompt if len(prompt) <= PROMPT_START else prompt[: PROMPT_START - 1] + "…"


def problems_text(view: Overview, study: Study) -> Group:
    text = Text()
    text.append("Leeches", style="bold")
    text.append("  (wrong 8 or more times after being learned)\n", style="dim")
    if not view.leeches:
        text.append("  none\n")
    for qid in view.leeches:
        text.append("  ")
        text.append_text(render.literal(qid, "bold"))
        text.append(f"  {study.lapses(qid)} lapses  ")
        text.append_text(render.literal(_prompt_start(study, qid)))
        question = study.course.by_id.get(qid)
        if question is not None:  # a leech is paired with the section that teaches it
            text.append("\n    reread: ", style="dim")
            text.append_text(render.literal(render.lesson_label(question, study.course)))
        text.append("\n")
    text.append("Flagged for the instructor", style="bold")
    if not view.flagged:
        text.append("\n  none")
    parts: list = [text]
    for qid in view.flagged:
        note = study.doc.flags.get(qid, {}).get("note") or "(no note)"
        line = Text("  ")
        line.append_text(render.literal(qid, "bold"))
        line.append("  ")
        line.append_text(render.literal(_prompt_start(study, qid)))
        parts += [line, _hanging("note:", render.literal(note, "italic"))]
    return Group(*parts)


def _hanging(label: str, body: Text) -> Padding:
    """`label` indented, then `body`, its wrapped lines starting under its first word."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="dim")
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(label, body)
    return Padding(grid, (0, 0, 0, 4))


def exams_text(study: Study) -> Text:
    history = exam_history(study)
    text = Text(no_wrap=True, overflow="ellipsis")
    if not history:
        text.append("No practice exams yet: press e on the dashboard to sit one.")
        return text
    tz = study.clock.local_tz()
    for index, (finished, share, passed) in enumerate(history):
        if index:
            text.append("\n")
        text.append(f"{finished.astimezone(tz):%Y-%m-%d %H:%M}  ")
        text.append_text(bar(share, 20))
        text.append(f" {share:4.0%}  ")
        if passed:
            text.append(f"{render.RIGHT} PASS", style="bold green")
        else:
            text.append(f"{render.WRONG} FAIL", style="bold red")
    return text


def readiness_text(view: Overview, study: Study) -> Text:
    ready = view.readiness
    text = Text()
    if ready is None:
        text.append("No practice exam is defined in the content, so there is no estimate.")
        return text
    text.append("Expected score now: ", style="bold")
    if ready.enough_evidence:
        verdict = f"{render.RIGHT} on track" if ready.likely_pass else f"{render.WRONG} not yet"
        text.append(f"{ready.estimate:.0%}", style="bold")
        text.append(f" vs practice pass mark {ready.pass_mark:.0%}  {verdict}\n")
    else:
        text.append("not enough answers yet", style="bold")
        text.append(f". Needs {ready.needed}.\n")
    text.append("Method: ", style="bold")
    text.append(ready.method)
    text.append("\n\nCalibration", style="bold")
    text.append("  (prediction at the start of each exam vs the score)\n", style="dim")
    pairs = calibration(study)
    if not pairs:
        text.append("No exams with a prediction yet.")
        return text
    for number, (predicted, actual) in enumerate(pairs, 1):
        gap = round((actual - predicted) * 100)
        text.append(
            f"  Exam {number}: predicted {predicted:.0%}, scored {actual:.0%} ({gap:+d} points)\n"
        )
    mean = sum(abs(a - p) for p, a in pairs) / len(pairs)
    bias = sum(a - p for p, a in pairs) / len(pairs)
    text.append(
        f"Average miss {mean * 100:.0f} points; scores ran {abs(bias) * 100:.0f} "
        f"points {'above' if bias >= 0 else 'below'} the prediction on average."
    )
    return text


class StatsPane(VerticalScroll, inherit_bindings=False, can_focus=False):
    """Scrolls with the mouse wheel; the screen's keys scroll it from the keyboard."""


class StatsScreen(FiguresScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def compose(self) -> ComposeResult:
        yield Header()
        with StatsPane(id="stats"):
            for section_id, _title in SECTIONS:
                yield Static(id=section_id, classes="panel stats-section")
        yield Footer()

    def on_mount(self) -> None:
        for section_id, title in SECTIONS:
            self.query_one(f"#{section_id}").border_title = title
        self.refresh_figures()

    def refresh_figures(self) -> None:
        study = self.app.study
        view = overview(study)
        desired = float(study.settings["desired_retention"])
        parts = {
            "stats-reviews": ReviewsChart(
                reviews_per_day(study, RETENTION_DAYS), today=today_counts(study)
            ),
            "stats-retention": retention_text(view, desired),
            "stats-forecast": forecast_text(due_forecast(study, 14)),
            "stats-modules": modules_text(view),
            "stats-problems": problems_text(view, study),
            "stats-exams": exams_text(study),
            "stats-readiness": readiness_text(view, study),
        }
        for section_id, text in parts.items():
            self.query_one(f"#{section_id}", Static).update(text)

    # --- key actions ------------------------------------------------------------------

    def action_scroll(self, lines: int) -> None:
        self.query_one(StatsPane).scroll_relative(y=lines, animate=False)

    def action_page(self, step: int) -> None:
        pane = self.query_one(StatsPane)
        if step > 0:
            pane.scroll_page_down(animate=False)
        else:
            pane.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self.query_one(StatsPane).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one(StatsPane).scroll_end(animate=False)

    def show_section(self, section_id: str) -> None:
        """Scroll so that a section starts at the top (the dashboard's `f` opens flags)."""
        self.query_one(f"#{section_id}").scroll_visible(top=True, animate=False)

    def action_back(self) -> None:
        self.app.pop_screen()
