"""`studyguide validate [PATH ...]`: report every content problem at once."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from studyguide.course.files import EXAM_NAMES
from studyguide.course.loader import load_content
from studyguide.course.problems import Problem
from studyguide.course.result import LoadResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def plan(paths: list[str], active_roots: list[Path]) -> tuple[list[Path], set[Path] | None]:
    """Which roots to load, and which files to report on (None: everything).

    A folder is a content root. A file is checked in the context of the root it lives in
    (its lessons/ or banks/ parent, or the folder of exam.yaml), or else of the active roots,
    so that its references resolve; only its own problems are reported.
    """
    if not paths:
        return active_roots, None
    roots: list[Path] = []
    only: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            roots.append(path)
        elif path.is_file():
            only.add(path.resolve())
            if path.parent.name in ("lessons", "banks"):
                roots.append(path.parent.parent)
            elif path.name in EXAM_NAMES:
                roots.append(path.parent)
            else:
                raise UsageError(
                    f"{raw}: not inside a content root (lessons/, banks/ or exam.yaml); "
                    "pass the folder that holds it instead"
                )
        else:
            raise UsageError(f"{raw}: no such file or folder")
    unique = list({r.resolve(): r for r in roots}.values())
    only_dirs = any(Path(p).expanduser().is_dir() for p in paths)
    return unique, None if only_dirs else only


def run(
    paths: list[str], active_roots: list[Path], strict: bool, fmt: str, out: TextIO | None = None
) -> int:
    out = out or sys.stdout
    try:
        roots, only = plan(paths, active_roots)
    except UsageError as exc:
        print(f"studyguide validate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = load_content(roots)
    problems = result.problems
    if only is not None:
        problems = [p for p in problems if p.path.resolve() in only]
    problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.col))
    if len(roots) == 1 and any(p.code == "io" and p.path == roots[0] for p in problems):
        # The only root could not be read: that is an I/O error, not a content verdict.
        for p in problems:
            print(p.format(), file=sys.stderr)
        return EXIT_USAGE
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    failed = errors > 0 or (strict and warnings > 0)
    {"text": _text, "json": _json, "github": _github}[fmt](problems, result, roots, out)
    return EXIT_PROBLEMS if failed else EXIT_OK


def _summary(problems: list[Problem], result: LoadResult) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    course = result.course
    counts = (
        f"{len(result.files)} files: {len(course.lessons)} lessons, "
        f"{len(course.questions)} questions in {len(course.banks)} banks"
    )
    if not problems:
        return f"ok: {counts}, no problems"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {counts}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' * (count != 1)}"


def _text(problems, result, roots, out) -> None:
    for problem in problems:
        print(problem.format(), file=out)
    print(_summary(problems, result), file=out)


def _json(problems, result, roots, out) -> None:
    doc = {
        "roots": [str(r) for r in roots],
        "problems": [
            {
                "path": p.display_path,
                "line": p.line,
                "col": p.col,
                "severity": str(p.severity),
                "code": p.code,
                "message": p.message,
            }
            for p in problems
        ],
        "errors": sum(p.is_error for p in problems),
        "warnings": sum(not p.is_error for p in problems),
        "files": len(result.files),
        "lessons": len(result.course.lessons),
        "questions": len(result.course.questions),
    }
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _github(problems, result, roots, out) -> None:
    for p in problems:
        message = p.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        print(
            f"::{p.severity} file={p.display_path},line={p.line},col={p.col},"
            f"title={p.code}::{message}",
            file=out,
        )
    print(_summary(problems, result), file=out)
