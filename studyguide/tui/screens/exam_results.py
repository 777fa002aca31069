"""After a practice exam: the score against the practice pass mark, each module, and every
wrong answer with the right one, the explanation and the lesson to read."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from studyguide.course.model import ExamSpec, Question
from studyguide.engine.exam import ExamPaper, ExamResult
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings
from studyguide.tui.widgets import bar, fit

KEYS = (
    Key("down,j", "move(1)", "Next wrong", "Highlight the next wrong answer", shown_as="↓/j"),
    Key(
        "up,k",
        "move(-1)",
        "Prev wrong",
        "Highlight the previous wrong answer",
        shown_as="↑/k",
        show=False,  # the footer keeps room for "? Help" below 80 columns
    ),
    Key("l", "lesson", "Lesson", "Open the lesson section of the highlighted wrong answer"),
    Key("pagedown", "page(1)", "Page down", "Scroll down a page", show=False, palette=False),
    Key("pageup", "page(-1)", "Page up", "Scroll up a page", show=False, palette=False),
    Key("end", "edge(1)", "End", "Scroll to the end of the results", show=False),
    Key("home", "edge(-1)", "Top", "Scroll back to the score", show=False),
    Key("enter,escape", "close", "Dashboard", "Back to the dashboard"),
)

TITLE_WIDTH = 34


def _choices(
    text: Text, label: str, question: Question, order: tuple[int, ...], picked: frozenset[int]
) -> None:
    """`label: 2. choice` for one choice; for several, each numbered choice on a line of its
    own under the label (joined on one line they ran together into one sentence)."""
    numbered = [
        f"{order.index(i) + 1}. {question.choices[i].text}" for i in sorted(picked, key=order.index)
    ]
    if len(numbered) == 1:
        text.append(f"{label}: ", style="bold")
        text.append_text(render.literal(numbered[0]))
        return
    text.append(f"{label}s ({len(numbered)}):", style="bold")
    for line in numbered:
        text.append("\n   ")
        text.append_text(render.literal(line))


class ResultsPane(VerticalScroll, inherit_bindings=False, can_focus=False):
    """Scrolls with the mouse; the keys are the screen's, so a highlighted wrong answer's
    ↑/↓ move between answers instead of scrolling."""


class WrongAnswer(Static, can_focus=True):
    """One wrong or unanswered question; focus highlights it for `l`."""

    def __init__(self, question: Question, text: Text) -> None:
        super().__init__(text, classes="wrong-answer")
        self.question = question


class ExamResultsScreen(Screen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)
    AUTO_FOCUS = ""  # open on the score, not on the first wrong answer (None means the app's)

    def __init__(
        self,
        paper: ExamPaper,
        result: ExamResult,
        spec: ExamSpec,
        *,
        answers: dict[str, frozenset[int]] | None = None,
        timed_out: bool = False,
    ) -> None:
        super().__init__()
        self.paper, self.result, self.spec = paper, result, spec
        self.answers = answers or {}
        self.timed_out = timed_out

    def compose(self) -> ComposeResult:
        yield Header()
        with ResultsPane(id="results"):
            yield Static(self._score(), id="results-score", classes="panel")
            yield Static(self._modules(), id="results-modules", classes="panel")
            yield Static(self._wrong_heading(), id="results-wrong-heading")
            for number, question in self._numbered_wrong():
                yield WrongAnswer(question, self._wrong(number, question))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#results-score").border_title = "Result"
        self.query_one("#results-modules").border_title = "By module"

    # --- rendering ------------------------------------------------------------------

    def _score(self) -> Text:
        result = self.result
        text = Text()
        text.append(f"{result.right} of {result.total} right: ", style="bold")
        text.append(f"{result.score:.0%}", style="bold")
        text.append(f"   practice pass mark {result.pass_mark:.0%}\n")
        if result.passed:
            text.append(f"{render.RIGHT} PASS", style="bold green")
            text.append("  at or above the practice pass mark")
        else:
            text.append(f"{render.WRONG} FAIL", style="bold red")
            text.append("  below the practice pass mark")
        details = []
        if result.unanswered:
            details.append(f"{result.unanswered} unanswered (counted as wrong)")
        if self.timed_out:
            details.append("time ran out: submitted automatically")
        if self.paper.shortfall:
            details.append(
                f"{self.paper.shortfall} fewer questions than asked for: the modules had too few"
            )
        if details:
            sentence = "; ".join(details)
            text.append(f"\n{sentence[0].upper()}{sentence[1:]}.")
        text.append("\n")
        text.append_text(render.literal(self.spec.note, "dim italic"))
        return text

    def _modules(self) -> Text:
        course = self.app.study.course
        rank = {lesson.id: i for i, lesson in enumerate(course.lessons)}
        text = Text(no_wrap=True, overflow="ellipsis")
        rows = sorted(
            self.result.per_module, key=lambda s: (rank.get(s.module, len(rank)), s.module)
        )
        for line, module in enumerate(rows):
            lesson = course.lessons_by_id.get(module.module)
            title = lesson.title if lesson else module.module
            if line:
                text.append("\n")
            text.append_text(render.literal(fit(title, TITLE_WIDTH) + " "))
            text.append(f"{module.right:>2}/{module.total:<2} ")
            text.append_text(bar(module.share, 20))
            text.append(f" {module.share:4.0%}")
        return text

    def _numbered_wrong(self) -> list[tuple[int, Question]]:
        number = {q.id: i for i, q in enumerate(self.paper.questions, 1)}
        return [(number.get(q.id, 0), q) for q in self.result.wrong]

    def _wrong_heading(self) -> Text:
        count = len(self.result.wrong)
        if not count:
            return Text(f"{render.RIGHT} Every question right.", style="bold")
        text = Text()
        text.append(f"{render.WRONG} Wrong or unanswered: {count}", style="bold")
        text.append("   ↓/↑ highlight one, l opens its lesson", style="dim")
        return text

    def _wrong(self, number: int, question: Question) -> Text:
        order = self.paper.orders.get(question.id, tuple(range(len(question.choices))))
        picked = self.answers.get(question.id, frozenset())
        text = Text()
        text.append(f"Question {number}. ", style="bold")
        if question.scenario is not None:
            text.append_text(render.literal(question.scenario.text, "italic"))
            text.append("\n")
        text.append_text(render.literal(question.prompt, "bold"))
        text.append("\n")
        if picked:
            _choices(text, f"{render.WRONG} Your answer", question, order, picked)
        else:
            text.append(f"{render.WRONG} Your answer: ", style="bold")
            text.append("no answer", style="italic")
        text.append("\n")
        _choices(text, f"{render.RIGHT} Right answer", question, order, question.correct_indexes)
        text.append("\nWhy: ", style="bold")
        text.append_text(render.literal(question.explanation))
        text.append("\nRead more: ", style="bold")
        text.append_text(render.literal(render.lesson_label(question, self.app.study.course)))
        text.append("  (l when highlighted)", style="dim")
        return text

    # --- key actions ------------------------------------------------------------------

    def highlighted(self) -> WrongAnswer | None:
        focused = self.focused
        return focused if isinstance(focused, WrongAnswer) else None

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_descendant_blur(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "move" and not self.result.wrong:
            return False
        if action == "lesson":
            if not self.result.wrong:
                return False
            return True if self.highlighted() is not None else None
        return True

    def action_move(self, step: int) -> None:
        items = list(self.query(WrongAnswer))
        if not items:
            return
        current = self.highlighted()
        if current is not None:
            target: int | None = items.index(current) + step
        else:
            target = 0 if step > 0 else None
        scroll = self.query_one("#results")
        if target is None or target < 0:
            self.set_focus(None)
            scroll.scroll_home(animate=False)
        elif target < len(items):
            self.set_focus(items[target])
            scroll.scroll_to_widget(items[target], animate=False, top=True)
        self.refresh_bindings()

    def action_page(self, step: int) -> None:
        scroll = self.query_one("#results")
        if step > 0:
            scroll.scroll_page_down(animate=False)
        else:
            scroll.scroll_page_up(animate=False)

    def action_edge(self, step: int) -> None:
        """End: the last line of the results; Home: back to the score."""
        scroll = self.query_one("#results")
        self.set_focus(None)
        if step > 0:
            scroll.scroll_end(animate=False)
        else:
            scroll.scroll_home(animate=False)
        self.refresh_bindings()

    def action_lesson(self) -> None:
        item = self.highlighted()
        if item is None:
            self.notify("Highlight a wrong answer first (↓).", timeout=3)
            return
        from studyguide.tui.screens.reader import ReaderScreen

        question = item.question
        lesson = self.app.study.course.lessons_by_id.get(question.lesson_module)
        if lesson is None:
            self.notify("That lesson is not loaded.", severity="warning")
            return
        self.app.push_screen(ReaderScreen(lesson.id, question.lesson_section, from_review=True))

    def action_close(self) -> None:
        self.app.pop_screen()
