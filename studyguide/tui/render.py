"""Turn questions and answers into rich Text. Content is always literal text; right and
wrong are marked by symbol and word, never by colour alone."""

from __future__ import annotations

from rich.text import Text

from studyguide.course.model import Course, Question

RIGHT, WRONG = "✔", "✘"


def literal(content: str, style: str = "") -> Text:
    """Content as the instructor wrote it, never interpreted as markup."""
    return Text(content, style=style)


def choice_lines(question: Question, order: list[int], selected: set[int]) -> Text:
    """The choices numbered 1..n in display order; `selected` holds file indexes."""
    text = Text()
    for number, index in enumerate(order, 1):
        mark = f"[{'x' if index in selected else ' '}] " if question.type == "multiple" else ""
        if number > 1:
            text.append("\n")
        style = "bold" if index in selected else ""
        text.append(f"{number}. ", style="bold")
        text.append(mark, style=style)
        text.append(question.choices[index].text, style=style)
    return text


def how_to_answer(question: Question, confirm: bool) -> str:
    n = len(question.choices)
    if question.type == "multiple":
        return f"Select all that apply: press 1-{n} to toggle, then Enter."
    if confirm:
        return f"Press 1-{n} to choose, then Enter to confirm."
    return f"Press 1-{n} to answer."


def feedback(question: Question, order: list[int], picked: frozenset[int], correct: bool,
             course: Course, rating_note: str = "") -> Text:
    text = Text()
    if correct:
        text.append(f"{RIGHT} Right", style="bold green")
    else:
        text.append(f"{WRONG} Wrong", style="bold red")
    if rating_note:
        text.append(f"   {rating_note}", style="italic")
    text.append("\n")
    for number, index in enumerate(order, 1):
        choice = question.choices[index]
        chosen = index in picked
        if choice.correct:
            label = f"{RIGHT} correct" + (", your answer" if chosen else "")
        elif chosen:
            label = f"{WRONG} your answer, wrong"
        else:
            label = ""
        text.append("\n")
        text.append(f"{number}. ", style="bold")
        text.append(choice.text, style="" if (choice.correct or chosen) else "dim")
        if label:
            text.append(f"  [{label}]", style="bold")
            if choice.feedback:
                text.append("\n   ")
                text.append(choice.feedback, style="italic")
    text.append("\n\n")
    text.append("Why: ", style="bold")
    text.append(question.explanation)
    text.append("\n")
    text.append("Read more: ", style="bold")
    text.append(lesson_label(question, course))
    text.append("  (press l)", style="dim")
    return text


def lesson_label(question: Question, course: Course) -> str:
    lesson = course.lessons_by_id.get(question.lesson_module)
    if lesson is None:
        return question.lesson
    section = lesson.section(question.lesson_section)
    return f"{lesson.title} › {section.title if section else question.lesson_section}"
