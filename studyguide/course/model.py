"""The course model: immutable objects built from validated content files."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import NamedTuple

_POSITION_FIELDS = frozenset({"positions", "blueprint_pos"})


def _state_without_positions(self) -> tuple:
    """Pickled state (the content cache): positions only serve messages made while loading."""
    names = _names(type(self))
    return tuple({} if n in _POSITION_FIELDS else getattr(self, n) for n in names)


def _set_state(self, state: tuple) -> None:
    for name, value in zip(_names(type(self)), state, strict=True):
        object.__setattr__(self, name, value)


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class KeyTerm:
    term: str
    definition: str


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str
    title: str
    order: int
    summary: str
    objectives: tuple[str, ...]
    sections: tuple[Section, ...]
    key_terms: tuple[KeyTerm, ...]
    sources: tuple[Source, ...]
    path: Path
    positions: dict = field(default_factory=dict, compare=False, repr=False)

    __getstate__ = _state_without_positions
    __setstate__ = _set_state

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


@dataclass(frozen=True, slots=True)
class Scenario:
    id: str
    text: str


class Choice(NamedTuple):
    # A named tuple, not a dataclass: a large course holds tens of thousands of choices,
    # and tuples are built and unpickled (from the content cache) in C.
    text: str
    correct: bool
    feedback: str | None


class Question(NamedTuple):
    """One question. A true_false question carries two choices, "True" and "False".

    A named tuple rather than a dataclass: a large course holds ten thousand of them, and
    tuples are built and unpickled (from the content cache) in C. Compare questions by id.
    """

    id: str
    type: str
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str
    lesson: str  # "module-id#section-id"
    tags: tuple[str, ...]
    module: str
    bank: str
    scenario: Scenario | None = None
    difficulty: str | None = None
    shuffle: bool = True
    path: Path = Path()
    line: int = 0
    # Where each key's value is in the file (parser marks), for messages while loading.
    positions: dict | None = None

    def __reduce__(self):
        # The content cache leaves positions out: they only serve messages made on load.
        return (Question, (*self[:-1], None))

    def pos(self, key: str):
        """Where `key`'s value is in the file: a parser mark or (line, col)."""
        return (self.positions or {}).get(key, (self.line, 1))

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self.choices) if c.correct)

    def same_as_shown(self, other: Question) -> bool:
        """Whether `other` asks the same thing the same way: every field the learner sees
        or is graded on, not where it sits in the file (after a reload the file's line,
        path and parser marks may differ while the question does not)."""
        return self[:_SHOWN_FIELDS] == other[:_SHOWN_FIELDS]

    @property
    def lesson_module(self) -> str:
        return self.lesson.partition("#")[0]

    @property
    def lesson_section(self) -> str:
        return self.lesson.partition("#")[2]


_SHOWN_FIELDS = Question._fields.index("path")  # the fields before it are content


@dataclass(frozen=True, slots=True)
class Bank:
    id: str
    module: str
    title: str
    scenarios: tuple[Scenario, ...]
    questions: tuple[Question, ...]
    path: Path
    positions: dict = field(default_factory=dict, compare=False, repr=False)

    __getstate__ = _state_without_positions
    __setstate__ = _set_state


@dataclass(frozen=True, slots=True)
class ExamSpec:
    title: str
    questions: int
    lengths: tuple[int, ...]
    time_limit_minutes: float
    pass_mark: float
    blueprint: dict[str, float]
    note: str
    path: Path
    blueprint_pos: dict = field(default_factory=dict, compare=False, repr=False)

    __getstate__ = _state_without_positions
    __setstate__ = _set_state

    def time_limit_seconds(self, length: int) -> int:
        """Shorter exams get a proportional share of the full exam's time."""
        return round(self.time_limit_minutes * 60 * length / self.questions)


@dataclass(frozen=True)
class Course:
    """Everything loaded from the content roots, in curriculum order."""

    lessons: tuple[Lesson, ...] = ()
    banks: tuple[Bank, ...] = ()
    exam: ExamSpec | None = None
    questions: tuple[Question, ...] = field(init=False)
    by_id: dict[str, Question] = field(init=False, repr=False)
    lessons_by_id: dict[str, Lesson] = field(init=False, repr=False)
    by_module: dict[str, tuple[Question, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        lessons = tuple(sorted(self.lessons, key=lambda lesson: (lesson.order, lesson.id)))
        rank = {lesson.id: i for i, lesson in enumerate(lessons)}
        banks = tuple(sorted(self.banks, key=lambda b: (rank.get(b.module, len(rank)), b.id)))
        questions = tuple(q for bank in banks for q in bank.questions)
        object.__setattr__(self, "lessons", lessons)
        object.__setattr__(self, "banks", banks)
        object.__setattr__(self, "questions", questions)
        object.__setattr__(self, "by_id", {q.id: q for q in questions})
        object.__setattr__(self, "lessons_by_id", {lesson.id: lesson for lesson in lessons})
        by_module: dict[str, list[Question]] = {}
        for question in questions:
            by_module.setdefault(question.module, []).append(question)
        object.__setattr__(self, "by_module", {m: tuple(qs) for m, qs in by_module.items()})

    def module_questions(self, module_id: str) -> tuple[Question, ...]:
        return self.by_module.get(module_id, ())
