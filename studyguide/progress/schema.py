"""What a valid progress document looks like, and the checks that enforce it."""

from __future__ import annotations

from typing import Any

from studyguide.progress.errors import ProgressStructureError
from studyguide.progress.spec import (
    LOG_ENTRY,
    PART_BY_NAME,
    PYTHON_TYPES,
    check_log_entry,
    kind,
)

__all__ = [
    "DEFAULT_SETTINGS",
    "KNOWN_PARTS",
    "LOG_ENTRY_KEYS",
    "SETTING_RANGES",
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
KNOWN_PARTS = frozenset({"schema_version", "settings", *PART_BY_NAME})


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
