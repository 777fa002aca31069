"""An exam being sat, as saved in the progress file, so a crash does not lose it.

The record holds the paper (question ids and the order each question's choices are
shown in), the answers, the marks, where the learner was and the time left. It lives
in the progress file's optional `exam_in_progress` part until the exam is submitted
or abandoned; it never touches the review schedule.
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from datetime import datetime

from studyguide.course.model import Course
from studyguide.engine.clock import parse_time
from studyguide.engine.exam import ExamPaper


def in_progress_record(
    paper: ExamPaper,
    answers: Mapping[str, Set[int]],
    marked: Set[str],
    index: int,
    time_left_s: float,
    started: datetime,
    saved: datetime,
    predicted: float | None,
) -> dict:
    """The exam as stored under `exam_in_progress` (checked by
    `progress.schema.check_exam_in_progress`)."""
    return {
        "seed": paper.seed,
        "length": paper.length,
        "time_limit_s": paper.time_limit_s,
        "shortfall": paper.shortfall,
        "started": started.isoformat(),
        "saved": saved.isoformat(),
        "time_left_s": round(max(0.0, time_left_s), 1),
        "predicted": predicted,
        "index": index,
        "questions": [
            {
                "qid": q.id,
                "order": list(paper.orders[q.id]),
                "picked": sorted(answers.get(q.id, ())),
                "marked": q.id in marked,
            }
            for q in paper.questions
        ],
    }


@dataclass(frozen=True)
class ResumedExam:
    paper: ExamPaper
    answers: dict[str, set[int]]
    marked: set[str]
    index: int
    time_left_s: float
    started: datetime
    predicted: float | None
    dropped: tuple[str, ...]  # ids no longer in the content: left out of the paper
    changed: tuple[str, ...]  # ids whose choices changed in number: their answers cleared

    @property
    def answered(self) -> int:
        return sum(1 for picked in self.answers.values() if picked)

    def attempt_keys(self) -> dict:
        """What the attempt record adds when the exam was resumed."""
        keys: dict = {"resumed": True}
        if self.dropped:
            keys["dropped"] = list(self.dropped)
        return keys


def resume(course: Course, record: dict) -> ResumedExam:
    """Rebuild the exam from its record over the content loaded now.

    A question no longer in the content is dropped from the paper. A question whose
    number of choices changed is shown in file order with its answer cleared (the old
    choice numbers would point at other choices).
    """
    questions, orders, answers, marked = [], {}, {}, set()
    dropped, changed = [], []
    position = record["index"]
    index = 0
    for n, item in enumerate(record["questions"]):
        question = course.by_id.get(item["qid"])
        if question is None:
            dropped.append(item["qid"])
            continue
        if n <= position:
            index = len(questions)
        order = tuple(item["order"])
        picked = set(item["picked"])
        if sorted(order) != list(range(len(question.choices))):
            changed.append(question.id)
            order, picked = tuple(range(len(question.choices))), set()
        questions.append(question)
        orders[question.id] = order
        if picked:
            answers[question.id] = picked
        if item["marked"]:
            marked.add(question.id)
    paper = ExamPaper(
        seed=record["seed"],
        length=len(questions),
        time_limit_s=record["time_limit_s"],
        questions=tuple(questions),
        orders=orders,
        shortfall=record["shortfall"],
    )
    return ResumedExam(
        paper=paper,
        answers=answers,
        marked=marked,
        index=index,
        time_left_s=min(float(record["time_left_s"]), float(record["time_limit_s"])),
        started=parse_time(record["started"]),
        predicted=record.get("predicted"),
        dropped=tuple(dropped),
        changed=tuple(changed),
    )
