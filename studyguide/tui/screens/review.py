"""A review session: one question at a time, feedback after each answer."""

from __future__ import annotations

import random
import time

from fsrs import Rating
from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, ProgressBar, Static

from studyguide.course.model import Question
from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import Answer, Study, UndoStep
from studyguide.tui import render
from studyguide.tui.keys import SCROLL_KEYS, Key, bindings, digit_keys
from studyguide.tui.screens.base import CourseScreen
from studyguide.tui.widgets import MoreBelow, ScrollArea, clip, reveal, when, when_past

ANSWER_KEYS = (
    *digit_keys("choose", "Answer", "Pick a choice (for several-answer questions: toggle it)"),
    Key("enter", "submit", "Submit", "Submit the selected answers"),
    Key("enter", "next", "Next", "Go on to the next question after feedback"),
    Key("space", "next", "Next", "Go on to the next question", show=False),
    Key("h", "rate('hard')", "Guess", "Mark a right answer as a guess or hard"),
    Key("e", "rate('easy')", "Easy", "Mark a right answer as too easy"),
    Key("l", "lesson", "Lesson", "Open the lesson section this question links to"),
    Key("f", "flag", "Flag", "Flag the question for the instructor, with a note"),
    Key("u", "undo", "Undo", "Undo the last answer (asks first if from an earlier session)"),
    # Not in the footer (after a right answer it would not fit 80 columns): the undo
    # notice names the key instead.
    Key("U,ctrl+r", "redo", "Redo", "Redo the answer you undid", show=False),
    Key("b", "bury", "Bury", "Hide this question until tomorrow"),
    Key("q,escape", "end", "End", "End the session and see a summary"),
    *SCROLL_KEYS,
)
KEYS = ANSWER_KEYS

MAX_CHOICES = 9  # the digits; `validate` refuses more (docs/content-format.md, "Limits")
_AFTER_FEEDBACK = {"next", "rate", "lesson"}  # Enter is "submit" before, "next" after
_WHILE_ASKING = {"choose"}


