"""The content format, declared once.

The same declarations check files (`check`) and produce the JSON Schema files that
editors use for completion (`to_json_schema`), so the two can never disagree.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from studyguide.course.problems import Problem, error
from studyguide.course.yamlsafe import Pos, YList, YMap

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
_SLUG = re.compile(SLUG_PATTERN)


@dataclass(frozen=True)
class Text:
    description: str = ""
    slug: bool = False
    enum: tuple[str, ...] = ()

    @functools.cached_property
    def checked(self) -> bool:
        """Whether the text has a shape to check beyond being non-empty."""
        return self.slug or bool(self.enum)


@dataclass(frozen=True)
class Integer:
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Number:
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Boolean:
    description: str = ""


@dataclass(frozen=True)
class ListOf:
    item: Type
    description: str = ""
    min_items: int = 0
    max_items: int | None = None


@dataclass(frozen=True)
class MapOf:
    """A mapping from slugs to values (the exam blueprint)."""

    value: Type
    description: str = ""


@dataclass(frozen=True)
class Field:
    name: str
    type: Type
    required: bool = True


@dataclass(frozen=True)
class Obj:
    title: str
    fields: tuple[Field, ...]
    description: str = ""
    json_extra: dict = field(default_factory=dict, hash=False, compare=False)

    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @functools.cached_property
    def known(self) -> frozenset[str]:
        return frozenset(self.names())


Type = Text | Integer | Number | Boolean | ListOf | MapOf | Obj

_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}


def describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = (
        repr(value) if not isinstance(value, str) or len(value) < 40 else repr(value[:37] + "...")
    )
    return f"{_TYPE_NAMES.get(type(value), type(value).__name__)} ({text})"


def check(value: object, spec: Type, name: str, pos: Pos, path: Path, out: list[Problem]) -> bool:
    """Check one value against its spec, appending problems. True when it has no error."""
    if spec.__class__ is Text:
        # Most values are prose: settle them without further calls.
        if value.__class__ is str and value and not value.isspace() and not spec.checked:
            return True
        return _check_text(value, spec, name, pos, path, out)
    if isinstance(spec, Obj):
        return check_object(value, spec, name, pos, path, out)
    if isinstance(spec, Text):
        return _check_text(value, spec, name, pos, path, out)
    if isinstance(spec, Boolean):
        return _expect(isinstance(value, bool), value, "true or false", name, pos, path, out)
    if isinstance(spec, Integer):
        is_int = isinstance(value, int) and not isinstance(value, bool)
        if not _expect(is_int, value, "an integer", name, pos, path, out):
            return False
        if spec.minimum is not None and value < spec.minimum:
            out.append(error(path, pos, f"`{name}` must be at least {spec.minimum}", "bad-value"))
            return False
        if spec.maximum is not None and value > spec.maximum:
            out.append(error(path, pos, f"`{name}` must be at most {spec.maximum}", "bad-value"))
            return False
        return True
    if isinstance(spec, Number):
        return _check_number(value, spec, name, pos, path, out)
    if isinstance(spec, ListOf):
        return _check_list(value, spec, name, pos, path, out)
    return _check_map(value, spec, name, pos, path, out)


def check_object(
    value: object,
    spec: Obj,
    name: str,
    pos: Pos,
    path: Path,
    out: list[Problem],
    skip: tuple[str, ...] = (),
) -> bool:
    """Check a mapping's keys and values; keys in `skip` are checked by the caller."""
    if not isinstance(value, YMap):
        return _expect(False, value, f"a mapping ({spec.title})", name, pos, path, out)
    ok = True
    known = spec.known
    if not known.issuperset(value):
        for key in value:
            if key in known:
                continue
            ok = False
            names = spec.names()
            hint = difflib.get_close_matches(str(key), names, n=1, cutoff=0.6)
            also = f"; did you mean `{hint[0]}`?" if hint else f"; allowed: {', '.join(names)}"
            # A key may hold a newline (`"a\nb": 1`): never let it break the one-line message.
            shown = key if isinstance(key, str) and key.isprintable() else repr(key)
            msg = f"unknown key `{shown}` in {spec.title}{also}"
            out.append(error(path, value.key_pos[key], msg, "unknown-key"))
    for fld in spec.fields:
        field_name = fld.name
        if field_name not in value:
            if fld.required:
                ok = False
                msg = f"missing required key `{field_name}` in {spec.title}"
                out.append(error(path, value.pos, msg, "missing-key"))
            continue
        if field_name in skip:
            continue
        child, kind = value[field_name], fld.type
        plain = kind.__class__ is Text and child.__class__ is str and not kind.checked
        if plain and child and not child.isspace():
            continue  # plain prose, the common case, settled without a call
        ok = check(child, kind, field_name, value.val_pos[field_name], path, out) and ok
    return ok


def _expect(cond: bool, value, wanted, name, pos, path, out) -> bool:
    if not cond:
        msg = f"`{name}` should be {wanted}, not {describe(value)}"
        out.append(error(path, pos, msg, "wrong-type"))
    return cond


