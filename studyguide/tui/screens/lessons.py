"""The lesson modules in curriculum order, with progress, and the highlighted one's summary."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from studyguide.course.model import Lesson
from studyguide.engine.reading import ReadingProgress, pages_of, reading_progress
from studyguide.engine.stats import ModuleMastery, module_mastery
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.base import CourseScreen

KEYS = (
    Key("enter", "read", "Read", "Read the highlighted module, where you left off"),
    Key("q", "quiz", "Quiz", "Quiz yourself on the highlighted module"),
    Key("escape", "back", "Back", "Back to the dashboard"),
)


class ModuleList(OptionList, inherit_bindings=False):
    """The option list without its own Enter binding, so the screen's "Read" key applies
    and shows in the footer. A mouse click still selects (and opens) a module."""

    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in OptionList.BINDINGS if getattr(b, "key", "") != "enter"
    ]


def reading_text(reading: ReadingProgress) -> Text:
    """Pages read: "2/6 read", or "✓ read" once every page has been opened; nothing while
    no page is read, so a long title keeps its room."""
    if not reading.read:
        return Text("")
    if reading.done:
        return Text("✓ read", style="bold")
    return Text(f"{reading.read}/{reading.pages} read", style="dim")


def module_row(
    lesson: Lesson, figures: ModuleMastery | None, reading: ReadingProgress | None = None
) -> Table:
    """One list row: order and title (cut with … when narrow), pages read, then the
    question figures."""
    row = Table.grid(expand=True, padding=(0, 1, 0, 0))
    row.add_column(width=3, justify="right", no_wrap=True)
    row.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    read = reading_text(reading) if reading is not None else Text("")
    if read:
        row.add_column(no_wrap=True, justify="right", min_width=8)
    row.add_column(no_wrap=True, justify="right")
    if figures is None:
        progress = Text("")
    else:
        progress = Text(f"{figures.studied}/{figures.questions} studied  ", style="dim")
        progress.append(f"{figures.mastery:4.0%}", style="bold")
        progress.append(" mastery", style="dim")
    cells = (read, progress) if read else (progress,)
    row.add_row(Text(f"{lesson.order}."), render.literal(lesson.title), *cells)
    return row


def summary_text(lesson: Lesson, position: str | None, read: list[str] | None = None) -> Text:
    """The summary, then the pages as the reader counts them (overview, each section, key
    terms), how many are read and where the learner stopped."""
    text = Text()
    text.append_text(render.literal(lesson.title, "bold"))
    text.append("\n")
    text.append_text(render.literal(lesson.summary))
    reading = reading_progress(lesson, read or ())
    sections = len(lesson.sections)
    text.append(
        f"\n{reading.pages} pages ({sections} section{'s' * (sections != 1)}), "
        f"{'all' if reading.done else reading.read} read",
        style="dim",
    )
    page = next((p for p in pages_of(lesson) if p.id == position), None)
    if page is not None:
        text.append(" · you stopped at: ", style="dim")
        text.append_text(render.literal(page.title, "dim"))
    return text


class LessonsScreen(CourseScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def compose(self) -> ComposeResult:
        yield Header()
        yield ModuleList(id="lesson-list", classes="panel")
        with VerticalScroll(id="lesson-summary", classes="panel"):
            yield Static(id="lesson-summary-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Lessons"
        self.query_one("#lesson-list").border_title = "Modules"
        self.query_one("#lesson-summary").border_title = "Summary"
        self.refresh_list()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def content_reloaded(self) -> None:
        self.refresh_list()

    # --- showing ------------------------------------------------------------------

    def refresh_list(self) -> None:
        study = self.app.study
        figures = {m.module: m for m in module_mastery(study, study.clock.now())}
        options = self.query_one(OptionList)
        current = self.highlighted_id()
        options.clear_options()
        lessons = study.course.lessons
        read = study.doc.pages_read
        options.add_options(
            Option(
                module_row(
                    lesson,
                    figures.get(lesson.id),
                    reading_progress(lesson, read.get(lesson.id, ())),
                ),
                id=lesson.id,
            )
            for lesson in lessons
        )
        if lessons:
            ids = [lesson.id for lesson in lessons]
            options.highlighted = ids.index(current) if current in ids else 0
        self.show_summary()
        self.refresh_bindings()

    def highlighted_id(self) -> str | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not 0 <= index < options.option_count:
            return None
        return options.get_option_at_index(index).id

    def highlighted_lesson(self) -> Lesson | None:
        return self.app.study.course.lessons_by_id.get(self.highlighted_id() or "")

    def show_summary(self) -> None:
        lesson = self.highlighted_lesson()
        box = self.query_one("#lesson-summary-text", Static)
        if lesson is None:
            box.update(Text("No lessons are loaded. Check the content folder.", style="dim"))
            return
        doc = self.app.study.doc
        box.update(
            summary_text(lesson, doc.lesson_positions.get(lesson.id), doc.pages_read.get(lesson.id))
        )
        self.query_one("#lesson-summary").scroll_home(animate=False)

    def on_option_list_option_highlighted(self, _event: OptionList.OptionHighlighted) -> None:
        self.show_summary()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_read()

    # --- key actions ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("read", "quiz") and self.highlighted_lesson() is None:
            return None
        return True

    def action_read(self) -> None:
        from studyguide.tui.screens.reader import ReaderScreen

        lesson = self.highlighted_lesson()
        if lesson is not None:
            self.app.push_screen(ReaderScreen(lesson.id))

    def action_quiz(self) -> None:
        from studyguide.tui.screens.review import ReviewScreen

        lesson = self.highlighted_lesson()
        if lesson is not None:
            self.app.push_screen(ReviewScreen(module=lesson.id))

    def action_back(self) -> None:
        self.app.pop_screen()
