"""A save never writes a file that ``open()`` would refuse.

Hypothesis drives the engine through any sequence of what a learner can do (answers,
re-ratings, undo, bury, flags with any text, settings, module resets) with the clock
moving forwards and backwards; after each sequence the store saves, and the file must
open again without a notice and hold exactly what was saved. A migrated file saves to a
file that opens too, and a document holding what the loader refuses cannot be saved.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fsrs import Rating
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from progress_helpers import make_card, sample_document

from studyguide.course import load_content
from studyguide.engine.clock import FrozenClock
from studyguide.engine.study import Study
from studyguide.progress import (
    ProgressDocument,
    ProgressStore,
    ProgressStructureError,
    migrations,
    read_only_load,
)
from studyguide.progress.spec import PARTS, RECORDS
from tests.factories import right, write_course, wrong

START = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    write_course(root, modules=2, per_module=3)
    return load_content([root]).course


actions = st.one_of(
    st.tuples(st.just("answer"), st.integers(0, 5), st.booleans(), st.integers(-5, 10**6)),
    st.tuples(st.just("rate"), st.sampled_from([Rating.Hard, Rating.Good, Rating.Easy])),
    st.tuples(st.just("undo")),
    st.tuples(st.just("bury"), st.integers(0, 5)),
    st.tuples(st.just("flag"), st.integers(0, 5), st.text(max_size=40)),
    st.tuples(st.just("unflag"), st.integers(0, 5)),
    st.tuples(st.just("retention"), st.floats(0.70, 0.97)),
    st.tuples(st.just("reset"), st.sampled_from(["m1", "m2"])),
    st.tuples(st.just("clock"), st.integers(-3 * 24 * 60, 60 * 24 * 400)),
)


def act(study: Study, clock: FrozenClock, action: tuple[Any, ...]) -> None:
    name, *args = action
    questions = study.course.questions
    if name == "answer":
        question = questions[args[0]]
        study.answer(question.id, right(question) if args[1] else wrong(question), args[2])
    elif name == "rate" and study.doc.log and study.doc.log[-1]["correct"] and study.can_undo:
        study.rate_last(args[0])
    elif name == "undo":
        study.undo()
    elif name == "bury":
        study.bury(questions[args[0]].id)
    elif name == "flag":
        study.flag(questions[args[0]].id, args[1])
    elif name == "unflag":
        study.unflag(questions[args[0]].id)
    elif name == "retention":
        study.set_setting("desired_retention", args[0])
    elif name == "reset":
        study.reset_module(args[0])
    elif name == "clock":
        clock.advance(minutes=args[0])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.lists(actions, max_size=30))
def test_whatever_the_learner_does_the_save_opens_again(
    course, tmp_path_factory, steps: list[tuple[Any, ...]]
) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / "progress.json"
    clock = FrozenClock(START)
    # The store judges clock anomalies by the same clock as the learner's answers.
    with ProgressStore(path, clock=clock) as store:
        doc = store.open()
        study = Study(course, doc, clock, save=store.save)
        for step in steps:
            act(study, clock, step)
        store.save(doc)
        written = path.read_text(encoding="utf-8")
    with ProgressStore(path, clock=FrozenClock(clock.now())) as store:
        again = store.open()
        assert again.warnings == []
        assert again.to_json() == written
        # The engine can go on from the reloaded file, undo included.
        study = Study(course, again, FrozenClock(clock.now()), save=store.save)
        while study.undo() is not None:
            pass


def test_a_migrated_file_saves_to_a_file_that_opens(tmp_path: Path, monkeypatch) -> None:
    def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
        data["cards"]["migrated"] = make_card(7)
        return data

    path = tmp_path / "progress.json"
    path.write_text(sample_document(log_entries=3).to_json())
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, v1_to_v2)
    with ProgressStore(path) as store:
        doc = store.open()
        store.save(doc)
    assert read_only_load(path).cards["migrated"] == make_card(7)


def test_a_migration_that_breaks_a_field_leaves_the_file_unreadable_and_untouched(
    tmp_path: Path, monkeypatch
) -> None:
    from studyguide.progress import ProgressUnreadable

    def bad_step(data: dict[str, Any]) -> dict[str, Any]:
        data["cards"]["x"] = {"state": "learning"}
        return data

    path = tmp_path / "progress.json"
    path.write_text(sample_document().to_json())
    before = path.read_bytes()
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, bad_step)
    with pytest.raises(ProgressUnreadable, match=r"cards\['x'\]"):
        ProgressStore(path).open()
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("part", "value"),
    [
        ("cards", {"q": dict(make_card(1), state="review")}),
        ("cards", {"q": dict(make_card(1), stability=math.nan)}),
        ("cards", {"q": dict(make_card(1), due="9999-12-31T00:00:00+00:00")}),
        ("buried", {"q": "tomorrow"}),
        ("undo", [{"qid": "q", "card": "oops", "log_len": 0}]),
        ("exams", [{"finished": "2026-11-25T15:00:00+00:00", "score": 0.5}]),
        ("flags", {"q": {"note": 5}}),
    ],
)
def test_a_document_the_loader_would_refuse_is_never_saved(
    tmp_path: Path, part: str, value: Any
) -> None:
    path = tmp_path / "progress.json"
    with ProgressStore(path) as store:
        doc = store.open()
        store.save(doc)
        before = path.read_bytes()
        setattr(doc, part, value)
        with pytest.raises(ProgressStructureError, match=part):
            store.save(doc)
        with pytest.raises(ProgressStructureError):
            store.save_soon(doc)
    assert path.read_bytes() == before


def test_a_card_changed_in_place_is_still_checked_when_replaced() -> None:
    """The save skips items it checked before only while they are the same object."""
    doc = sample_document()
    doc.to_json()
    doc.cards["rapport-why-000"] = dict(doc.cards["rapport-why-000"], difficulty=99)
    with pytest.raises(ProgressStructureError, match="difficulty"):
        doc.to_json()


def test_every_declared_field_is_documented() -> None:
    """docs/progress-format.md lists every part and field the loader checks (the drift
    test of the progress declaration)."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "progress-format.md").read_text()
    for part in PARTS:
        assert f"| `{part.name}` |" in doc, part.name
    for record in RECORDS:
        heading = f"#### {record.name}"
        assert heading in doc, heading
        section = doc.split(heading, 1)[1].split("\n#", 1)[0]
        for field in record.fields:
            assert f"| `{field.name}` |" in section, (record.name, field.name)


def test_clock_repair_keeps_the_interval() -> None:
    now = datetime.now(UTC)
    card = dict(make_card(1), last_review="2100-01-01T00:00:00+00:00")
    card["due"] = "2100-01-11T00:00:00+00:00"
    doc = ProgressDocument.from_dict({"schema_version": 1, "cards": {"q": card}}, now)
    record = doc.cards["q"]
    assert datetime.fromisoformat(record["last_review"]) == now
    assert datetime.fromisoformat(record["due"]) - now == timedelta(days=10)
    assert len(doc.warnings) == 1 and "2100-01-01" in doc.warnings[0]
    # Without a clock (a caller that only parses) nothing is clamped.
    again = ProgressDocument.from_dict(json.loads(json.dumps({"schema_version": 1})))
    assert again.warnings == []
