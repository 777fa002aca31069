"""Find content files under the content roots, load them, and check them against each other.

`load_content` never raises for bad content: it returns the course built from every valid
file together with the list of problems, so one bad file never stops the rest.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from studyguide.course.build import build_bank, build_exam, build_lesson
from studyguide.course.files import ContentFile, discover
from studyguide.course.lint import _norm
from studyguide.course.model import Bank, Course, ExamSpec, Lesson
from studyguide.course.problems import Problem, error, place, warning
from studyguide.course.result import LoadResult
from studyguide.course.yamlsafe import parse_yaml, read_text

# The top-level id of a file too broken to parse, so its dependants stay quiet.
_DECLARED_ID = re.compile(r"""^id:[ \t]*["']?([a-z0-9][a-z0-9._-]*)""", re.MULTILINE)


def load_file(
    item: ContentFile, digests: dict[Path, bytes] | None = None
) -> tuple[object | None, list[Problem], str | None]:
    """Build one file. Also returns the id a broken file declares, to quiet follow-on errors."""
    text, problems = read_text(item.path, digests)
    if text is None:
        return None, problems, None
    value, parse_problems = parse_yaml(item.path, text)
    problems += parse_problems
    if value is None:
        sniffed = _DECLARED_ID.search(text)
        return None, problems, sniffed.group(1) if sniffed else None
    builder = {"lesson": build_lesson, "bank": build_bank, "exam": build_exam}[item.kind]
    built, build_problems = builder(value, item.path)
    declared = value.get("id") if isinstance(value, dict) else None
    return built, problems + build_problems, declared if isinstance(declared, str) else None


def load_content(roots: Sequence[Path], digests: dict[Path, bytes] | None = None) -> LoadResult:
    """Load every content file under `roots`. `digests`, when given, receives the BLAKE2
    hash of each file's bytes as parsed (the content cache keys on them)."""
    # Loading builds hundreds of thousands of acyclic objects that all stay alive; letting
    # the cyclic GC rescan them as they pile up more than doubled the time of a large load.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(roots, digests)
    finally:
        if enabled:
            gc.enable()


def unique_roots(roots: Sequence[Path]) -> list[Path]:
    """The roots with repeats left out: the same folder named twice (another spelling, a
    trailing slash, a symlink to it) is one folder, not a clash of every id with itself."""
    seen: set[Path] = set()
    unique = []
    for root in roots:
        try:
            key = root.resolve()
        except (OSError, RuntimeError):  # a symlink loop: reported as not found later
            key = root
        if key not in seen:
            seen.add(key)
            unique.append(root)
    return unique


def _load(roots: Sequence[Path], digests: dict[Path, bytes] | None) -> LoadResult:
    files, problems = discover(unique_roots(roots))
    lessons: list[Lesson] = []
    banks: list[Bank] = []
    exams: list[ExamSpec] = []
    broken_lessons: set[str] = set()
    for item in files:
        built, file_problems, declared = load_file(item, digests)
        problems += file_problems
        if built is None and item.kind == "lesson" and declared:
            broken_lessons.add(declared)
        if isinstance(built, Lesson):
            lessons.append(built)
        elif isinstance(built, Bank):
            banks.append(built)
        elif isinstance(built, ExamSpec):
            exams.append(built)
    course = cross_check(lessons, banks, exams, problems, broken_lessons)
    return LoadResult(course, problems, files)


def _where(item: Lesson | Bank) -> str:
    return place(item.path, item.positions["id"])


def cross_check(lessons, banks, exams, problems: list[Problem], broken=frozenset()) -> Course:
    """Checks that need every file: unique ids, references, duplicate prompts.

    References to a lesson whose own file is broken (`broken`) are dropped without a
    message of their own: the lesson file's problems already say what to fix.
    """
    kept_lessons: dict[str, Lesson] = {}
    for lesson in lessons:
        first = kept_lessons.get(lesson.id)
        if first is not None:
            msg = f"lesson id {lesson.id!r} is already used at {_where(first)}"
            problems.append(error(lesson.path, lesson.positions["id"], msg, "duplicate-id"))
            continue
        kept_lessons[lesson.id] = lesson

    kept_banks: dict[str, Bank] = {}
    question_home: dict[str, str] = {}  # id -> "file:line" where it is defined
    prompts: dict[tuple[str, str], str] = {}
    for bank in banks:
        if bank.id in kept_banks:
            msg = f"bank id {bank.id!r} is already used at {_where(kept_banks[bank.id])}"
            problems.append(error(bank.path, bank.positions["id"], msg, "duplicate-id"))
            continue
        lesson = kept_lessons.get(bank.module)
        if lesson is None and bank.module in broken:
            continue
        if lesson is None:
            msg = f"module {bank.module!r} is not the id of any lesson"
            problems.append(error(bank.path, bank.positions["module"], msg, "bad-reference"))
            continue
        kept = []
        for q in bank.questions:
            if q.id in question_home:
                msg = f"question id {q.id!r} is already used at {question_home[q.id]}"
                problems.append(error(q.path, q.pos("id"), msg, "duplicate-id"))
                continue
            target = kept_lessons.get(q.lesson_module)
            if target is None and q.lesson_module in broken:
                continue
            if target is None or target.section(q.lesson_section) is None:
                what = "lesson" if target is None else f"section in lesson {q.lesson_module!r}"
                msg = f"`lesson` {q.lesson!r} points nowhere: no such {what}"
                problems.append(error(q.path, q.pos("lesson"), msg, "bad-reference"))
                continue
            question_home[q.id] = place(q.path, q.pos("id"))
            key = (q.scenario.text if q.scenario else "", _norm(q.prompt))
            if key in prompts:
                msg = f"the same prompt is already used by question {prompts[key]!r}"
                problems.append(warning(q.path, q.pos("prompt"), msg, "duplicate-prompt"))
            else:
                prompts[key] = q.id
            kept.append(q)
        kept_banks[bank.id] = replace(bank, questions=tuple(kept))

    exam = None
    for spec in exams:
        if spec is not exams[0]:
            msg = f"a practice exam is already defined in {exams[0].path}; keep one exam.yaml"
            problems.append(error(spec.path, (1, 1), msg, "duplicate-exam"))
            continue
        missing = [m for m in spec.blueprint if m not in kept_lessons and m not in broken]
        for module in missing:
            msg = f"blueprint module {module!r} is not the id of any lesson"
            problems.append(error(spec.path, spec.blueprint_pos[module], msg, "bad-reference"))
        if not missing and not any(m in broken for m in spec.blueprint):
            exam = spec
    return Course(tuple(kept_lessons.values()), tuple(kept_banks.values()), exam)
