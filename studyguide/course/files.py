"""Where content files are: each root's lessons/, banks/ and exam.yaml."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from studyguide.course.problems import Problem, error, warning

YAML_SUFFIXES = (".yaml", ".yml")
EXAM_NAMES = ("exam.yaml", "exam.yml")


@dataclass(frozen=True)
class ContentFile:
    path: Path
    kind: str  # "lesson", "bank" or "exam"


def discover(roots: Sequence[Path]) -> tuple[list[ContentFile], list[Problem]]:
    files: list[ContentFile] = []
    problems: list[Problem] = []
    for root in roots:
        if not root.is_dir():
            problems.append(error(root, (0, 0), "content folder not found", "io"))
            continue
        found = []
        for kind, folder in (("lesson", "lessons"), ("bank", "banks")):
            found += [ContentFile(p, kind) for p in _yaml_files(root / folder)]
        found += [ContentFile(root / n, "exam") for n in EXAM_NAMES if (root / n).is_file()]
        if not found:
            msg = "no content here: expected lessons/, banks/ or exam.yaml"
            problems.append(warning(root, (0, 0), msg, "no-content"))
        files += found
    return files, problems


def _yaml_files(folder: Path) -> Iterable[Path]:
    if not folder.is_dir():
        return []
    found = []
    # followlinks=False: a symlink loop in a content folder cannot trap the walk.
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found += [
            Path(dirpath, n)
            for n in filenames
            if n.endswith(YAML_SUFFIXES) and not n.startswith(".")
        ]
    return sorted(found)
