"""A timed practice exam: answer in any order, change answers, mark for review, submit.

No feedback is shown before the exam is submitted, and nothing here touches the review
schedule: the finished attempt is recorded with `Study.record_exam` only. While it runs,
the exam itself (answers, marks, time left) is saved after every answer and mark and
every few seconds, so a crash does not lose it (`engine/exam_resume.py`).
"""

from __future__ import annotations

import math
import time

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static

from studyguide.course.model import ExamSpec, Question
from studyguide.engine.exam import ExamPaper, attempt_record, score
from studyguide.engine.exam_resume import ResumedExam, in_progress_record
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.base import CourseScreen
from studyguide.tui.widgets import MoreBelow, ScrollArea, reveal

# The digits are left out of the footer (the hint under the choices names them), so the
# other keys fit at 80 columns.
ANSWER_HELP = "Pick a choice (several-answer questions: toggle it); change it any time"
KEYS = (
    *(
        Key(
            str(n),
            f"choose({n})",
            "Answer",
            ANSWER_HELP,
            show=False,
            palette=False,
            shown_as="1-9" if n == 1 else "",
            in_help=n == 1,
        )
        for n in range(1, 10)
    ),
    Key("n,right", "next", "Next", "Go to the next question"),
    Key("p,left", "previous", "Prev", "Go to the previous question"),
    Key("m", "mark", "Mark", "Mark or unmark this question for review"),
    Key("g", "jump", "Go to", "List every question (answered, marked) and jump to one"),
    Key("s", "submit", "Submit", "Submit the exam for scoring"),
    Key("escape", "abandon", "Abandon", "Abandon the exam; nothing is recorded"),
    Key(
        "down",
        "scroll(1)",
        "Scroll",
        "Scroll a long question",
        show=False,
        palette=False,
        shown_as="↓/↑",
    ),
    Key(
        "up",
        "scroll(-1)",
        "Scroll",
        "Scroll a long question",
        show=False,
        palette=False,
        in_help=False,
    ),
    Key("pagedown", "page(1)", "Page", "Scroll a page down or up", False, False, "PgDn/PgUp"),
    Key("pageup", "page(-1)", "Page", "Scroll up a page", False, False, in_help=False),
)

MAX_CHOICES = 9
WARN_AT_SECONDS = 300  # a notice when five minutes are left
LOW_AT_SECONDS = 60  # the countdown is emphasised in the last minute
TICK_SECONDS = 0.25
SAVE_EVERY_SECONDS = 5.0  # the time left is saved this often (and on every answer)


def clock_text(seconds: float) -> str:
    """Whole seconds left as mm:ss, rounded up so 00:00 means the time is up."""
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def choice_text(question: Question, number: int, index: int, selected: bool) -> Table:
    """One choice with a selection mark that does not depend on colour; a long choice
    wraps under its own text, not under the number."""
    if question.type == "multiple":
        mark = "[x]" if selected else "[ ]"
    else:
        mark = "(•)" if selected else "( )"
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")  # a long word is folded, never cut off
    head = Text()
    head.append(f"{number}. ", style="bold")
    head.append(mark, style="bold" if selected else "")
    grid.add_row(head, render.literal(question.choices[index].text, "bold" if selected else ""))
    return grid


class ChoiceRow(Static):
    """A choice line; clicking it picks the choice."""

    def __init__(self, number: int) -> None:
        super().__init__(id=f"choice-{number}", classes="exam-choice")
        self.number = number

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.screen.action_choose(self.number)


