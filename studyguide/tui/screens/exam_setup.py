"""Before a practice exam: the practice standard, the lengths on offer, readiness now."""

from __future__ import annotations

import random
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from studyguide.course.model import ExamSpec
from studyguide.engine.exam import assemble
from studyguide.engine.readiness import readiness
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings, digit_keys
from studyguide.tui.screens.base import CourseScreen

KEYS = (
    *digit_keys("start", "Length", "Start the exam of that length (1 is the first listed)"),
    Key("enter", "start_highlighted", "Start", "Start the exam of the highlighted length"),
    Key("escape", "back", "Back", "Back to the dashboard"),
)


def minutes(seconds: int) -> str:
    whole, rest = divmod(int(seconds), 60)
    return f"{whole} min {rest:02d} s" if rest else f"{whole} min"


class LengthList(OptionList, inherit_bindings=False):
    """The lengths on offer. Enter belongs to the screen, so the footer can show it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]


class ExamSetupScreen(CourseScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self) -> None:
        super().__init__()
        self.spec: ExamSpec | None = None
        self.available = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="setup", can_focus=False):
            yield Static(id="setup-title")
            yield Static(id="setup-note", classes="exam-note")
            yield Static(id="setup-readiness")
            yield Static(Text("Choose a length:", style="bold"), id="setup-choose")
            yield LengthList(id="setup-lengths")
            yield Static(id="setup-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#setup-note").border_title = "Practice standard"
        self.refresh_view()
        self.query_one(LengthList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_view()

    def content_reloaded(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        study = self.app.study
        self.spec = spec = study.course.exam
        if spec is None:
            self.query_one("#setup-title", Static).update(
                Text("The content no longer defines a practice exam (exam.yaml).")
            )
            self.query_one(LengthList).clear_options()
            self.refresh_bindings()
            return
        self.available = sum(len(study.course.module_questions(m)) for m in spec.blueprint)
        title = Text()
        title.append_text(render.literal(spec.title, "bold"))
        title.append(
            f"\nPractice pass mark {spec.pass_mark:.0%}. Full exam: {spec.questions} "
            f"questions in {minutes(spec.time_limit_seconds(spec.questions))}."
        )
        self.query_one("#setup-title", Static).update(title)
        self.query_one("#setup-note", Static).update(render.literal(spec.note))
        self.query_one("#setup-readiness", Static).update(self._readiness())
        lengths = self.query_one(LengthList)
        highlighted = lengths.highlighted
        lengths.clear_options()
        for number, length in enumerate(spec.lengths, 1):
            label = Text()
            label.append(f"{number}. ", style="bold")
            label.append(f"{length} questions, {minutes(spec.time_limit_seconds(length))}")
            if length > self.available:
                label.append(f"  (only {self.available} questions are available)", style="italic")
            lengths.add_option(Option(label, id=str(length)))
        lengths.highlighted = highlighted if highlighted is not None else 0
        self.query_one("#setup-hint", Static).update(
            Text(
                "Press a number, or pick with ↑/↓ and Enter. No feedback until you submit; "
                "the exam does not change your review schedule.",
                style="dim",
            )
        )
        self.refresh_bindings()

    def _readiness(self) -> Text:
        ready = readiness(self.app.study)
        text = Text()
        if ready is None:
            return text
        text.append("Readiness now: ", style="bold")
        if ready.enough_evidence:
            verdict = "✔ on track" if ready.likely_pass else "✘ not yet"
            text.append(f"{ready.estimate:.0%}", style="bold")
            text.append(f" expected vs pass mark {ready.pass_mark:.0%}  {verdict}\n")
        else:
            text.append("not enough answers yet", style="bold")
            text.append(f". Needs {ready.needed}.\n")
        text.append(
            f"{ready.studied_share:.0%} of the exam questions studied so far. "
            "Statistics (t on the dashboard) explains the estimate.",
            style="dim",
        )
        return text

    # --- key actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        lengths = self.spec.lengths if self.spec is not None else ()
        if action == "start":
            return bool(parameters) and parameters[0] <= len(lengths)
        if action == "start_highlighted":
            return True if lengths else None
        return True

    def action_start(self, number: int) -> None:
        if self.spec is None or not 1 <= number <= len(self.spec.lengths):
            return
        self.query_one(LengthList).highlighted = number - 1
        self.begin(self.spec.lengths[number - 1])

    def action_start_highlighted(self) -> None:
        highlighted = self.query_one(LengthList).highlighted
        if self.spec is not None and highlighted is not None:
            self.begin(self.spec.lengths[highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a mouse click on a length
        self.action_start(event.option_index + 1)

    def action_back(self) -> None:
        self.app.pop_screen()

    def begin(self, length: int) -> None:
        if self.app.study.doc.exam_in_progress is not None:
            from studyguide.tui.screens.dialogs import ConfirmDialog

            def done(yes: bool | None) -> None:
                if yes:
                    self._begin(length)

            self.app.push_screen(
                ConfirmDialog(
                    "An unfinished exam is saved (it is offered when the app starts). "
                    "Starting a new exam discards it.",
                    "Start anyway",
                    "Keep it",
                ),
                done,
            )
            return
        self._begin(length)

    def _begin(self, length: int) -> None:
        from studyguide.tui.screens.exam import ExamScreen

        study = self.app.study
        spec = self.spec
        seed = self.app.seed if self.app.seed is not None else random.randrange(2**31)
        paper = assemble(study.course, spec, length, seed)
        if paper.length == 0:
            self.notify("The exam's modules have no questions loaded.", severity="warning")
            return
        ready = readiness(study)
        predicted = ready.estimate if ready is not None else None
        self.app.switch_screen(ExamScreen(paper, predicted))
