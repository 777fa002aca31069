"""The three content file formats: lesson, quiz bank and practice exam.

docs/content-format.md explains them for instructors; the JSON Schema files in
content/schemas/ are generated from these declarations (`studyguide schema --dir`).
"""

from __future__ import annotations

from studyguide.course.spec import (
    Boolean,
    Field,
    Integer,
    ListOf,
    MapOf,
    Number,
    Obj,
    Text,
)

QUESTION_TYPES = ("single", "multiple", "true_false")
DIFFICULTIES = ("easy", "medium", "hard")
# The digits 1-9 pick a choice; a tenth could not be answered from the keyboard.
MAX_CHOICES = 9

SECTION = Obj(
    "section",
    (
        Field("id", Text("Section id, unique within the lesson (a slug).", slug=True)),
        Field("title", Text("Section heading.")),
        Field("body", Text("Section text, in Markdown.")),
    ),
)

KEY_TERM = Obj(
    "key term",
    (
        Field("term", Text("The term.")),
        Field("definition", Text("Its definition, in plain words.")),
    ),
)

SOURCE = Obj(
    "source",
    (
        Field("title", Text("Title of the work the lesson draws on.")),
        Field("url", Text("Where to find it."), required=False),
    ),
)

LESSON = Obj(
    "lesson",
    (
        Field("id", Text("Lesson (module) id, unique across all lessons (a slug).", slug=True)),
        Field("title", Text("Module title.")),
        Field("order", Integer("Position in the curriculum; lower comes first.")),
        Field("summary", Text("One or two sentences shown in the module list.")),
        Field("objectives", ListOf(Text(), "What the learner will be able to do.", min_items=1)),
        Field("sections", ListOf(SECTION, "The lesson's sections, in reading order.", 1)),
        Field("key_terms", ListOf(KEY_TERM, "Terms and definitions.")),
        Field("sources", ListOf(SOURCE, "Works the lesson draws on.")),
    ),
    "One lesson module of the studyguide curriculum.",
)

SCENARIO = Obj(
    "scenario",
    (
        Field("id", Text("Scenario id, unique within the bank (a slug).", slug=True)),
        Field("text", Text("The shared situation, shown above each question that uses it.")),
    ),
)

CHOICE = Obj(
    "choice",
    (
        Field("text", Text("The choice as the learner sees it.")),
        Field("correct", Boolean("true on every right choice; omit on wrong ones."), False),
        Field("feedback", Text("Why this choice is right or wrong."), required=False),
    ),
)

QUESTION = Obj(
    "question",
    (
        Field("id", Text("Stable id, unique across all banks: the learner's progress key.", True)),
        Field("type", Text("single, multiple or true_false.", enum=QUESTION_TYPES)),
        Field("prompt", Text("The question stem.")),
        Field("scenario", Text("Id of a scenario in this bank.", slug=True), required=False),
        Field(
            "choices",
            ListOf(CHOICE, "Choices (single and multiple), 2 to 9.", 2, MAX_CHOICES),
            required=False,
        ),
        Field("answer", Boolean("The right answer (true_false only)."), required=False),
        Field("feedback_true", Text("Feedback for answering True (true_false)."), False),
        Field("feedback_false", Text("Feedback for answering False (true_false)."), False),
        Field("explanation", Text("Why the right answer is right.")),
        Field("lesson", Text("The section that teaches this: module-id#section-id.")),
        Field("tags", ListOf(Text(), "Topic tags.")),
        Field("difficulty", Text("easy, medium or hard.", enum=DIFFICULTIES), required=False),
        Field("shuffle", Boolean("Shuffle choices on each showing (default true)."), False),
    ),
    json_extra={
        "if": {"properties": {"type": {"const": "true_false"}}},
        "then": {"required": ["answer"], "not": {"required": ["choices"]}},
        "else": {"required": ["choices"], "not": {"required": ["answer"]}},
    },
)

BANK = Obj(
    "bank",
    (
        Field("id", Text("Bank id, unique across all banks (a slug).", slug=True)),
        Field("module", Text("Id of the lesson this bank drills.", slug=True)),
        Field("title", Text("Bank title.")),
        Field("scenarios", ListOf(SCENARIO, "Situations shared by several questions."), False),
        Field("questions", ListOf(QUESTION, "The questions, in study order.", 1)),
    ),
    "One quiz bank of the studyguide curriculum.",
)

EXAM = Obj(
    "exam",
    (
        Field("title", Text("Name of the practice exam.")),
        Field("questions", Integer("Questions in a full exam.", minimum=1, maximum=1000)),
        Field("lengths", ListOf(Integer(minimum=1), "Exam lengths a learner may choose."), False),
        Field("time_limit_minutes", Number("Time for the full exam, in minutes.", 1, 1440)),
        Field("pass_mark", Number("Share of questions right to pass, 0 to 1.", 0, 1)),
        Field("blueprint", MapOf(Number(minimum=0, maximum=1), "Share per module id.")),
        Field("note", Text("Says that this is the app's own practice standard.")),
    ),
    "The studyguide practice exam.",
)

SCHEMAS = {"lesson": LESSON, "bank": BANK, "exam": EXAM}
