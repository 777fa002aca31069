"""A paged lesson reader: overview, one page per section, then key terms and sources."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Markdown, Static

from studyguide.course.model import Lesson
from studyguide.engine.reading import OVERVIEW, Page, pages_of
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.base import CourseScreen

KEYS = (
    # Before "next": on the last page `n` offers the quiz instead (hidden elsewhere).
    Key(
        "n",
        "end_of_lesson",
        "Quiz?",
        "On the last page: offer a quiz on this module",
        palette=False,
    ),
    Key("n,right", "next_page", "Next", "Next page of the lesson"),
    Key(
        "space",
        "space",
        "Page",
        "Scroll down a screen; at the bottom, the next page",
        show=False,
    ),
    Key("p,left", "previous_page", "Previous", "Previous page of the lesson"),
    Key("q", "quiz", "Quiz", "Quiz yourself on this module (not when opened from a review)"),
    Key("escape", "back", "Back", "Close the lesson; your place is remembered"),
)


def _items(rows: list[tuple[Text, Text | Group]]) -> Table:
    """Rows of (marker, text) with a hanging indent, so wrapped lines stay aligned."""
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(no_wrap=True, justify="right", min_width=3)
    table.add_column(ratio=1, overflow="fold")
    for marker, text in rows:
        table.add_row(marker, text)
    return table


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold")


def overview_page(lesson: Lesson) -> Group:
    parts: list = [render.literal(lesson.summary)]
    if lesson.objectives:
        parts.append(_heading("After this module you should be able to:"))
        parts.append(_items([(Text(" •"), render.literal(o)) for o in lesson.objectives]))
    if lesson.sections:
        parts.append(_heading("Sections:"))
        parts.append(
            _items(
                [(Text(f"{n}."), render.literal(s.title)) for n, s in enumerate(lesson.sections, 2)]
            )
        )
    parts.append(Text("\nPress n or → for the next page.", style="dim"))
    return Group(*parts)


def terms_page(lesson: Lesson) -> Group:
    parts: list = [Text("Key terms", style="bold")]
    if lesson.key_terms:
        rows = []
        for term in lesson.key_terms:
            line = render.literal(term.term, "bold")
            line.append(": ")
            line.append_text(render.literal(term.definition))
            rows.append((Text(" •"), line))
        parts.append(_items(rows))
    else:
        parts.append(Text("This module lists no key terms.", style="dim"))
    parts.append(_heading("Sources"))
    if lesson.sources:
        rows = []
        for source in lesson.sources:
            line = render.literal(source.title)
            if source.url:
                line = Group(line, render.Url(source.url, "dim"))
            rows.append((Text(" •"), line))
        parts.append(_items(rows))
    else:
        parts.append(Text("This module lists no sources.", style="dim"))
    return Group(*parts)


class ReaderScreen(CourseScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self, module_id: str, section_id: str | None = None, from_review: bool = False
    ) -> None:
        super().__init__()
        self.module_id, self.section_id, self.from_review = module_id, section_id, from_review
        self.lesson: Lesson | None = None
        self.pages: list[Page] = []
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="reader-heading")
        with VerticalScroll(id="reader-body"):
            yield Static(id="reader-text")
            yield Markdown(id="reader-markdown", open_links=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Lesson"
        self.lesson = self.app.study.course.lessons_by_id.get(self.module_id)
        if self.lesson is None:
            self.app.pop_screen()
            self.app.notify("That lesson is not loaded.", severity="warning")
            return
        self.pages = pages_of(self.lesson)
        wanted = self.section_id or self.app.study.doc.lesson_positions.get(self.module_id)
        self.show_page(self._page_index(wanted))
        self.query_one("#reader-body").focus()

    def _page_index(self, page_id: str | None) -> int:
        return next((i for i, page in enumerate(self.pages) if page.id == page_id), 0)

    # --- showing ------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.index = max(0, min(index, len(self.pages) - 1))
        page = self.pages[self.index]
        self.app.study.read_page(self.module_id, page.id)
        self.query_one("#reader-heading", Static).update(self._heading(page))
        text = self.query_one("#reader-text", Static)
        markdown = self.query_one("#reader-markdown", Markdown)
        if page.markdown is None:
            body = overview_page(self.lesson) if page.id == OVERVIEW else terms_page(self.lesson)
            text.update(body)
            markdown.update("")
        else:
            text.update("")
            markdown.update(page.markdown)
        text.display = page.markdown is None
        markdown.display = page.markdown is not None
        self.query_one("#reader-body").scroll_home(animate=False)
        self.refresh_bindings()

    def _heading(self, page: Page) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append_text(render.literal(self.lesson.title, "bold"))
        text.append("\n")
        text.append(f"Page {self.index + 1} of {len(self.pages)}: ")
        text.append_text(render.literal(page.title, "bold"))
        return text

    def content_reloaded(self) -> None:
        lesson = self.app.study.course.lessons_by_id.get(self.module_id)
        if lesson is None:
            self.notify("This lesson is no longer in the content.", severity="warning")
            return
        current = self.pages[self.index].id if self.pages else None
        self.lesson, self.pages = lesson, pages_of(lesson)
        self.show_page(self._page_index(current))

    # --- key actions ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in ("quiz", "end_of_lesson") and self.from_review:
            return False
        if action == "end_of_lesson":
            return self.index == len(self.pages) - 1
        if action == "next_page" and self.index >= len(self.pages) - 1:
            return None
        if action == "previous_page" and self.index == 0:
            return None
        return True

    def action_next_page(self) -> None:
        if self.index < len(self.pages) - 1:
            self.show_page(self.index + 1)

    def action_space(self) -> None:
        """Like a pager: a screen further down, then the next page, then the quiz offer."""
        body = self.query_one("#reader-body")
        if body.scroll_y < body.max_scroll_y:
            body.scroll_page_down(animate=False)
        elif self.index < len(self.pages) - 1:
            self.show_page(self.index + 1)
        elif not self.from_review:
            self.action_end_of_lesson()

    def action_end_of_lesson(self) -> None:
        from studyguide.tui.screens.dialogs import ConfirmDialog

        def done(yes: bool | None) -> None:
            if yes:
                self.action_quiz()

        title = self.lesson.title if self.lesson is not None else "this module"
        self.app.push_screen(
            ConfirmDialog(
                f"That was the last page of {title}. Quiz yourself on this module now?",
                "Quiz",
                "Not now",
            ),
            done,
        )

    def action_previous_page(self) -> None:
        if self.index > 0:
            self.show_page(self.index - 1)

    def action_quiz(self) -> None:
        from studyguide.tui.screens.review import ReviewScreen

        if not self.from_review:
            self.app.push_screen(ReviewScreen(module=self.module_id))

    def action_back(self) -> None:
        self.app.pop_screen()
