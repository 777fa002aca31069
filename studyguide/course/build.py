"""Turn one parsed content file into model objects, reporting what is wrong with it.

A file-level error (bad YAML, wrong top-level keys) skips the whole file; an error inside
one question skips only that question, so an instructor's typo never hides a whole bank.
"""

from __future__ import annotations

from pathlib import Path

from studyguide.course import formats, lint
from studyguide.course.model import (
    Bank,
    Choice,
    ExamSpec,
    KeyTerm,
    Lesson,
    Question,
    Scenario,
    Section,
    Source,
)
from studyguide.course.problems import Problem, error, line_col
from studyguide.course.spec import check, check_object
from studyguide.course.yamlsafe import YList, YMap

TOP = (1, 1)


def build_lesson(value: object, path: Path) -> tuple[Lesson | None, list[Problem]]:
    problems: list[Problem] = []
    if not check_object(value, formats.LESSON, "lesson", TOP, path, problems):
        return None, problems
    assert isinstance(value, YMap)
    seen: dict[str, int] = {}
    for section, pos in zip(value["sections"], value["sections"].item_pos, strict=True):
        sid = section["id"]
        if sid in seen:
            msg = f"duplicate section id {sid!r} (first on line {seen[sid]})"
            problems.append(error(path, section.val_pos["id"], msg, "duplicate-id"))
        else:
            seen[sid] = line_col(pos)[0]
    if problems:
        return None, problems
    lesson = Lesson(
        id=value["id"],
        title=value["title"],
        order=value["order"],
        summary=value["summary"],
        objectives=tuple(value["objectives"]),
        sections=tuple(Section(s["id"], s["title"], s["body"]) for s in value["sections"]),
        key_terms=tuple(KeyTerm(k["term"], k["definition"]) for k in value["key_terms"]),
        sources=tuple(Source(s["title"], s.get("url")) for s in value["sources"]),
        path=path,
        positions=value.val_pos,
    )
    return lesson, problems


def build_bank(value: object, path: Path) -> tuple[Bank | None, list[Problem]]:
    problems: list[Problem] = []
    spec = formats.BANK
    if not check_object(value, spec, "bank", TOP, path, problems, skip=("questions",)):
        return None, problems
    assert isinstance(value, YMap)
    questions_value = value["questions"]
    if not isinstance(questions_value, YList) or not questions_value:
        check(
            questions_value,
            spec.fields[-1].type,
            "questions",
            value.val_pos["questions"],
            path,
            problems,
        )
        return None, problems
    scenarios = _scenarios(value.get("scenarios", ()), path, problems)
    questions = []
    seen: dict[str, int] = {}
    for raw, pos in zip(questions_value, questions_value.item_pos, strict=True):
        question = _question(raw, pos, value, scenarios, path, problems)
        if question is None:
            continue
        if question.id in seen:
            msg = f"duplicate question id {question.id!r} (first on line {seen[question.id]})"
            problems.append(error(path, raw.val_pos["id"], msg, "duplicate-id"))
            continue
        seen[question.id] = question.line
        questions.append(question)
    bank = Bank(
        id=value["id"],
        module=value["module"],
        title=value["title"],
        scenarios=tuple(scenarios.values()),
        questions=tuple(questions),
        path=path,
        positions=value.val_pos,
    )
    return bank, problems


def _scenarios(raw: object, path: Path, problems: list[Problem]) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    first_line: dict[str, int] = {}
    if not isinstance(raw, YList):
        return scenarios
    for item in raw:
        sid = item["id"]
        if sid in scenarios:
            msg = f"duplicate scenario id {sid!r} (first on line {first_line[sid]})"
            problems.append(error(path, item.val_pos["id"], msg, "duplicate-id"))
            continue
        scenarios[sid] = Scenario(sid, item["text"])
        first_line[sid] = line_col(item.val_pos["id"])[0]
    return scenarios


