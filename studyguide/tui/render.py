"""Turn questions and answers into rich Text. Content is always literal text; right and
wrong are marked by symbol and word, never by colour alone."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from studyguide.course.model import Course, Question

RIGHT, WRONG = "✔", "✘"


def literal(content: str, style: str = "") -> Text:
    """Content as the instructor wrote it, never interpreted as markup."""
    return Text(content, style=style)


def _grid() -> Table:
    # Two columns give wrapped choice text a hanging indent under its number.
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, justify="right")
    # Fold, not the table's default ellipsis: a word longer than the line is shown whole.
    table.add_column(ratio=1, overflow="fold")
    return table


def choice_line(question: Question, number: int, index: int, chosen: bool) -> Table:
    """One numbered choice (file index `index`), its text hanging under its own start."""
    table = _grid()
    table.add_row(*_choice_cells(question, number, index, chosen))
    return table


def _choice_cells(question: Question, number: int, index: int, chosen: bool) -> tuple[Text, Text]:
    text = Text()
    if question.type == "multiple":
        text.append("[x] " if chosen else "[ ] ", style="bold" if chosen else "")
    elif chosen:
        text.append("▶ ", style="bold")
    text.append(question.choices[index].text, style="bold" if chosen else "")
    return Text(f"{number}.", style="bold"), text


def how_to_answer(question: Question, confirm: bool) -> str:
    n = len(question.choices)
    if question.type == "multiple":
        return f"Select all that apply: press 1-{n} to toggle, then Enter."
    if confirm:
        return f"Press 1-{n} to choose, then Enter to confirm."
    return f"Press 1-{n} to answer."


def header(question: Question) -> list:
    """The scenario (with a bar down its left edge) and the prompt."""
    parts: list = []
    if question.scenario is not None:
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1, overflow="fold")
        table.add_row(Text("▌"), literal(question.scenario.text, "italic"))
        parts += [table, Text()]
    parts += [literal(question.prompt, "bold"), Text()]
    return parts


def feedback(
    question: Question,
    order: list[int],
    picked: frozenset[int],
    correct: bool,
    course: Course,
    rating_note: str = "",
) -> Group:
    head = Text()
    if correct:
        head.append(f"{RIGHT} Right", style="bold green")
    else:
        head.append(f"{WRONG} Wrong", style="bold red")
    if rating_note:
        head.append(f"   {rating_note}", style="italic")
    table = _grid()
    for number, index in enumerate(order, 1):
        choice = question.choices[index]
        chosen = index in picked
        text = Text()
        if choice.correct:
            text.append(f"{RIGHT} correct" + (", your answer: " if chosen else ": "), style="bold")
        elif chosen:
            text.append(f"{WRONG} your answer, wrong: ", style="bold")
        text.append(choice.text, style="" if (choice.correct or chosen) else "dim")
        if (choice.correct or chosen) and choice.feedback:
            text.append("\n")
            text.append(choice.feedback, style="italic")
        table.add_row(Text(f"{number}.", style="bold"), text)
    why = Text()
    why.append("Why: ", style="bold")
    why.append(question.explanation)
    more = Text()
    more.append("Read more: ", style="bold")
    more.append(lesson_label(question, course))
    more.append("  (press l)", style="dim")
    return Group(head, Text(), table, Text(), why, more)


def lesson_label(question: Question, course: Course) -> str:
    lesson = course.lessons_by_id.get(question.lesson_module)
    if lesson is None:
        return question.lesson
    section = lesson.section(question.lesson_section)
    return f"{lesson.title} › {section.title if section else question.lesson_section}"


class Url:
    """A web address that wraps after `/`, `?`, `&`, `=`, `#`, `-` or `.` rather than in
    the middle of a word; only a piece longer than the whole line is folded."""

    BREAK_AFTER = "/?&=#-._"

    def __init__(self, url: str, style: str = "") -> None:
        self.url, self.style = url, style

    def pieces(self) -> list[str]:
        out, piece = [], ""
        for char in self.url:
            piece += char
            if char in self.BREAK_AFTER:
                out.append(piece)
                piece = ""
        return [*out, piece] if piece else out

    def lines(self, width: int) -> list[str]:
        lines, line = [], ""
        for piece in self.pieces():
            if line and cell_len(line + piece) > width:
                lines.append(line)
                line = ""
            line += piece
            while cell_len(line) > width:  # a piece wider than the line: fold it
                lines.append(line[:width])
                line = line[width:]
        return [*lines, line] if line else lines

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement

        return Measurement(1, cell_len(self.url))

    def __rich_console__(self, console, options):
        for line in self.lines(max(1, options.max_width)):
            yield Text(line, style=self.style, no_wrap=True, end="\n")
