"""The JSON text of the file, produced fast enough to write after every answer.

The head (everything but the log) comes out exactly as ``json.dumps(head, indent=1,
ensure_ascii=False)`` would write it. That stdlib call runs the pure-Python encoder
(indent disables the C one) at about 7 µs per card, so the common shape of
``cards`` and ``flags`` (an object of flat objects) is written by the C encoder
instead and re-indented with string replacements; tests check the two agree.

NaN and infinities are refused: they are not JSON, the loader refuses them, and a
save must never write a file that cannot be read back.
"""

from __future__ import annotations

import json
from typing import Any

from studyguide.progress.errors import ProgressStructureError

_LINE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "), allow_nan=False)
_LINE_ASCII = json.JSONEncoder(ensure_ascii=True, separators=(", ", ": "), allow_nan=False)
_KEY = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
# Item separator of a flat object two levels below a top-level key.
_NESTED_FLAT = json.JSONEncoder(ensure_ascii=False, separators=(",\n   ", ": "), allow_nan=False)
_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})
_BULK = 64  # below this, one-by-one encoding is as fast


def dump_line(entry: dict[str, Any], index: int) -> str:
    """One log entry on one line; escapes only when the text could not be UTF-8."""
    try:
        text = _LINE.encode(entry)
    except (TypeError, ValueError) as exc:
        raise ProgressStructureError(f"log[{index}]", f"cannot be written as JSON: {exc}") from exc
    if not text.isascii() and not _encodes(text):
        text = _LINE_ASCII.encode(entry)
    return text


def dump_lines(entries: list[dict[str, Any]], first_index: int = 0) -> list[str]:
    """``dump_line`` of each entry; ``first_index`` numbers them in error messages.

    Many entries at once (the first save after loading a long log) go through the
    C encoder in one pass and are split at the entry boundaries. The split is exact
    only when the boundary text occurs nowhere else, which the piece count proves;
    otherwise each entry is encoded on its own.
    """
    if len(entries) >= _BULK:
        try:
            text = _LINE.encode(entries)
        except (TypeError, ValueError):
            text = ""  # the one-by-one pass names the entry at fault
        if text and (text.isascii() or _encodes(text)):
            pieces = text[2:-2].split("}, {")
            if len(pieces) == len(entries):
                return ["{" + piece + "}" for piece in pieces]
    return [dump_line(entry, first_index + i) for i, entry in enumerate(entries)]


def dump_head(head: dict[str, Any]) -> str:
    """``head`` as ``json.dumps(head, indent=1, ensure_ascii=False)`` writes it."""
    chunks = []
    for key, value in head.items():
        try:
            chunks.append(f" {_KEY.encode(key)}: {_dump_part(value)}")
        except (TypeError, ValueError, RecursionError) as exc:
            raise ProgressStructureError(key, f"cannot be written as JSON: {exc}") from exc
    text = "{\n" + ",\n".join(chunks) + "\n}"
    if not text.isascii() and not _encodes(text):
        text = json.dumps(head, indent=1, allow_nan=False)  # a lone surrogate somewhere: escape it
    return text


def _dump_part(value: Any) -> str:
    """A top-level value, indented as it sits one level down."""
    if type(value) is dict and value and all(map(_is_flat_object, value.values())):
        # '{"k": {"a": 1,\n   "b": 2},\n   "k2": {...}}'. Strings cannot hold a raw
        # newline or an unescaped quote, so both patterns below occur only between
        # objects and at their openings.
        text = _NESTED_FLAT.encode(value)
        text = text.replace('},\n   "', '\n  },\n  "').replace(': {"', ': {\n   "')
        return "{\n  " + text[1:-2] + "\n  }\n }"
    return json.dumps(value, indent=1, ensure_ascii=False, allow_nan=False).replace("\n", "\n ")


def _is_flat_object(value: Any) -> bool:
    return (
        type(value) is dict
        and bool(value)
        and all(type(item) in _SCALAR_TYPES for item in value.values())
    )


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
