"""What a valid progress document looks like, and the checks that enforce it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from studyguide.progress.errors import ProgressStructureError

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
# Required keys of a log entry and the JSON types each may hold.
LOG_ENTRY_KEYS: dict[str, tuple[type, ...]] = {
    "qid": (str,),
    "time": (str,),
    "rating": (int,),
    "picked": (list,),
    "correct": (bool,),
    "ms": (int, float),
}

_NUMBER_TYPES = frozenset({int, float})

# Parts holding an object: the type every value must have (None: anything).
DICT_PARTS: dict[str, type | None] = {
    "cards": dict,
    "buried": str,
    "flags": dict,
    "lesson_positions": str,
    "pages_read": list,  # lesson module id → the ids of its pages opened
    "daily": None,
}
LIST_PARTS = ("exams", "undo")
# Optional parts: absent or null unless something is going on.
EXAM_IN_PROGRESS = "exam_in_progress"
KNOWN_PARTS = frozenset(
    {
        "schema_version",
        "app_version",
        "created",
        "settings",
        "log",
        EXAM_IN_PROGRESS,
        *DICT_PARTS,
        *LIST_PARTS,
    }
)


def check_log_entry(entry: Any, index: int) -> None:
    """Raise ProgressStructureError unless ``entry`` has every required key, well typed."""
    # Fast path for the usual entry (every save and every load runs this per entry);
    # anything it does not accept goes through the full check below, which decides.
    if type(entry) is dict:
        get = entry.get
        if (
            type(get("qid")) is str
            and type(get("time")) is str
            and type(get("rating")) is int
            and type(get("picked")) is list
            and type(get("correct")) is bool
            and type(get("ms")) in _NUMBER_TYPES
        ):
            return
    part = f"log[{index}]"
    if not isinstance(entry, dict):
        raise ProgressStructureError(part, f"must be an object, not {kind(entry)}")
    for key, types in LOG_ENTRY_KEYS.items():
        if key not in entry:
            raise ProgressStructureError(part, f"missing {key!r}")
        value = entry[key]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            wanted = " or ".join(_TYPE_NAMES[t] for t in types)
            raise ProgressStructureError(part, f"{key!r} must be {wanted}, not {kind(value)}")


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


def _check_keys(value: Any, part: str, keys: dict[str, tuple[type, ...]]) -> None:
    if not isinstance(value, dict):
        raise ProgressStructureError(part, f"must be an object, not {kind(value)}")
    for key, types in keys.items():
        if key not in value:
            raise ProgressStructureError(part, f"missing {key!r}")
        item = value[key]
        if not isinstance(item, types) or (bool not in types and isinstance(item, bool)):
            wanted = " or ".join(_TYPE_NAMES[t] for t in types)
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
    if not isinstance(value, wanted):
        raise ProgressStructureError(part, f"must be {_TYPE_NAMES[wanted]}, not {kind(value)}")
    return value


def check_mapping(value: Any, part: str, value_type: type | None) -> dict[str, Any]:
    expect(value, dict, part)
    for key, item in value.items():
        if not isinstance(key, str):
            raise ProgressStructureError(part, f"key {key!r} must be a string")
        if value_type is not None and not isinstance(item, value_type):
            raise ProgressStructureError(
                f"{part}[{key!r}]", f"must be {_TYPE_NAMES[value_type]}, not {kind(item)}"
            )
    return value


def check_list_of_objects(value: Any, part: str) -> list[Any]:
    expect(value, list, part)
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise ProgressStructureError(f"{part}[{index}]", f"must be an object, not {kind(item)}")
    return value


_TYPE_NAMES: dict[type, str] = {
    dict: "an object",
    list: "a list",
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
}


def kind(value: Any) -> str:
    if value is None:
        return "null"
    for wanted in (bool, dict, list, str, int, float):
        if isinstance(value, wanted):
            return _TYPE_NAMES[wanted]
    return type(value).__name__
