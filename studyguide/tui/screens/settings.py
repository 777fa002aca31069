"""Settings: each one is saved as soon as it holds a valid value."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.validation import Integer
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static, Switch

from studyguide.progress.schema import SETTING_RANGES
from studyguide.tui import render
from studyguide.tui.keys import Key, bindings
from studyguide.tui.screens.base import CourseScreen

KEYS = (
    Key(
        "tab",
        "app.focus_next",
        "Next setting",
        "Move to the next setting",
        palette=False,
        shown_as="Tab",
    ),
    Key(
        "shift+tab",
        "app.focus_previous",
        "Previous setting",
        "Move to the previous setting",
        show=False,
        palette=False,
        shown_as="Shift+Tab",
    ),
    Key("escape", "back", "Back", "Back to the dashboard (every valid change is already saved)"),
)

RETENTIONS = (0.70, 0.75, 0.80, 0.85, 0.90, 0.93, 0.95, 0.97)
# Settings typed as whole numbers: input id -> (setting key, name used in messages)
COUNTS = {
    "new-per-day": ("new_per_day", "New questions per day"),
    "reviews-per-day": ("reviews_per_day", "Reviews per day"),
}


def retention_label(value: float) -> str:
    return f"{value:.2f} ({value:.0%} recalled)"


def count_problem(text: str, low: int, high: int) -> str | None:
    """Why `text` is not an acceptable count, or None when it is."""
    try:
        value = int(text.strip())
    except ValueError:
        return f"✘ Not saved: enter a whole number from {low} to {high}."
    if not low <= value <= high:
        return f"✘ Not saved: {value} is outside {low} to {high}."
    return None


class SettingsScreen(CourseScreen):
    KEYS = KEYS
    BINDINGS = bindings(KEYS)
    AUTO_FOCUS = "#desired-retention"

    def compose(self) -> ComposeResult:
        study = self.app.study
        settings = study.settings
        retention = round(float(settings["desired_retention"]), 2)
        retentions = sorted({*RETENTIONS, retention})
        yield Header()
        with VerticalScroll(id="settings-form", can_focus=False):
            yield Static("Changes are saved as you make them.", classes="dim", id="settings-intro")
            with Horizontal(classes="setting-row"):
                yield Label("Desired retention", classes="setting-label")
                yield Select(
                    ((retention_label(v), v) for v in retentions),
                    value=retention,
                    allow_blank=False,
                    id="desired-retention",
                )
                yield Static(
                    "Higher: better recall, more reviews.",
                    classes="setting-note dim",
                    id="desired-retention-note",
                )
            for input_id, (key, name) in COUNTS.items():
                low, high = (int(v) for v in SETTING_RANGES[key])
                with Horizontal(classes="setting-row"):
                    yield Label(name, classes="setting-label")
                    yield Input(
                        str(settings[key]),
                        type="integer",
                        id=input_id,
                        classes="setting-count",
                        validators=[Integer(low, high)],
                        tooltip=f"A whole number from {low} to {high}",
                    )
                    yield Static(
                        f"{low} to {high}", classes="setting-note dim", id=f"{input_id}-note"
                    )
            with Horizontal(classes="setting-row"):
                yield Label("Confirm answers with Enter", classes="setting-label")
                yield Switch(bool(settings["confirm_answers"]), id="confirm-answers")
                yield Static(
                    self._confirm_note(bool(settings["confirm_answers"])),
                    classes="setting-note dim",
                    id="confirm-answers-note",
                )
            with Horizontal(classes="setting-row"):
                yield Label("Theme", classes="setting-label")
                themes = sorted(self.app.available_themes)
                yield Select(
                    ((name, name) for name in themes),
                    allow_blank=False,
                    value=self.app.theme if self.app.theme in themes else themes[0],
                    id="theme",
                )
            with Horizontal(classes="setting-row"):
                yield Label("Reset one module's progress", classes="setting-label")
                yield Select(self._module_options(), prompt="Choose a module", id="reset-module")
                yield Button("Reset…", id="reset", variant="warning")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Settings"

    def _module_options(self) -> list[tuple[Text, str]]:
        options = []
        for lesson in self.app.study.course.lessons:
            prompt = Text(f"{lesson.order}. ", no_wrap=True, overflow="ellipsis")
            prompt.append_text(render.literal(lesson.title))
            options.append((prompt, lesson.id))
        return options

    @staticmethod
    def _confirm_note(on: bool) -> str:
        return (
            "On: pick a choice, then press Enter."
            if on
            else "Off: pressing a choice answers at once."
        )

    def content_reloaded(self) -> None:
        self.query_one("#reset-module", Select).set_options(self._module_options())

    # --- saving ------------------------------------------------------------------------

    def _save(self, key: str, value) -> bool:
        """Save a valid value; False when it was already the saved one (nothing to do)."""
        if self.app.study.settings.get(key) == value:
            return False
        self.app.study.set_setting(key, value)
        return True

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.selection is None:
            return
        if event.select.id == "desired-retention":
            if self._save("desired_retention", float(event.value)):
                self._note("desired-retention-note", f"✔ Saved: {event.value:.2f}.")
        elif event.select.id == "theme" and self.app.theme != event.value:
            self.app.theme = event.value  # the app saves the theme when it changes

    def on_input_changed(self, event: Input.Changed) -> None:
        # Checked as you type, saved on Enter or on leaving the field: typing 2000 must not
        # save 2, 20 and 200 on the way.
        if event.input.id in COUNTS:
            self._commit_count(event.input, save=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in COUNTS:
            self._commit_count(event.input, save=True)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id in COUNTS:
            self._commit_count(event.input, save=True)

    def _commit_count(self, field: Input, save: bool) -> None:
        key, _name = COUNTS[field.id]
        low, high = (int(v) for v in SETTING_RANGES[key])
        problem = count_problem(field.value, low, high)
        note_id = f"{field.id}-note"
        if problem is not None:
            self._note(note_id, f"{problem} Kept: {self.app.study.settings[key]}.", bad=True)
            return
        value = int(field.value.strip())
        if not save:
            if value != self.app.study.settings[key]:
                self._note(note_id, "Press Enter to save.")
            return
        if (
            self._save(key, value)
            or self.query_one(f"#{note_id}").has_class("problem")
            or value == self.app.study.settings[key]
        ):
            self._note(note_id, f"✔ Saved: {value}.")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        if event.switch.id == "confirm-answers" and self._save("confirm_answers", event.value):
            self._note("confirm-answers-note", "✔ Saved. " + self._confirm_note(event.value))

    def _note(self, note_id: str, message: str, bad: bool = False) -> None:
        note = self.query_one(f"#{note_id}", Static)
        note.update(message)
        note.set_class(bad, "problem")
        note.set_class(not bad, "dim")

    def invalid_fields(self) -> list[str]:
        names = []
        for input_id, (key, name) in COUNTS.items():
            low, high = (int(v) for v in SETTING_RANGES[key])
            if count_problem(self.query_one(f"#{input_id}", Input).value, low, high):
                names.append(f"{name} (kept at {self.app.study.settings[key]})")
        return names

    # --- reset -------------------------------------------------------------------------

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "reset":
            self.reset_chosen_module()

    def reset_chosen_module(self) -> None:
        from studyguide.tui.screens.dialogs import ConfirmDialog

        study = self.app.study
        module_id = self.query_one("#reset-module", Select).selection
        lesson = study.course.lessons_by_id.get(module_id) if module_id is not None else None
        if lesson is None:
            self.notify("Choose a module to reset first.", severity="warning", timeout=4)
            self.query_one("#reset-module").focus()
            return
        questions = study.course.module_questions(lesson.id)
        studied = sum(q.id in study.doc.cards for q in questions)
        effect = (
            f"Its {studied} studied question{'s' * (studied != 1)} will be new again and "
            "scheduled from scratch."
            if studied
            else "None of its questions has been studied yet."
        )
        question = (
            f"Reset your progress in “{lesson.title}”?\n\n{effect} Your review log is kept, "
            "so your history and statistics stay. This cannot be undone."
        )

        def done(yes: bool | None) -> None:
            if not yes:
                self.notify("Nothing was reset.", timeout=3)
                return
            count = study.reset_module(lesson.id)
            self.notify(
                f"Reset “{lesson.title}”: {count} question{'s' * (count != 1)} are new again. "
                "The review log is kept.",
                title="Progress reset",
                markup=False,
            )

        self.app.push_screen(ConfirmDialog(question, yes="Reset", no="Keep"), done)

    # --- key actions ----------------------------------------------------------------

    def action_back(self) -> None:
        for input_id in COUNTS:  # a valid number typed without Enter is kept, not lost
            self._commit_count(self.query_one(f"#{input_id}", Input), save=True)
        invalid = self.invalid_fields()
        if invalid:
            self.notify(
                "Not saved: " + "; ".join(invalid) + ".",
                title="Invalid value",
                severity="warning",
                markup=False,
            )
        self.app.pop_screen()
