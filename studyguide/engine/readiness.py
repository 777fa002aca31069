"""Readiness: the score the learner would likely get on the practice exam now.

Method, stated to the learner with the figure:
- a question already studied counts with its chance of a right answer now: FSRS
  retrievability R, scaled by the learner's own true retention over the desired retention
  (`recall_scale`, shrunk towards 1 by RETENTION_WEIGHT pseudo-reviews), plus the chance
  of guessing right when it is forgotten
  (`guess_chance`: 1/number of choices, or one in 2^n - 1 for a several-answer question);
- an unstudied question counts with a prior that starts at its guessing chance and moves
  towards the learner's own share of right first answers as first answers accumulate
  (PRIOR_WEIGHT pseudo-answers at the guessing chance);
- module means are weighted by the exam blueprint;
- with too little evidence (fewer than MIN_ANSWERS answers to exam questions, or under
  MIN_STUDIED_SHARE of the exam pool studied) no number is shown, only what is needed.

`benchmarks/bench_readiness.py` measures the method against simulated learners; the
figures are in docs/performance.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from studyguide.course.model import Question
from studyguide.engine.retention import true_retention
from studyguide.engine.study import Study

PRIOR_WEIGHT = 10
# FSRS's recall for studied questions is scaled by the learner's own true retention over
# the desired retention, shrunk towards 1 by this many pseudo-reviews.
RETENTION_WEIGHT = 20
MIN_ANSWERS = 20
MIN_STUDIED_SHARE = 0.10


@dataclass(frozen=True)
class Readiness:
    estimate: float  # expected share of exam questions right now (the model's number)
    pass_mark: float
    per_module: dict[str, float]
    studied_share: float  # share of exam-pool questions studied at least once
    prior: float  # mean chance used for the unstudied questions
    method: str
    answers: int = 0  # answers logged to questions of the exam pool
    studied: int = 0  # exam-pool questions studied at least once
    pool: int = 0  # questions in the exam pool

    @property
    def enough_evidence(self) -> bool:
        return self.answers >= MIN_ANSWERS and self.studied >= studied_needed(self.pool)

    @property
    def shown(self) -> float | None:
        """The estimate to show, or None while there is not enough evidence for one."""
        return self.estimate if self.enough_evidence else None

    @property
    def likely_pass(self) -> bool:
        return self.enough_evidence and self.estimate >= self.pass_mark

    @property
    def needed(self) -> str:
        """What is missing before an estimate is shown, in words ("" when nothing is)."""
        wants = []
        if self.answers < MIN_ANSWERS:
            more = MIN_ANSWERS - self.answers
            wants.append(f"{more} more answer{'s' * (more != 1)}")
        wanted = studied_needed(self.pool)
        if self.studied < wanted:
            wants.append(f"{wanted - self.studied} more of the {self.pool} exam questions studied")
        return " and ".join(wants)


def studied_needed(pool: int) -> int:
    """Exam-pool questions to study before an estimate is shown (at least one)."""
    return max(1, math.ceil(pool * MIN_STUDIED_SHARE - 1e-9))


def guess_chance(question: Question) -> float:
    """The chance of a right answer by guessing: one choice of n, or for a several-answer
    question one non-empty set of 2^n - 1."""
    n = len(question.choices)
    if question.type == "multiple":
        return 1 / (2**n - 1)
    return 1 / n


def first_answers(study: Study) -> tuple[int, int]:
    """(right, all) first answers to new questions."""
    firsts = [e["correct"] for e in study.doc.log if e.get("new")]
    return sum(firsts), len(firsts)


def prior_chance(question: Question, right: int, total: int) -> float:
    """The unstudied question's chance: its guessing chance, moved towards the learner's
    share of right first answers as first answers accumulate."""
    return (right + PRIOR_WEIGHT * guess_chance(question)) / (total + PRIOR_WEIGHT)


def recall_scale(study: Study, now: datetime) -> float:
    """How the learner's reviews of learned questions compare with what FSRS expects:
    their true retention over the desired retention (FSRS schedules each review for when
    recall falls to the desired retention), shrunk towards 1 by RETENTION_WEIGHT."""
    desired = float(study.settings["desired_retention"])
    retention, reviews = true_retention(study, now)
    if retention is None:
        return 1.0
    shrunk = (retention * reviews + desired * RETENTION_WEIGHT) / (reviews + RETENTION_WEIGHT)
    return shrunk / desired


def chance_right(study: Study, question: Question, now: datetime, scale: float = 1.0) -> float:
    recall = min(1.0, study.retrievability(question.id, now) * scale)
    return recall + (1 - recall) * guess_chance(question)


def method_text(pool: int, studied: int, prior: float, scale: float = 1.0) -> str:
    return (
        f"Blueprint-weighted average over {pool} exam questions. Studied ones "
        f"({studied}) count with FSRS's recall probability now, scaled by {scale:.2f} (your "
        "true retention against the desired one), plus the chance of a lucky "
        f"guess; unstudied ones count as {prior:.0%}: the chance of guessing, moved towards "
        "your share of right first answers as you answer more. No figure is shown before "
        f"{MIN_ANSWERS} answers and {MIN_STUDIED_SHARE:.0%} of the exam questions studied. "
        "Checked against simulated learners: see docs/performance.md."
    )


def readiness(study: Study, now: datetime | None = None) -> Readiness | None:
    spec = study.course.exam
    if spec is None:
        return None
    now = now or study.clock.now()
    right, total = first_answers(study)
    scale = recall_scale(study, now)
    per_module: dict[str, float] = {}
    studied = pool = 0
    priors: list[float] = []
    pool_ids: set[str] = set()
    for module in spec.blueprint:
        questions = study.course.module_questions(module)
        if not questions:
            continue
        chances = []
        for question in questions:
            pool_ids.add(question.id)
            if question.id in study.doc.cards:
                studied += 1
                chances.append(chance_right(study, question, now, scale))
            else:
                chance = prior_chance(question, right, total)
                priors.append(chance)
                chances.append(chance)
        pool += len(questions)
        per_module[module] = sum(chances) / len(chances)
    weight = sum(spec.blueprint[m] for m in per_module)
    estimate = sum(spec.blueprint[m] * v for m, v in per_module.items()) / weight if weight else 0
    prior = sum(priors) / len(priors) if priors else 0.0
    answers = sum(1 for e in study.doc.log if e["qid"] in pool_ids)
    return Readiness(
        estimate,
        spec.pass_mark,
        per_module,
        studied / pool if pool else 0.0,
        prior,
        method_text(pool, studied, prior, scale),
        answers,
        studied,
        pool,
    )


def calibration(study: Study) -> list[tuple[float, float]]:
    """(predicted at the start, actual score) of every finished exam attempt."""
    return [
        (a["predicted"], a["score"])
        for a in study.doc.exams
        if a.get("predicted") is not None and a.get("score") is not None
    ]
