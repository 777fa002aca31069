"""Content: load YAML with positions, validate it, and build the immutable course model.

Names are imported lazily: a start with a warm content cache never needs the YAML parser.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_content": "studyguide.course.loader",
    "LoadResult": "studyguide.course.result",
    "Problem": "studyguide.course.problems",
    "Severity": "studyguide.course.problems",
    **{
        name: "studyguide.course.model"
        for name in ("Bank", "Choice", "Course", "ExamSpec", "Lesson", "Question", "Scenario")
    },
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'studyguide.course' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