def _question(raw, pos, bank: YMap, scenarios, path, problems) -> Question | None:
    mine: list[Problem] = []
    if not check_object(raw, formats.QUESTION, "question", pos, path, mine):
        problems.extend(mine)
        return None
    qtype = raw["type"]
    if qtype == "true_false":
        _true_false_shape(raw, path, mine)
    else:
        _choice_shape(raw, qtype, path, mine)
    scenario = None
    if "scenario" in raw:
        scenario = scenarios.get(raw["scenario"])
        if scenario is None:
            msg = f"scenario {raw['scenario']!r} is not defined in this bank's `scenarios`"
            mine.append(error(path, raw.val_pos["scenario"], msg, "bad-reference"))
    module, hash_, section = raw["lesson"].partition("#")
    if not (hash_ and module and section):
        msg = f"`lesson` should be module-id#section-id, not {raw['lesson']!r}"
        mine.append(error(path, raw.val_pos["lesson"], msg, "bad-reference"))
    problems.extend(mine)
    if any(p.is_error for p in mine):
        return None
    problems.extend(lint.question_warnings(raw, path))
    if qtype == "true_false":
        answer = raw["answer"]
        choices = (
            Choice("True", answer is True, raw.get("feedback_true")),
            Choice("False", answer is False, raw.get("feedback_false")),
        )
    else:
        choices = tuple(
            Choice(c["text"], c.get("correct", False), c.get("feedback")) for c in raw["choices"]
        )
    return Question(
        id=raw["id"],
        type=qtype,
        prompt=raw["prompt"],
        choices=choices,
        explanation=raw["explanation"],
        lesson=raw["lesson"],
        tags=tuple(raw["tags"]),
        module=bank["module"],
        bank=bank["id"],
        scenario=scenario,
        difficulty=raw.get("difficulty"),
        # True/False always reads in that order; shuffling it only confuses.
        shuffle=raw.get("shuffle", True) and qtype != "true_false",
        path=path,
        line=line_col(pos)[0],
        positions=raw.val_pos,
    )


def _true_false_shape(raw: YMap, path: Path, out: list[Problem]) -> None:
    if "choices" in raw:
        msg = "a true_false question takes `answer: true|false`, not `choices`"
        out.append(error(path, raw.key_pos["choices"], msg, "choices-forbidden"))
    if "answer" not in raw:
        msg = "a true_false question needs `answer: true` or `answer: false`"
        out.append(error(path, raw.pos, msg, "missing-answer"))


def _choice_shape(raw: YMap, qtype: str, path: Path, out: list[Problem]) -> None:
    for key in ("answer", "feedback_true", "feedback_false"):
        if key in raw:
            msg = f"`{key}` belongs to true_false questions; mark `correct: true` on choices"
            out.append(error(path, raw.key_pos[key], msg, "choices-forbidden"))
    if "choices" not in raw:
        out.append(error(path, raw.pos, f"a {qtype} question needs `choices`", "missing-key"))
        return
    correct = sum(1 for c in raw["choices"] if c.get("correct") is True)
    if qtype == "single" and correct != 1:
        msg = f"a single question needs exactly one choice with `correct: true`, found {correct}"
        out.append(error(path, raw.val_pos["choices"], msg, "correct-count"))
    elif qtype == "multiple" and correct < 1:
        msg = "a multiple question needs at least one choice with `correct: true`"
        out.append(error(path, raw.val_pos["choices"], msg, "correct-count"))


def build_exam(value: object, path: Path) -> tuple[ExamSpec | None, list[Problem]]:
    problems: list[Problem] = []
    if not check_object(value, formats.EXAM, "exam", TOP, path, problems):
        return None, problems
    assert isinstance(value, YMap)
    blueprint = dict(value["blueprint"])
    total = sum(blueprint.values())
    if abs(total - 1) > 1e-6:
        msg = f"blueprint shares sum to {total:g}, not 1"
        problems.append(error(path, value.val_pos["blueprint"], msg, "blueprint-sum"))
    lengths = tuple(value.get("lengths") or (value["questions"],))
    for length, pos in zip(lengths, getattr(value.get("lengths"), "item_pos", ()), strict=False):
        if length > value["questions"]:
            msg = f"length {length} is longer than the full exam ({value['questions']})"
            problems.append(error(path, pos, msg, "bad-value"))
    if problems:
        return None, problems
    exam = ExamSpec(
        title=value["title"],
        questions=value["questions"],
        lengths=tuple(sorted(set(lengths))),
        time_limit_minutes=float(value["time_limit_minutes"]),
        pass_mark=float(value["pass_mark"]),
        blueprint=blueprint,
        note=value["note"],
        path=path,
        blueprint_pos=value["blueprint"].key_pos,
    )
    return exam, problems
