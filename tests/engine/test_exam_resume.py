"""An exam in progress saved in the progress file: its record, its checks on loading, and
rebuilding it over content that may have changed since."""

from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyguide.course import load_content
from studyguide.engine.exam import assemble
from studyguide.engine.exam_resume import in_progress_record, resume
from studyguide.engine.study import Study
from studyguide.progress import ProgressDocument, ProgressStructureError
from studyguide.progress.schema import check_exam_in_progress
from tests.factories import right, write_course, wrong


def sitting(course, clock, seed: int = 5):
    """A 12-question paper with a few answers (one several-answer style toggle) and marks."""
    paper = assemble(course, course.exam, 12, seed)
    qs = paper.questions
    answers = {qs[0].id: set(right(qs[0])), qs[1].id: set(wrong(qs[1])), qs[4].id: {0, 2}}
    marked = {qs[1].id, qs[7].id}
    started = clock.now()
    clock.advance(minutes=3)
    record = in_progress_record(paper, answers, marked, 4, 1234.56, started, clock.now(), 0.61)
    return paper, answers, marked, record


def round_trip(record: dict) -> dict:
    """Through the file text and back, as a save and the next start do."""
    doc = ProgressDocument.new()
    doc.exam_in_progress = record
    loaded = ProgressDocument.from_dict(json.loads(doc.to_json()))
    assert loaded.warnings == []
    return loaded.exam_in_progress


def test_record_round_trips_and_resumes_the_same_exam(course, clock):
    paper, answers, marked, record = sitting(course, clock)
    check_exam_in_progress(record, "exam_in_progress")
    back = resume(course, round_trip(record))
    assert back.paper == paper
    assert back.answers == answers
    assert back.marked == marked
    assert back.index == 4
    assert back.time_left_s == pytest.approx(1234.6)
    assert back.started == clock.now() - timedelta(minutes=3)  # when it began, not the save
    assert back.predicted == 0.61
    assert back.dropped == () and back.changed == ()
    assert back.answered == 3


def test_a_document_without_an_exam_writes_no_such_part():
    text = ProgressDocument.new().to_json()
    assert "exam_in_progress" not in text
    loaded = ProgressDocument.from_dict(json.loads(text))
    assert loaded.exam_in_progress is None
    assert (
        ProgressDocument.from_dict({"schema_version": 1, "exam_in_progress": None}).warnings == []
    )


def damaged_records(record: dict):
    def changed(path, value):
        bad = copy.deepcopy(record)
        target = bad
        for key in path[:-1]:
            target = target[key]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value
        return bad

    yield "a list", []
    yield "a string", "exam"
    yield "no questions", changed(("questions",), KeyError)
    yield "questions not a list", changed(("questions",), {"a": 1})
    yield "seed a string", changed(("seed",), "5")
    yield "seed true", changed(("seed",), True)
    yield "negative index", changed(("index",), -1)
    yield "time left NaN", changed(("time_left_s",), float("nan"))
    yield "time left negative", changed(("time_left_s",), -5)
    yield "time left infinite", changed(("time_left_s",), float("inf"))
    yield "started not a time", changed(("started",), "yesterday")
    yield "predicted above 1", changed(("predicted",), 1.5)
    yield "question not an object", changed(("questions", 0), "q")
    yield "qid missing", changed(("questions", 0, "qid"), KeyError)
    yield "order with a string", changed(("questions", 0, "order"), [0, "1"])
    yield "order repeats", changed(("questions", 0, "order"), [0, 0, 1, 2])
    yield "picked outside order", changed(("questions", 0, "picked"), [9])
    yield "marked a number", changed(("questions", 0, "marked"), 1)
    twice = copy.deepcopy(record)
    twice["questions"][1]["qid"] = twice["questions"][0]["qid"]
    yield "a question twice", twice


def test_damaged_exam_in_progress_is_refused_by_the_check(course, clock):
    record = sitting(course, clock)[3]
    for name, bad in damaged_records(record):
        with pytest.raises(ProgressStructureError) as caught:
            check_exam_in_progress(bad, "exam_in_progress")
        assert str(caught.value).startswith("exam_in_progress"), name


