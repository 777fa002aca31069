"""The engine across a content reload: grading uses the question shown, the session queue
follows the new course. Real YAML files in tmp_path, loaded again after each edit."""

from __future__ import annotations

import pytest
from fsrs import Rating

from studyguide.course import load_content
from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import Study
from studyguide.progress.document import ProgressDocument
from tests.factories import right, write_course


@pytest.fixture
def root(tmp_path):
    path = tmp_path / "course"
    write_course(path)
    return path


def load(root):
    return load_content([root]).course


def bank(root, module):
    return next((root / "banks").glob(f"*{module}.yaml"))


def reorder_first_question(root):
    """m1-q01's right answer moves from first to last in the file."""
    path = bank(root, "m1")
    text = path.read_text()
    right_line = "      - {text: Right answer, correct: true, feedback: Yes.}\n"
    last = "      - {text: Wrong answer three, feedback: No.}\n"
    head, sep, rest = text.partition("  - id: m1-q02\n")
    head = head.replace(right_line, "").replace(last, last + right_line)
    path.write_text(head + sep + rest)


def break_bank(root, module):
    path = bank(root, module)
    path.write_text(path.read_text() + "  - id: [unclosed\n")


@pytest.fixture
def study(root, clock):
    return Study(load(root), ProgressDocument.new(), clock)


def test_an_answer_is_graded_against_the_question_shown(root, study):
    shown = study.course.by_id["m1-q01"]
    reorder_first_question(root)
    study.course = load(root)
    assert study.course.by_id["m1-q01"].correct_indexes == {3}
    result = study.answer(shown, right(shown), 1000)
    assert result.correct and result.rating == Rating.Good and result.question is shown
    entry = study.doc.log[-1]
    assert entry["picked"] == ["Right answer"] and entry["correct"]


def test_an_id_is_graded_against_the_current_course(root, study):
    reorder_first_question(root)
    study.course = load(root)
    assert study.answer("m1-q01", [3], 1000).correct


def test_rerating_uses_the_question_answered_even_when_it_is_gone(root, study):
    shown = study.course.by_id["m1-q01"]
    study.answer(shown, right(shown), 1000)
    break_bank(root, "m1")
    study.course = load(root)
    assert "m1-q01" not in study.course.by_id
    result = study.rate_last(Rating.Easy, shown)
    assert result.rating == Rating.Easy and study.doc.log[-1]["picked"] == ["Right answer"]
    assert len(study.doc.log) == 1


def test_rerating_a_removed_question_without_it_says_so(root, study):
    shown = study.course.by_id["m1-q01"]
    study.answer(shown, right(shown), 1000)
    break_bank(root, "m1")
    study.course = load(root)
    with pytest.raises(LookupError, match=r"m1-q01.*no longer in the content"):
        study.rate_last(Rating.Easy)
    assert study.doc.log[-1]["rating"] == Rating.Good  # nothing was undone


def test_answering_a_removed_question_by_id_says_so(root, study):
    break_bank(root, "m1")
    study.course = load(root)
    with pytest.raises(LookupError, match="no longer in the content"):
        study.answer("m1-q01", [0], 100)
    assert study.doc.log == []


def test_session_drops_removed_questions_and_goes_on(root, study):
    session = ReviewSession(study)
    first = session.next()
    session.answer(first, right(first), 1000)
    assert session.remaining == 15  # 14 new, and the first back in a learning step
    break_bank(root, "m1")
    study.course = load(root)
    session.content_changed()
    # The nine m1 questions left are gone; the new limit is filled from m2 and m3.
    asked = []
    while (question := session.next()) is not None and len(asked) < 60:
        asked.append(question.id)
        session.answer(question, right(question), 1000)
    assert asked and not any(qid.startswith("m1-") for qid in asked)
    assert {q for q in asked if q.startswith("m3-")} == {"m3-q01", "m3-q02", "m3-q03", "m3-q04"}
    assert len(set(asked)) == 14


def test_session_asks_changed_questions_in_their_new_version(root, study):
    session = ReviewSession(study)
    shown = session.next()
    assert shown.id == "m1-q01"
    path = bank(root, "m1")
    path.write_text(path.read_text().replace("Question 2 of m1?", "Question two, edited?"))
    study.course = load(root)
    session.content_changed()
    session.answer(shown, right(shown), 1000)
    assert session.next().prompt == "Question two, edited?"


def test_session_takes_back_a_fixed_bank_but_not_the_question_on_screen(root, study):
    session = ReviewSession(study)
    path = bank(root, "m2")
    good = path.read_text()
    break_bank(root, "m2")
    study.course = load(root)
    session.content_changed()
    shown = session.next()
    path.write_text(good)
    study.course = load(root)
    session.content_changed()
    queued = [session.next().id for _ in range(session.remaining)]
    assert shown.id not in queued and len(queued) == len(set(queued)) == 14
    assert "m2-q01" in queued


def test_session_keeps_the_learning_queue_of_questions_that_remain(root, study):
    session = ReviewSession(study)
    first = session.next()
    session.answer(first, [1], 1000)  # wrong: back in a learning step
    second = session.next()
    session.answer(second, [1], 1000)
    break_bank(root, "m1")
    study.course = load(root)
    session.content_changed()
    # m1's two in learning and eight new are gone; 13 of today's 15 new are left.
    assert session.remaining == 13
    while (question := session.next()) is not None:
        assert question.module != "m1"
        session.answer(question, right(question), 1000)


def test_answering_the_shown_question_after_its_bank_broke_records_it(root, study):
    """A key pressed between the reload and the screen's redraw still grades what was shown."""
    shown = study.course.by_id["m1-q01"]
    break_bank(root, "m1")
    study.course = load(root)
    result = study.answer(shown, right(shown), 800)
    assert result.correct and study.doc.log[-1]["qid"] == "m1-q01"
    assert study.doc.log[-1]["picked"] == ["Right answer"]
