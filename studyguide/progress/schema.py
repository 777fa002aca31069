"""What a valid progress document looks like, and the checks that enforce it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from studyguide.progress.errors import ProgressStructureError
from studyguide.progress.spec import (
    EXAM_IN_PROGRESS,
    LOG_ENTRY,
    PART_BY_NAME,
    PYTHON_TYPES,
    TYPE_NAMES,
    check_log_entry,
    kind,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "EXAM_IN_PROGRESS",
    "KNOWN_PARTS",
    "LOG_ENTRY_KEYS",
    "SETTING_RANGES",
    "check_exam_in_progress",
    "check_log_entry",
    "clean_settings",
    "expect",
    "kind",
]

DEFAULT_SETTINGS: dict[str, Any] = {
    "desired_retention": 0.9,
    "new_per_day": 15,
    "reviews_per_day": 200,
    "theme": "textual-dark",
    "confirm_answers": False,
}
SETTING_RANGES: dict[str, tuple[float, float]] = {
    "desired_retention": (0.70, 0.97),
    "new_per_day": (0, 1000),
    "reviews_per_day": (0, 10000),
}
# The parts and fields are declared in spec.py; these names stay for the callers.
LOG_ENTRY_KEYS: dict[str, tuple[type, ...]] = {
    f.name: PYTHON_TYPES[f.type] for f in LOG_ENTRY.fields if f.required
}
KNOWN_PARTS = frozenset({"schema_version", "settings", EXAM_IN_PROGRESS, *PART_BY_NAME})


# The keys of an exam in progress and their JSON types (see docs/progress-format.md).
EXAM_IN_PROGRESS_KEYS: dict[str, tuple[type, ...]] = {
    "seed": (int,),
    "length": (int,),
    "time_limit_s": (int, float),
    "time_left_s": (int, float),
    "shortfall": (int,),
    "started": (str,),
    "saved": (str,),
    "index": (int,),
    "questions": (list,),
}
EXAM_QUESTION_KEYS: dict[str, tuple[type, ...]] = {
    "qid": (str,),
    "order": (list,),
    "picked": (list,),
    "marked": (bool,),
}


def check_exam_in_progress(value: Any, part: str = EXAM_IN_PROGRESS) -> None:
    """Raise ProgressStructureError unless ``value`` is null or a well-formed exam in
    progress: the paper (question ids and choice orders), answers, marks and time left."""
    if value is None:
        return
    _check_keys(value, part, EXAM_IN_PROGRESS_KEYS)
    for key in ("length", "shortfall", "index"):
        if value[key] < 0:
            raise ProgressStructureError(part, f"{key!r} must not be negative")
    for key in ("time_limit_s", "time_left_s"):
        if not 0 <= value[key] < float("inf"):  # False for NaN too
            raise ProgressStructureError(part, f"{key!r} must be a number of seconds")
    for key in ("started", "saved"):
        try:
            datetime.fromisoformat(value[key])
        except ValueError:
            raise ProgressStructureError(part, f"{key!r} must be an ISO 8601 time") from None
    predicted = value.get("predicted")
    if predicted is not None and (
        isinstance(predicted, bool)
        or not isinstance(predicted, int | float)
        or not 0 <= predicted <= 1
    ):
        raise ProgressStructureError(part, "'predicted' must be null or a number from 0 to 1")
    seen: set[str] = set()
    for index, item in enumerate(value["questions"]):
        where = f"{part}.questions[{index}]"
        _check_keys(item, where, EXAM_QUESTION_KEYS)
        if item["qid"] in seen:
            raise ProgressStructureError(where, f"question {item['qid']!r} is listed twice")
        seen.add(item["qid"])
        order = item["order"]
        if not all(type(i) is int and i >= 0 for i in order) or len(set(order)) != len(order):
            raise ProgressStructureError(where, "'order' must be distinct whole numbers")
        if not all(type(i) is int and i in order for i in item["picked"]):
            raise ProgressStructureError(where, "'picked' must hold choices from 'order'")


_JSON_NAMES = {str: TYPE_NAMES["string"], int: TYPE_NAMES["integer"], float: "a number"}
_JSON_NAMES.update({list: TYPE_NAMES["list"], bool: TYPE_NAMES["boolean"]})


def _check_keys(value: Any, part: str, keys: dict[str, tuple[type, ...]]) -> None:
    if not isinstance(value, dict):
        raise ProgressStructureError(part, f"must be an object, not {kind(value)}")
    for key, types in keys.items():
        if key not in value:
            raise ProgressStructureError(part, f"missing {key!r}")
        item = value[key]
        if not isinstance(item, types) or (bool not in types and isinstance(item, bool)):
            wanted = " or ".join(_JSON_NAMES[t] for t in types)
            raise ProgressStructureError(part, f"{key!r} must be {wanted}, not {kind(item)}")


def clean_settings(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """Settings with every missing, mistyped or out-of-range value reset to its default.

    Unknown keys are kept: a newer app or the UI may store more settings.
    """
    if not isinstance(raw, dict):
        note = [] if raw is None else [f"settings was {kind(raw)}; all reset to defaults"]
        return dict(DEFAULT_SETTINGS), note
    settings = dict(raw)
    warnings = []
    for key, default in DEFAULT_SETTINGS.items():
        value = settings.get(key)
        if not _setting_ok(key, value):
            if key in settings:
                warnings.append(f"settings.{key} was {value!r}; reset to {default!r}")
            settings[key] = default
    return settings, warnings


def _setting_ok(key: str, value: Any) -> bool:
    default = DEFAULT_SETTINGS[key]
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, str):
        return isinstance(value, str) and bool(value.strip())
    numeric = (int, float) if isinstance(default, float) else (int,)
    if not isinstance(value, numeric) or isinstance(value, bool):
        return False
    low, high = SETTING_RANGES[key]
    return low <= value <= high  # False for NaN too


def expect(value: Any, wanted: type, part: str) -> Any:
    """``value`` if it is a ``wanted`` (dict, list, str, int, float or bool), else raise."""
    if not isinstance(value, wanted) or (wanted is not bool and isinstance(value, bool)):
        names = {dict: "an object", list: "a list", str: "a string", int: "a whole number"}
        name = names.get(wanted) or {float: "a number", bool: "true or false"}[wanted]
        raise ProgressStructureError(part, f"must be {name}, not {kind(value)}")
    return value
