"""ProgressDocument: structure checks, settings, the file text and its log cache."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from progress_helpers import make_card, make_entry, sample_document

from studyguide.progress import (
    DEFAULT_SETTINGS,
    ProgressDocument,
    ProgressStructureError,
)
from studyguide.progress import document as document_module
from studyguide.progress.document import LOG_TAIL


def reject_constant(name: str) -> Any:
    raise AssertionError(f"non-standard JSON constant {name} in the file text")


def strict_loads(text: str) -> Any:
    return json.loads(text, parse_constant=reject_constant)


def test_round_trip_keeps_every_part() -> None:
    doc = sample_document(log_entries=7)
    doc.extra["from_the_future"] = {"kept": [1, 2]}
    text = doc.to_json()
    assert strict_loads(text) == doc.to_dict()
    again = ProgressDocument.from_dict(strict_loads(text))
    assert again.to_dict() == doc.to_dict()
    assert again.to_json() == text
    assert again.cards == doc.cards and again.exams == doc.exams and again.flags == doc.flags
    assert again.extra == {"from_the_future": {"kept": [1, 2]}}
    assert again.log[-1] == make_entry(6)


def test_layout_head_indented_by_one_and_one_log_entry_per_line() -> None:
    doc = sample_document(log_entries=4)
    text = doc.to_json()
    head = {k: v for k, v in doc.to_dict().items() if k != "log"}
    expected_head = json.dumps(head, indent=1, ensure_ascii=False)[:-2]
    assert text.startswith(expected_head + ',\n "log": [\n')
    log_lines = text[len(expected_head) :].splitlines()[2:-2]
    assert len(log_lines) == 4
    for i, line in enumerate(log_lines):
        assert json.loads(line.strip().rstrip(",")) == make_entry(i)
    assert "—" in text  # non-ASCII is written as is, not escaped
    assert text.endswith("\n ]\n}\n")


def test_empty_log_layout() -> None:
    text = ProgressDocument.new().to_json()
    assert text.endswith(',\n "log": []\n}\n')
    assert strict_loads(text)["log"] == []


def test_append_then_pop_then_append_again() -> None:
    doc = sample_document(log_entries=100)
    doc.to_json()
    popped = [doc.pop_log() for _ in range(3)]
    assert popped == [make_entry(99), make_entry(98), make_entry(97)]
    assert strict_loads(doc.to_json())["log"] == [make_entry(i) for i in range(97)]
    doc.append_log(make_entry(500))
    assert strict_loads(doc.to_json())["log"][-2:] == [make_entry(96), make_entry(500)]
    with pytest.raises(IndexError):
        ProgressDocument.new().pop_log()


class CountingDumps:
    """Counts the log entries handed to the serializer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = document_module.dump_lines

        def counting(entries: list[dict[str, Any]], first_index: int = 0) -> list[str]:
            self.calls += len(entries)
            return real(entries, first_index)

        monkeypatch.setattr(document_module, "dump_lines", counting)


