"""The fast head writer must agree exactly with json.dumps(indent=1)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from progress_helpers import make_card, make_entry

from studyguide.progress.jsontext import dump_head, dump_line, dump_lines

# Text that looks like the patterns the fast path rewrites, to try to fool it.
tricky_text = st.text(max_size=8) | st.sampled_from(
    ['},\n   "', ': {"', '"}, "x": {"', "\\", "\u2014 é", "\n", "{}", "\ud800"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)  # not JSON: refused, see below
    | tricky_text
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(tricky_text, inner, max_size=3),
    max_leaves=10,
)
flat_objects = st.dictionaries(tricky_text, scalars, max_size=4)
heads = st.dictionaries(
    tricky_text,
    json_values | st.dictionaries(tricky_text, flat_objects, max_size=4),
    min_size=1,
    max_size=5,
)


def reference(head: dict[str, Any]) -> str:
    text = json.dumps(head, indent=1, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(head, indent=1)
    return text


@settings(max_examples=400)
@given(head=heads)
def test_dump_head_matches_json_dumps_indent_1(head: dict[str, Any]) -> None:
    assert dump_head(head) == reference(head)


def test_cards_take_the_fast_path_and_match() -> None:
    head = {"cards": {f"q-{i}": make_card(i) for i in range(50)}, "flags": {}, "x": [1, {}]}
    head["cards"]["q-empty"] = {}
    head["cards"]["q-nested"] = {"a": {"b": [1]}}
    assert dump_head(head) == reference(head)
    head["cards"] = {f"q-{i}": make_card(i) for i in range(50)}
    assert dump_head(head) == reference(head)


@given(entry=st.dictionaries(tricky_text, json_values, max_size=5))
def test_dump_line_is_one_line_that_reads_back(entry: dict[str, Any]) -> None:
    line = dump_line(entry, 0)
    assert "\n" not in line
    line.encode("utf-8")
    assert json.loads(line) == entry


@settings(max_examples=150)
@given(
    tricky=st.lists(st.dictionaries(tricky_text, json_values, max_size=4), max_size=6),
    at=st.integers(0, 70),
)
def test_bulk_dump_lines_matches_one_by_one(tricky: list[dict[str, Any]], at: int) -> None:
    entries = [make_entry(i) for i in range(70)]
    entries[at:at] = tricky
    entries.append(make_entry(1, picked=[{"a": 1}, {"b": "}, {"}]))
    assert dump_lines(entries, 5) == [dump_line(e, 5 + i) for i, e in enumerate(entries)]
    plain = [make_entry(i) for i in range(70)]
    assert dump_lines(plain) == [dump_line(e, i) for i, e in enumerate(plain)]


def test_non_finite_numbers_are_refused_not_written() -> None:
    """NaN and infinities are not JSON and the loader refuses them: never write them."""
    import pytest

    from studyguide.progress import ProgressStructureError

    for bad in (float("nan"), float("inf"), float("-inf")):
        with pytest.raises(ProgressStructureError, match=r"log\[3\]"):
            dump_line({"ms": bad}, 3)
        with pytest.raises(ProgressStructureError, match="daily"):
            dump_head({"daily": {"x": [bad]}})
        with pytest.raises(ProgressStructureError, match="cards"):
            dump_head({"cards": {"q": dict(make_card(1), stability=bad)}})
