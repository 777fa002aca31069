"""On start: an exam saved in progress (the app crashed or quit mid-exam) is offered to
resume or discard. Nothing here touches the review schedule."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from studyguide.engine.clock import parse_time
from studyguide.engine.exam_resume import resume
from studyguide.tui.keys import Key, bindings


def minutes_seconds(seconds: float) -> str:
    whole = max(0, int(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


class ResumeExamDialog(ModalScreen[str | None]):
    """Resume (r), discard (d) or decide later (Esc: the saved exam is kept)."""

    KEYS = (
        Key("r", "choose('resume')", "Resume", "Resume the saved exam", palette=False),
        Key("d", "choose('discard')", "Discard", "Discard the saved exam", palette=False),
        Key("escape", "choose('later')", "Later", "Keep it for the next start", palette=False),
    )
    BINDINGS = bindings(KEYS)

    def __init__(self, summary: str) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="resume-exam"):
            yield Static(Text(self.summary), classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume (r)", id="resume", variant="primary")
                yield Button("Discard (d)", id="discard")
                yield Button("Later (Esc)", id="later")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "Unfinished exam"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


def summary_of(app: App, record: dict) -> str:
    questions = record["questions"]
    answered = sum(1 for q in questions if q["picked"])
    marked = sum(1 for q in questions if q["marked"])
    try:
        moment = parse_time(record["saved"]).astimezone(app.study.clock.local_tz())
        saved = f"last saved {moment:%a %d %b, %H:%M}"
    except (ValueError, OverflowError):  # a hand-edited time at the edge of the calendar
        saved = "saved at an unknown time"
    lines = [
        f"A practice exam was left unfinished ({saved}).",
        f"Answered {answered} of {len(questions)}"
        + (f", {marked} marked for review" if marked else "")
        + f"; {minutes_seconds(record['time_left_s'])} left on the clock.",
        "Resume it where you were, or discard it (nothing is recorded).",
    ]
    return "\n".join(lines)


def offer_saved_exam(app: App) -> None:
    """Show the dialog when the progress file holds an exam in progress."""
    study = app.study
    record = study.doc.exam_in_progress if study is not None else None
    if record is None:
        return
    if study.course.exam is None:
        app.notify(
            "An unfinished practice exam is saved, but the content no longer defines a "
            "practice exam (exam.yaml). It is kept until it does.",
            severity="warning",
            timeout=10,
        )
        return

    def chosen(choice: str | None) -> None:
        if choice == "resume":
            start_resumed(app, record)
        elif choice == "discard":
            study.discard_exam_in_progress()
            app.notify("The unfinished exam was discarded. Nothing was recorded.", timeout=5)
        else:
            app.notify("The unfinished exam is kept; it is offered again next time.", timeout=5)

    app.push_screen(ResumeExamDialog(summary_of(app, record)), chosen)


def start_resumed(app: App, record: dict) -> None:
    from studyguide.tui.screens.exam import ExamScreen

    study = app.study
    resumed = resume(study.course, record)
    if not resumed.paper.questions:
        study.discard_exam_in_progress()
        app.notify(
            "None of the saved exam's questions are in the content any more, so it was "
            "discarded. Nothing was recorded.",
            severity="warning",
            timeout=10,
        )
        return
    app.push_screen(ExamScreen(resumed.paper, resumed.predicted, resumed=resumed))
    notes = []
    if resumed.dropped:
        count = len(resumed.dropped)
        notes.append(
            f"{count} question{'s' * (count != 1)} no longer in the content "
            f"{'were' if count != 1 else 'was'} left out."
        )
    if resumed.changed:
        count = len(resumed.changed)
        notes.append(
            f"{count} question{'s' * (count != 1)} changed their choices; "
            "those answers were cleared."
        )
    if notes:
        app.notify(" ".join(notes), title="Exam resumed", severity="warning", timeout=10)
