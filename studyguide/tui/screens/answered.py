"""One answered question, read-only: the prompt, the choices as they were shown, the
learner's answer and the feedback, as the review screen drew it. Opened from the session
summary's list of missed questions."""

from __future__ import annotations

from rich.console import Group
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from studyguide.course.model import Question
from studyguide.engine.study import Answer
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings

KEYS = (
    Key("l", "lesson", "Lesson", "Open the lesson section this question links to"),
    Key("down,j", "scroll(1)", "Scroll", "Scroll a long question", shown_as="↓/↑"),
    Key("up,k", "scroll(-1)", "Scroll", "Scroll up", show=False, palette=False, in_help=False),
    Key("escape,q", "back", "Back", "Back to the session summary", shown_as="Esc/q"),
)


def open_lesson(app: App, question: Question) -> None:
    """The lesson section a question links to, in the reader (no quiz from there)."""
    from studyguide.tui.screens.reader import ReaderScreen

    lesson = app.study.course.lessons_by_id.get(question.lesson_module)
    if lesson is None:
        app.notify("That lesson is not loaded.", severity="warning")
        return
    app.push_screen(ReaderScreen(lesson.id, question.lesson_section, from_review=True))


class AnsweredScreen(Screen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, answer: Answer, note: str = "") -> None:
        super().__init__()
        self.answer, self.note = answer, note

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="question-area"):
            yield Static(id="card")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Missed question"
        answer = self.answer
        question = answer.question
        order = list(answer.order or range(len(question.choices)))
        feedback = render.feedback(
            question, order, answer.picked, answer.correct, self.app.study.course, self.note
        )
        self.query_one("#card", Static).update(Group(*render.header(question), feedback))

    def action_lesson(self) -> None:
        open_lesson(self.app, self.answer.question)

    def action_scroll(self, lines: int) -> None:
        self.query_one("#question-area").scroll_relative(y=lines, animate=False)

    def action_back(self) -> None:
        self.app.pop_screen()