def _check_text(value, spec: Text, name, pos, path, out) -> bool:
    if not _expect(isinstance(value, str), value, "a string", name, pos, path, out):
        return False
    if not value or value.isspace():
        out.append(error(path, pos, f"`{name}` is empty", "empty-string"))
        return False
    if spec.slug and not _SLUG.match(value):
        msg = (
            f"`{name}` {value!r} is not a valid id: use lowercase letters, digits, "
            "'-', '_' and '.', starting with a letter or digit"
        )
        out.append(error(path, pos, msg, "bad-id"))
        return False
    if spec.enum and value not in spec.enum:
        hint = difflib.get_close_matches(value, spec.enum, n=1, cutoff=0.5)
        suggestion = f"; did you mean `{hint[0]}`?" if hint else ""
        msg = f"`{name}` must be one of {', '.join(spec.enum)}, not {value!r}{suggestion}"
        out.append(error(path, pos, msg, "bad-value"))
        return False
    return True


def _check_number(value, spec: Number, name, pos, path, out) -> bool:
    is_num = isinstance(value, int | float) and not isinstance(value, bool)
    if not _expect(is_num, value, "a number", name, pos, path, out):
        return False
    try:
        finite = math.isfinite(value)
    except OverflowError:  # an integer beyond any float: float() would crash the build
        finite = False
    if not finite:  # .inf minutes or a 400-digit share cannot be timed or summed
        shown = repr(value) if isinstance(value, float) else "an integer too large to use"
        out.append(error(path, pos, f"`{name}` must be a finite number, not {shown}", "bad-value"))
        return False
    low = spec.minimum if spec.minimum is not None else float("-inf")
    high = spec.maximum if spec.maximum is not None else float("inf")
    if not low <= value <= high:
        if spec.maximum is None:
            msg = f"`{name}` must be at least {spec.minimum}, not {value}"
        elif spec.minimum is None:
            msg = f"`{name}` must be at most {spec.maximum}, not {value}"
        else:
            msg = f"`{name}` must be between {spec.minimum} and {spec.maximum}, not {value}"
        out.append(error(path, pos, msg, "bad-value"))
        return False
    return True


def _check_list(value, spec: ListOf, name, pos, path, out) -> bool:
    if not _expect(isinstance(value, YList), value, "a list", name, pos, path, out):
        return False
    if len(value) < spec.min_items:
        msg = f"`{name}` needs at least {spec.min_items} item{'s' * (spec.min_items > 1)}"
        out.append(error(path, pos, msg, "wrong-type"))
        return False
    if spec.max_items is not None and len(value) > spec.max_items:
        msg = f"`{name}` takes at most {spec.max_items} items, not {len(value)}"
        out.append(error(path, pos, msg, "too-many-items"))
        return False
    ok = True
    for item, item_pos in zip(value, value.item_pos, strict=True):
        ok = check(item, spec.item, name, item_pos, path, out) and ok
    return ok


def _check_map(value, spec: MapOf, name, pos, path, out) -> bool:
    if not _expect(isinstance(value, YMap), value, "a mapping", name, pos, path, out):
        return False
    ok = True
    for key, item in value.items():
        key_pos = value.key_pos[key]
        if not isinstance(key, str) or not _SLUG.match(key):
            out.append(error(path, key_pos, f"{key!r} is not a valid id in `{name}`", "bad-id"))
            ok = False
            continue
        ok = check(item, spec.value, f"{name}.{key}", value.val_pos[key], path, out) and ok
    return ok


def to_json_schema(spec: Type) -> dict:
    if isinstance(spec, Obj):
        schema: dict = {
            "type": "object",
            "title": spec.title,
            "properties": {f.name: to_json_schema(f.type) for f in spec.fields},
            "required": [f.name for f in spec.fields if f.required],
            "additionalProperties": False,
        }
        schema.update(spec.json_extra)
    elif isinstance(spec, Text):
        schema = {"type": "string", "minLength": 1}
        if spec.slug:
            schema["pattern"] = SLUG_PATTERN
        if spec.enum:
            schema["enum"] = list(spec.enum)
    elif isinstance(spec, Integer):
        schema = {"type": "integer"}
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
    elif isinstance(spec, Number):
        schema = {"type": "number"}
        if spec.minimum is not None:
            schema["minimum"] = spec.minimum
        if spec.maximum is not None:
            schema["maximum"] = spec.maximum
    elif isinstance(spec, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(spec, ListOf):
        schema = {"type": "array", "items": to_json_schema(spec.item)}
        if spec.min_items:
            schema["minItems"] = spec.min_items
        if spec.max_items is not None:
            schema["maxItems"] = spec.max_items
    else:
        schema = {
            "type": "object",
            "propertyNames": {"pattern": SLUG_PATTERN},
            "additionalProperties": to_json_schema(spec.value),
        }
    if spec.description:
        schema["description"] = spec.description
    return schema