class ReviewScreen(CourseScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)

    def __init__(self, module: str | None = None, tag: str | None = None) -> None:
        super().__init__()
        self.module, self.tag = module, tag
        self.session: ReviewSession | None = None
        self.question: Question | None = None
        self.order: list[int] = []
        self.selected: set[int] = set()
        self.answer: Answer | None = None
        self.rating_note = ""
        self.shown_at = 0.0
        self.started_at = time.monotonic()
        self._removed = False  # the question on screen left the content in a reload

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="session-bar"):
            yield ProgressBar(id="session-progress", show_eta=False)
            yield Static(id="session-count")
        with ScrollArea(id="question-area"):
            yield Static(id="card-head")
            # One row per choice, so a digit can tell whether its choice is on screen.
            with Vertical(id="card-choices"):
                for number in range(1, MAX_CHOICES + 1):
                    yield Static(id=f"choice-{number}", classes="review-choice")
            yield Static(id="card-foot")
        yield MoreBelow()
        # Compact: after a right answer nine keys apply, and they must fit 80 columns.
        yield Footer(compact=True)

    def on_mount(self) -> None:
        app = self.app
        self.rng = random.Random(app.seed)
        self.session = ReviewSession(app.study, self.module, self.tag)
        if self.session.planned == 0:
            due = when(_next_due(app.study), app.study.clock)
            self.app.pop_screen()
            self.app.notify(f"Nothing to review now. Next review: {due}.", title="All done")
            return
        self.advance()

    # --- flow -----------------------------------------------------------------------

    def advance(self) -> None:
        question = self.session.next()
        if question is None:
            self.finish()
            return
        self.show(question)

    def show(self, question: Question, order: tuple[int, ...] | None = None) -> None:
        """Ask `question`; in `order` (choice indexes as once shown) when it is given."""
        self._removed = False
        self.question, self.answer, self.selected, self.rating_note = question, None, set(), ""
        if order is not None and sorted(order) == list(range(len(question.choices))):
            self.order = list(order)
        else:
            self.order = list(range(len(question.choices)))
            if question.shuffle:
                self.rng.shuffle(self.order)
        self._draw()
        self._update_progress()
        self.query_one("#question-area").scroll_home(animate=False)
        self.shown_at = time.monotonic()
        self.refresh_bindings()

    def _draw(self) -> None:
        question, asking = self.question, self.answer is None
        self.query_one("#card-head", Static).update(Group(*render.header(question)))
        self.query_one("#card-choices").display = asking
        for number in range(1, MAX_CHOICES + 1):
            row = self.query_one(f"#choice-{number}", Static)
            row.display = number <= len(self.order)
            if row.display:
                index = self.order[number - 1]
                row.update(render.choice_line(question, number, index, index in self.selected))
        if asking:
            confirm = bool(self.app.study.settings.get("confirm_answers"))
            foot = Text(render.how_to_answer(question, confirm), style="dim")
        else:
            answer = self.answer
            note = self.rating_note or f"next due {when(answer.due, self.app.study.clock)}"
            foot = render.feedback(
                question, self.order, answer.picked, answer.correct, self.app.study.course, note
            )
        self.query_one("#card-foot", Static).update(foot)

    def _update_progress(self) -> None:
        # Anki-style counts that close in on zero; the bar is the share of the session's
        # questions answered at least once, so re-asked misses do not push it back.
        counts = self.session.counts()
        self.query_one(ProgressBar).update(total=max(counts.total, 1), progress=counts.seen)
        self.query_one("#session-count", Static).update(counts.label())

    def submit(self) -> None:
        duration = round((time.monotonic() - self.shown_at) * 1000)
        self.answer = self.session.answer(self.question, self.selected, duration, self.order)
        self._draw()
        self._update_progress()
        self.refresh_bindings()
        # The feedback ends with "Why" and "Read more": bring its end into view (its start
        # when it is taller than the screen; "more below" then says so).
        area = self.query_one("#question-area")
        foot = self.query_one("#card-foot")
        self.call_after_refresh(area.scroll_to_widget, foot, animate=False)

    def finish(self) -> None:
        from studyguide.tui.screens.summary import SummaryScreen

        stats = self.session.stats
        elapsed = time.monotonic() - self.started_at
        self.app.switch_screen(
            SummaryScreen(
                stats.answered,
                stats.right,
                elapsed,
                questions=self.session.counts().seen,
                missed=stats.missed(),
            )
        )

    # --- key actions ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Only the keys that apply right now show in the footer (80 columns are few)."""
        if self.question is None:
            return action == "end"
        answered = self.answer is not None
        if action in _AFTER_FEEDBACK:
            return answered and (action != "rate" or self.answer.correct)
        if action in _WHILE_ASKING:
            return not answered and parameters[0] <= len(self.order)
        if action == "redo":
            return self.app.study.can_redo
        if action == "submit":
            needs_enter = self.question.type == "multiple" or self.app.study.settings.get(
                "confirm_answers"
            )
            return not answered and bool(needs_enter)
        return True

    def action_choose(self, number: int) -> None:
        row = self.query_one(f"#choice-{number}")
        if not reveal(row, self.query_one("#question-area")):
            return  # it was off screen: now shown, and the same digit picks it
        index = self.order[number - 1]
        multiple = self.question.type == "multiple"
        if multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        if not multiple and not self.app.study.settings.get("confirm_answers"):
            self.submit()
        else:
            self._draw()

    def action_submit(self) -> None:
        if self.answer is not None:
            return
        if self.selected:
            self.submit()
        else:
            self.notify("Choose an answer first.", timeout=2)

    def action_next(self) -> None:
        if self.answer is not None:
            self.advance()

    def action_scroll(self, lines: int) -> None:
        area = self.query_one("#question-area")
        if abs(lines) == 1:
            area.scroll_relative(y=lines, animate=False)
        else:
            (area.scroll_page_down if lines > 0 else area.scroll_page_up)(animate=False)

    def action_rate(self, which: str) -> None:
        if self.answer is None or not self.answer.correct:
            return
        rating = Rating.Hard if which == "hard" else Rating.Easy
        self.answer = self.session.rate_last(rating)
        due = when(self.answer.due, self.app.study.clock)
        self.rating_note = f"marked {'a guess/hard' if which == 'hard' else 'easy'}: next due {due}"
        self._draw()

    def action_lesson(self) -> None:
        from studyguide.tui.screens.reader import ReaderScreen

        question = self.question
        lesson = self.app.study.course.lessons_by_id.get(question.lesson_module)
        if lesson is None:
            self.notify("That lesson is not loaded.", severity="warning")
            return
        self.app.push_screen(ReaderScreen(lesson.id, question.lesson_section, from_review=True))

    def action_flag(self) -> None:
        from studyguide.tui.screens.dialogs import NoteDialog

        question = self.question

        def done(note: str | None) -> None:
            if note is not None:
                self.app.study.flag(question.id, note)
                self.notify("Flagged for the instructor.", timeout=3)

        self.app.push_screen(
            NoteDialog(
                "Flag this question. What is wrong or unclear? (optional)",
                "e.g. choice 2 could also be right",
            ),
            done,
        )

    def action_undo(self) -> None:
        from studyguide.tui.screens.dialogs import ConfirmDialog

        study = self.app.study
        step = study.next_undo()
        if step is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        if not study.undo_needs_asking():
            self._undo(step)
            return
        question = (
            f"Undo {describe(step, study)}?\n\n"
            "It was given in an earlier session. Its question goes back to how it was "
            "before that answer, and it is asked again now."
        )

        def done(yes: bool | None) -> None:
            if yes:
                self._undo(step)

        self.app.push_screen(ConfirmDialog(question, "Undo it", "Keep it"), done)

    def _undo(self, step: UndoStep) -> None:
        current, order = self.question, tuple(self.order)
        if self.answer is None and current is not None:
            self.session.put_back(current)  # asked again after the undone one
        self.session.undo()
        self.notify(
            f"Undid {describe(step, self.app.study)}. U redoes it.", timeout=5, markup=False
        )
        question = self.session.next()  # the undone one: it went to the front
        if question is None:
            self.finish()
        elif question.id == step.qid:
            self.show(question, step.order)
        else:  # its question is no longer in the content: the one on screen stays as it was
            self.show(question, order if current and question.id == current.id else None)

    def action_redo(self) -> None:
        study = self.app.study
        step = study.next_redo()
        if step is None:
            self.notify("Nothing to redo.", timeout=2)
            return
        current = self.question
        if self.answer is None and current is not None and current.id != step.qid:
            self.session.put_back(current)  # asked after the redone answer, as before
        answer = self.session.redo()
        self.notify(f"Redid {describe(step, study)}.", timeout=4, markup=False)
        if answer is None:  # its question is no longer in the content
            self.advance()
            return
        self.show(answer.question, answer.order)
        self.answer = answer
        self._draw()
        self._update_progress()
        self.refresh_bindings()

    def action_bury(self) -> None:
        self.session.bury(self.question)
        self.notify("Buried until tomorrow.", timeout=2)
        self.advance()

    def action_end(self) -> None:
        if self.session is None or (self.session.stats.answered == 0):
            self.app.pop_screen()
            return
        self.finish()

    # --- live reload -------------------------------------------------------------------

    def content_reloaded(self) -> None:
        """The question on screen stays exactly as shown and is graded as shown, until
        the learner moves on; the queue drops questions that are gone and asks the rest in
        their new version. A question on screen that is gone is announced and left as
        soon as this screen is on top (not while a dialog or the lesson is over it)."""
        if self.session is None:
            return
        self.session.content_changed()
        question = self.question
        if question is not None:
            current = self.app.study.course.by_id.get(question.id)
            if current is None:
                self._removed = True
            elif not current.same_as_shown(question):
                self.notify(
                    "The question on screen was edited. Your answer is graded against the "
                    "version shown; the new version is asked next time.",
                    title="Content changed",
                    timeout=8,
                )
            self._draw()  # the same question; lesson titles may have changed
        self._update_progress()
        if self.is_active:
            self._leave_removed()

    def on_screen_resume(self) -> None:
        self._leave_removed()

    def _leave_removed(self) -> None:
        if not self._removed:
            return
        self._removed = False
        if self.answer is not None:
            self.notify(
                "This question is no longer in the content. Your answer is kept.",
                title="Content changed",
                severity="warning",
                timeout=8,
            )
            return
        self.notify(
            "The question on screen is no longer in the content: on to the next one.",
            title="Content changed",
            severity="warning",
            timeout=8,
        )
        self.advance()


def describe(step: UndoStep, study: Study) -> str:
    """ "your answer to “Which …?” from today at 10:02": the question and when."""
    question = study.course.by_id.get(step.qid)
    name = f"“{clip(question.prompt, 48)}”" if question is not None else step.qid
    words = f"your answer to {name}"
    if step.time is not None:
        words += f" from {when_past(step.time, study.clock)}"
    return words


def _next_due(study):
    from studyguide.engine.stats import next_due

    return next_due(study, study.clock.now())