def test_a_damaged_exam_in_progress_is_dropped_with_a_warning_not_the_file(course, clock):
    record = sitting(course, clock)[3]
    for name, bad in damaged_records(record):
        # The rest of the file is kept (a flag: valid data the declaration accepts).
        raw = {"schema_version": 1, "flags": {"x": {"note": "keep"}}, "exam_in_progress": bad}
        doc = ProgressDocument.from_dict(raw)
        assert doc.exam_in_progress is None, name
        assert doc.flags == {"x": {"note": "keep"}}
        assert len(doc.warnings) == 1 and "exam in progress" in doc.warnings[0], name
        assert "exam_in_progress" not in doc.to_json()


def test_vanished_questions_are_dropped_and_changed_ones_cleared(tmp_path, clock):
    root = tmp_path / "course"
    write_course(root)
    course = load_content([root]).course
    paper, _, _, record = sitting(course, clock)
    qs = paper.questions
    gone, edited = qs[1], qs[0]
    # Edit the content: one question removed, one given a fifth choice.
    for bank in (root / "banks").iterdir():
        text = bank.read_text()
        start = text.find(f"  - id: {gone.id}\n")
        if start >= 0:
            end = text.find("  - id: ", start + 1)
            text = text[:start] + (text[end:] if end >= 0 else "")
        marker = f"  - id: {edited.id}\n"
        if marker in text:
            at = text.index("      - {text: Wrong answer three", text.index(marker))
            text = text[:at] + "      - {text: Wrong answer four, feedback: No.}\n" + text[at:]
        bank.write_text(text)
    changed_course = load_content([root]).course
    assert gone.id not in changed_course.by_id
    back = resume(changed_course, record)
    assert back.dropped == (gone.id,)
    assert back.changed == (edited.id,)
    assert [q.id for q in back.paper.questions] == [q.id for q in qs if q.id != gone.id]
    assert back.paper.orders[edited.id] == (0, 1, 2, 3, 4)
    assert edited.id not in back.answers and gone.id not in back.marked
    assert back.answers == {qs[4].id: {0, 2}}
    assert back.marked == {qs[7].id}
    assert back.index == 3  # still on the same question, one place earlier
    assert back.paper.length == 11


def test_record_exam_clears_the_exam_in_progress_in_the_same_save(course, clock):
    saves = []
    study = Study(
        course, ProgressDocument.new(), clock, save=lambda d: saves.append(json.loads(d.to_json()))
    )
    record = sitting(course, clock)[3]
    study.save_exam_in_progress(record)
    assert saves[-1]["exam_in_progress"] == record
    study.record_exam({"score": 0.5})
    assert "exam_in_progress" not in saves[-1] and saves[-1]["exams"] == [{"score": 0.5}]
    study.save_exam_in_progress(record)
    study.discard_exam_in_progress()
    assert "exam_in_progress" not in saves[-1]
    count = len(saves)
    study.discard_exam_in_progress()  # nothing to discard: no save
    assert len(saves) == count


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_value_is_refused_cleanly_or_resumes(course, clock, data):
    """Whatever a hand edit leaves in the part, loading never crashes: the check refuses it
    with ProgressStructureError, or it passes and the exam rebuilds."""
    record = sitting(course, clock)[3]
    key = data.draw(st.sampled_from([*record, "questions.0", "questions.0.order"]))
    value = data.draw(json_values)
    bad = copy.deepcopy(record)
    if key.startswith("questions."):
        _, index, *rest = key.split(".")
        if rest:
            bad["questions"][int(index)][rest[0]] = value
        else:
            bad["questions"][int(index)] = value
    else:
        bad[key] = value
    try:
        check_exam_in_progress(bad, "exam_in_progress")
    except ProgressStructureError:
        return
    back = resume(course, bad)
    assert 0 <= back.time_left_s <= back.paper.time_limit_s
    assert back.index < max(1, len(back.paper.questions))