class ExamScreen(CourseScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def __init__(
        self, paper: ExamPaper, predicted: float | None, resumed: ResumedExam | None = None
    ) -> None:
        super().__init__()
        self.paper = paper
        self.predicted = predicted
        self.index = 0
        self.answers: dict[str, set[int]] = {}  # file indexes per question id
        self.marked: set[str] = set()
        # The countdown runs from this many seconds (the time left, for a resumed exam).
        self.time_limit_s: float = paper.time_limit_s
        self.started_monotonic = time.monotonic()
        self.saved_monotonic = 0.0
        self.finished = False
        self.warned = False
        self.spec: ExamSpec | None = None
        self.resumed = resumed
        if resumed is not None:
            self.answers = {qid: set(picked) for qid, picked in resumed.answers.items()}
            self.marked = set(resumed.marked)
            self.index = min(resumed.index, max(0, len(paper.questions) - 1))
            self.time_limit_s = resumed.time_left_s

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="exam-bar"):
            yield Static(id="exam-position")
            yield Static(id="exam-answered")
            yield Static(id="exam-timer")
        with ScrollArea(id="exam-question", can_focus=False):
            yield Static(id="exam-scenario", classes="scenario")
            yield Static(id="exam-prompt", classes="prompt")
            with Vertical(id="exam-choices"):
                for number in range(1, MAX_CHOICES + 1):
                    yield ChoiceRow(number)
            yield Static(id="exam-hint", classes="hint")
        yield MoreBelow()
        yield Footer()

    def on_mount(self) -> None:
        study = self.app.study
        self.spec = study.course.exam
        self.started = self.resumed.started if self.resumed else study.clock.now()
        self.started_monotonic = time.monotonic()
        self.show()
        self.save_progress()
        self.tick()
        self.timer = self.set_interval(TICK_SECONDS, self.tick, name="exam-countdown")

    def content_reloaded(self) -> None:
        if not self.finished:
            self.notify(
                "The content changed. This exam keeps the questions it started with and is "
                "scored as shown; the changes apply to your next exam.",
                title="Content changed",
                timeout=8,
            )

    def on_unmount(self) -> None:
        self.save_progress()  # the app quitting mid-exam: keep the time left exactly

    def save_progress(self) -> None:
        """Save the exam as it stands, so it can be resumed after a crash or a quit."""
        if self.finished:
            return
        study = self.app.study
        self.saved_monotonic = time.monotonic()
        study.save_exam_in_progress(
            in_progress_record(
                self.paper,
                self.answers,
                self.marked,
                self.index,
                self.remaining(),
                self.started,
                study.clock.now(),
                self.predicted,
            )
        )

    # --- time ---------------------------------------------------------------------

    def remaining(self) -> float:
        return self.time_limit_s - (time.monotonic() - self.started_monotonic)

    def tick(self) -> None:
        """Update the countdown; submit the exam when the time is up."""
        if self.finished:
            return
        left = self.remaining()
        if left <= 0:
            self.finish(timed_out=True)
            return
        if time.monotonic() - self.saved_monotonic >= SAVE_EVERY_SECONDS:
            self.save_progress()
        timer = self.query_one("#exam-timer", Static)
        timer.update(f"⏱ {clock_text(left)} left")
        timer.set_class(left <= LOW_AT_SECONDS, "low-time")
        if left <= WARN_AT_SECONDS and not self.warned:
            self.warned = True
            if self.time_limit_s > WARN_AT_SECONDS:
                self.notify(
                    f"{clock_text(left)} left. The exam submits itself at 00:00.",
                    title="Time",
                    severity="warning",
                    timeout=6,
                )

    # --- showing a question -------------------------------------------------------

    @property
    def question(self) -> Question:
        return self.paper.questions[self.index]

    @property
    def order(self) -> tuple[int, ...]:
        return self.paper.orders[self.question.id]

    def show(self) -> None:
        question = self.question
        scenario = self.query_one("#exam-scenario", Static)
        scenario.display = question.scenario is not None
        if question.scenario is not None:
            scenario.update(render.literal(question.scenario.text))
        self.query_one("#exam-prompt", Static).update(render.literal(question.prompt, "bold"))
        self._render_choices()
        self._render_status()
        self.query_one("#exam-question").scroll_home(animate=False)
        self.refresh_bindings()

    def _render_choices(self) -> None:
        question, order = self.question, self.order
        selected = self.answers.get(question.id, set())
        for number in range(1, MAX_CHOICES + 1):
            row = self.query_one(f"#choice-{number}", ChoiceRow)
            row.display = number <= len(order)
            if number <= len(order):
                index = order[number - 1]
                row.update(choice_text(question, number, index, index in selected))
                row.set_class(index in selected, "selected")
        n = len(order)
        if question.type == "multiple":
            hint = f"Select all that apply: press 1-{n} to toggle."
        else:
            hint = f"Press 1-{n} to choose."
        hint += " You can change answers until you submit (s)."
        self.query_one("#exam-hint", Static).update(Text(hint, style="dim"))

    def _render_status(self) -> None:
        total = len(self.paper.questions)
        position = Text()
        position.append(f"Question {self.index + 1} of {total}", style="bold")
        if self.question.id in self.marked:
            position.append("  ⚑ marked for review", style="bold")
        self.query_one("#exam-position", Static).update(position)
        self.query_one("#exam-answered", Static).update(f"answered {self.answered_count()}/{total}")

    def answered_count(self) -> int:
        return sum(1 for q in self.paper.questions if self.answers.get(q.id))

    def go(self, index: int) -> None:
        if 0 <= index < len(self.paper.questions) and not self.finished:
            self.index = index
            self.show()
            self.save_progress()

    # --- key actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if self.finished:
            return False
        if action == "choose" and parameters and parameters[0] > len(self.order):
            return False
        if action == "next" and self.index >= len(self.paper.questions) - 1:
            return None
        if action == "previous" and self.index == 0:
            return None
        return True

    def action_choose(self, number: int) -> None:
        if self.finished or not 1 <= number <= len(self.order):
            return
        if not reveal(self.query_one(f"#choice-{number}"), self.query_one("#exam-question")):
            return  # it was off screen: now shown, and the same digit picks it
        index = self.order[number - 1]
        chosen = self.answers.setdefault(self.question.id, set())
        if self.question.type == "multiple":
            chosen ^= {index}
        else:
            chosen.clear()
            chosen.add(index)
        self._render_choices()
        self._render_status()
        self.save_progress()

    def action_next(self) -> None:
        self.go(self.index + 1)

    def action_previous(self) -> None:
        self.go(self.index - 1)

    def action_mark(self) -> None:
        self.marked ^= {self.question.id}
        self._render_status()
        self.save_progress()

    def action_scroll(self, lines: int) -> None:
        self.query_one("#exam-question").scroll_relative(y=lines, animate=False)

    def action_page(self, step: int) -> None:
        area = self.query_one("#exam-question")
        (area.scroll_page_down if step > 0 else area.scroll_page_up)(animate=False)

    def action_jump(self) -> None:
        rows = [
            (q, bool(self.answers.get(q.id)), q.id in self.marked) for q in self.paper.questions
        ]

        def done(index: int | None) -> None:
            if index is not None:
                self.go(index)

        from studyguide.tui.screens.exam_goto import JumpDialog

        self.app.push_screen(JumpDialog(rows, self.index), done)

    def action_submit(self) -> None:
        total = len(self.paper.questions)
        unanswered = total - self.answered_count()
        marked = len(self.marked)
        lines = [f"Submit the exam? You have answered {total - unanswered} of {total}."]
        if unanswered:
            lines.append(f"{unanswered} unanswered (they count as wrong).")
        if marked:
            lines.append(f"{marked} marked for review.")
        lines.append("You cannot change answers after submitting.")

        def done(yes: bool | None) -> None:
            if yes:
                self.finish(timed_out=False)

        from studyguide.tui.screens.dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog("\n".join(lines), "Submit", "Keep working"), done)

    def action_abandon(self) -> None:
        from studyguide.tui.screens.dialogs import ConfirmDialog

        def done(yes: bool | None) -> None:
            if yes and not self.finished:
                self.finished = True
                self.timer.stop()
                self.app.study.discard_exam_in_progress()
                self.app.pop_screen()
                self.app.notify("Exam abandoned. Nothing was recorded.", timeout=4)

        self.app.push_screen(
            ConfirmDialog(
                "Abandon this exam? Your answers are discarded and nothing is recorded.",
                "Abandon",
                "Keep working",
            ),
            done,
        )

    # --- finishing ----------------------------------------------------------------

    def final_answers(self) -> dict[str, frozenset[int]]:
        return {qid: frozenset(picked) for qid, picked in self.answers.items() if picked}

    def finish(self, timed_out: bool) -> None:
        """Score, record the attempt and show the results. Runs once."""
        from studyguide.tui.screens.exam_results import ExamResultsScreen

        if self.finished:
            return
        self.finished = True
        self.timer.stop()
        study = self.app.study
        spec = self.spec or study.course.exam
        answers = self.final_answers()
        result = score(self.paper, answers, spec.pass_mark)
        record = attempt_record(
            self.paper, answers, result, self.started, study.clock.now(), timed_out, self.predicted
        )
        if self.resumed is not None:
            record.update(self.resumed.attempt_keys())
        study.record_exam(record)  # clears the exam in progress in the same save
        # Close anything open over the exam (a dialog, the help) before leaving it.
        while self.app.screen is not self and self in self.app.screen_stack:
            self.app.pop_screen()
        self.app.switch_screen(
            ExamResultsScreen(self.paper, result, spec, answers=answers, timed_out=timed_out)
        )
        if timed_out:
            self.app.notify(
                "Time is up: the exam was submitted.", title="Time", severity="warning", timeout=8
            )