def test_only_new_entries_and_the_tail_are_serialized(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = sample_document(log_entries=1000)
    counter = CountingDumps(monkeypatch)
    doc.to_json()
    assert counter.calls == 1000
    counter.calls = 0
    doc.append_log(make_entry(1000))
    doc.to_json()
    assert counter.calls == LOG_TAIL
    counter.calls = 0
    doc.log[10] = make_entry(10, rating=1)  # an old entry replaced directly
    assert strict_loads(doc.to_json())["log"][10]["rating"] == 1
    assert counter.calls == len(doc.log) - 10


def test_in_place_edit_of_a_recent_entry_is_written() -> None:
    doc = sample_document(log_entries=200)
    doc.to_json()
    doc.log[-LOG_TAIL]["ms"] = 999_999
    doc.log[-1]["undone"] = True
    log = strict_loads(doc.to_json())["log"]
    assert log[-LOG_TAIL]["ms"] == 999_999 and log[-1]["undone"] is True


def test_lone_surrogate_falls_back_to_escapes() -> None:
    doc = sample_document(log_entries=1)
    doc.append_log(make_entry(1, picked=["\ud800 broken"]))
    doc.flags["x"] = {"note": "\udfff"}
    text = doc.to_json()
    text.encode("utf-8")  # must not raise
    assert strict_loads(text) == doc.to_dict()


def test_unserializable_values_name_the_part() -> None:
    doc = sample_document(log_entries=2)
    doc.log.append(make_entry(2, ms=object()))
    with pytest.raises(ProgressStructureError, match=r"log\[2\]"):
        doc.to_json()
    doc.log.pop()
    doc.daily["when"] = {1, 2}
    with pytest.raises(ProgressStructureError, match="daily"):
        doc.to_json()


def test_direct_append_of_a_bad_entry_is_refused_at_save() -> None:
    doc = sample_document(log_entries=2)
    doc.log.append({"qid": "x"})
    with pytest.raises(ProgressStructureError, match=r"log\[2\].*missing 'time'"):
        doc.to_json()


def valid_dict(**changes: Any) -> dict[str, Any]:
    d = strict_loads(sample_document(log_entries=2).to_json())
    d.update(changes)
    return d


@pytest.mark.parametrize(
    ("changes", "part"),
    [
        ({"cards": []}, "cards"),
        ({"cards": {"q": "not a card"}}, "cards['q']"),
        ({"buried": {"q": 5}}, "buried['q']"),
        ({"flags": {"q": []}}, "flags['q']"),
        ({"lesson_positions": "m1"}, "lesson_positions"),
        ({"daily": []}, "daily"),
        ({"exams": {}}, "exams"),
        ({"exams": [1]}, "exams[0]"),
        ({"undo": [[]]}, "undo[0]"),
        ({"log": {}}, "log"),
        ({"log": ["entry"]}, "log[0]"),
        ({"app_version": 1}, "app_version"),
        ({"created": None}, "created"),
        ({"schema_version": "1"}, "schema_version"),
        ({"schema_version": True}, "schema_version"),
    ],
)
def test_structure_errors_name_the_part(changes: dict[str, Any], part: str) -> None:
    with pytest.raises(ProgressStructureError) as info:
        ProgressDocument.from_dict(valid_dict(**changes))
    assert isinstance(info.value, ValueError)
    assert info.value.part == part
    assert str(info.value).startswith(part + ":")


def test_missing_schema_version_and_non_object() -> None:
    d = valid_dict()
    del d["schema_version"]
    with pytest.raises(ProgressStructureError, match="schema_version: missing"):
        ProgressDocument.from_dict(d)
    with pytest.raises(ProgressStructureError, match="document: must be a JSON object, not a list"):
        ProgressDocument.from_dict([])


@pytest.mark.parametrize(
    ("entry_changes", "message"),
    [
        ({"qid": 7}, "'qid' must be a string, not a whole number"),
        ({"time": None}, "'time' must be a string, not null"),
        ({"rating": True}, "'rating' must be a whole number, not true or false"),
        ({"rating": 2.5}, "'rating' must be a whole number, not a number"),
        ({"picked": "a"}, "'picked' must be a list, not a string"),
        ({"correct": 1}, "'correct' must be true or false, not a whole number"),
        ({"ms": "5"}, "'ms' must be a whole number or a number, not a string"),
    ],
)
def test_log_entry_types(entry_changes: dict[str, Any], message: str) -> None:
    d = valid_dict()
    d["log"].append(make_entry(9, **entry_changes))
    with pytest.raises(ProgressStructureError) as info:
        ProgressDocument.from_dict(d)
    assert str(info.value) == f"log[2]: {message}"
    doc = ProgressDocument.new()
    with pytest.raises(ProgressStructureError):
        doc.append_log(make_entry(9, **entry_changes))
    assert doc.log == []


def test_log_entry_missing_key_and_extra_keys() -> None:
    entry = make_entry(1)
    del entry["ms"]
    with pytest.raises(ProgressStructureError, match=r"log\[0\]: missing 'ms'"):
        ProgressDocument.new().append_log(entry)
    doc = ProgressDocument.new()
    doc.append_log(make_entry(1, exam=True, note=None))  # extra keys are fine
    assert strict_loads(doc.to_json())["log"][0]["exam"] is True


def test_missing_parts_default_to_empty() -> None:
    doc = ProgressDocument.from_dict({"schema_version": 1})
    assert doc.cards == {} and doc.log == [] and doc.exams == []
    assert doc.settings == DEFAULT_SETTINGS
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("desired_retention", 0.69),
        ("desired_retention", 0.98),
        ("desired_retention", "0.9"),
        ("desired_retention", float("nan")),
        ("new_per_day", -1),
        ("new_per_day", 1001),
        ("new_per_day", 2.0),
        ("new_per_day", True),
        ("reviews_per_day", 10001),
        ("reviews_per_day", None),
        ("theme", ""),
        ("theme", 3),
        ("confirm_answers", "yes"),
        ("confirm_answers", 0),
    ],
)
def test_bad_setting_is_reset_not_fatal(key: str, bad: Any) -> None:
    good = {"desired_retention": 0.85, "new_per_day": 20, "reviews_per_day": 300}
    good.update({"theme": "textual-light", "confirm_answers": True, "custom": "kept"})
    settings_in = dict(good, **{key: bad})
    doc = ProgressDocument.from_dict(valid_dict(settings=settings_in))
    assert doc.settings[key] == DEFAULT_SETTINGS[key]
    assert doc.settings == dict(good, **{key: DEFAULT_SETTINGS[key]})
    assert len(doc.warnings) == 1 and f"settings.{key}" in doc.warnings[0]


def test_settings_edges_missing_and_not_an_object() -> None:
    edges = {"desired_retention": 0.70, "new_per_day": 0, "reviews_per_day": 10000}
    doc = ProgressDocument.from_dict(valid_dict(settings=dict(edges)))
    assert {k: doc.settings[k] for k in edges} == edges
    assert doc.settings["theme"] == "textual-dark" and doc.warnings == []
    high = {"desired_retention": 0.97, "new_per_day": 1000}
    assert ProgressDocument.from_dict(valid_dict(settings=high)).settings["new_per_day"] == 1000
    doc = ProgressDocument.from_dict(valid_dict(settings=[1, 2]))
    assert doc.settings == DEFAULT_SETTINGS and doc.warnings


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@given(
    settings_value=json_values
    | st.dictionaries(st.sampled_from(list(DEFAULT_SETTINGS)), json_values)
)
def test_no_settings_value_makes_the_document_unreadable(settings_value: Any) -> None:
    doc = ProgressDocument.from_dict({"schema_version": 1, "settings": settings_value})
    again = ProgressDocument.from_dict(strict_loads(doc.to_json()))
    assert again.settings == doc.settings
    assert again.warnings == []


entries = st.fixed_dictionaries(
    {
        "qid": st.text(min_size=1, max_size=10),
        "time": st.datetimes(
            min_value=datetime(1970, 1, 1), max_value=datetime(2999, 12, 31), timezones=st.just(UTC)
        ).map(lambda moment: moment.isoformat()),
        "rating": st.integers(1, 4),
        "picked": st.lists(st.text(max_size=6), max_size=3),
        "correct": st.booleans(),
        "ms": st.integers(0, 10**7) | st.floats(0, 1e7, allow_nan=False),
    },
    optional={"extra": json_values},
)
operations = st.one_of(
    st.tuples(st.just("append_log"), entries),
    st.tuples(st.just("pop_log")),
    st.tuples(st.just("append"), entries),
    st.tuples(st.just("del"), st.integers(0, 200)),
    st.tuples(st.just("replace"), st.integers(0, 200), entries),
    st.tuples(st.just("insert"), st.integers(0, 200), entries),
    st.tuples(st.just("edit_tail"), st.integers(1, LOG_TAIL), json_values),
    st.tuples(st.just("truncate"), st.integers(0, 200)),
    st.tuples(st.just("rebind")),
    st.tuples(st.just("reverse")),
    st.tuples(st.just("card"), st.text(max_size=5), st.integers(0, 99)),
)


def apply(doc: ProgressDocument, op: tuple[Any, ...]) -> None:
    name, *args = op
    log = doc.log
    if name == "append_log":
        doc.append_log(dict(args[0]))
    elif name == "pop_log" and log:
        doc.pop_log()
    elif name == "append":
        log.append(dict(args[0]))
    elif name == "del" and log:
        del log[args[0] % len(log)]
    elif name == "replace" and log:
        log[args[0] % len(log)] = dict(args[1])
    elif name == "insert":
        log.insert(args[0], dict(args[1]))
    elif name == "edit_tail" and len(log) >= args[0]:
        log[-args[0]]["extra"] = args[1]
    elif name == "truncate":
        del log[args[0] :]
    elif name == "rebind":
        doc.log = list(log)
    elif name == "reverse":
        log.reverse()
    elif name == "card":
        doc.cards[args[0]] = make_card(args[1])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(0, 80), ops=st.lists(operations, max_size=25))
def test_to_json_always_reads_back_equal(start: int, ops: list[tuple[Any, ...]]) -> None:
    doc = sample_document(log_entries=start)
    text = doc.to_json()
    assert strict_loads(text) == doc.to_dict()
    for op in ops:
        apply(doc, op)
        text = doc.to_json()
        assert strict_loads(text) == doc.to_dict()
    assert ProgressDocument.from_dict(strict_loads(text)).to_json() == text
