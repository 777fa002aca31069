"""Readiness: the score the learner would likely get on the practice exam now.

Method, stated to the learner with the figure:
- a question already studied counts with its chance of a right answer now: FSRS
  retrievability R, plus the chance of guessing right when it is forgotten
  (1/number of choices for single and true/false questions, none for multiple);
- an unstudied question counts with a prior: the learner's own share of right first
  answers to new questions, shrunk towards 50% by 10 pseudo-answers (50% with no history);
- module means are weighted by the exam blueprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from studyguide.engine.study import Study

PRIOR_MEAN = 0.5
PRIOR_WEIGHT = 10


@dataclass(frozen=True)
class Readiness:
    estimate: float  # expected share of exam questions right now
    pass_mark: float
    per_module: dict[str, float]
    studied_share: float  # share of exam-pool questions studied at least once
    prior: float  # the chance used for unstudied questions
    method: str

    @property
    def likely_pass(self) -> bool:
        return self.estimate >= self.pass_mark


def first_answer_prior(study: Study) -> float:
    firsts = [e["correct"] for e in study.doc.log if e.get("new")]
    return (sum(firsts) + PRIOR_MEAN * PRIOR_WEIGHT) / (len(firsts) + PRIOR_WEIGHT)


def chance_right(study: Study, question, now: datetime) -> float:
    recall = study.retrievability(question.id, now)
    guess = 0.0 if question.type == "multiple" else 1 / len(question.choices)
    return recall + (1 - recall) * guess


def readiness(study: Study, now: datetime | None = None) -> Readiness | None:
    spec = study.course.exam
    if spec is None:
        return None
    now = now or study.clock.now()
    prior = first_answer_prior(study)
    per_module: dict[str, float] = {}
    studied = pool = 0
    for module in spec.blueprint:
        questions = study.course.module_questions(module)
        if not questions:
            continue
        chances = []
        for question in questions:
            if question.id in study.doc.cards:
                studied += 1
                chances.append(chance_right(study, question, now))
            else:
                chances.append(prior)
        pool += len(questions)
        per_module[module] = sum(chances) / len(chances)
    weight = sum(spec.blueprint[m] for m in per_module)
    estimate = sum(spec.blueprint[m] * v for m, v in per_module.items()) / weight if weight else 0
    method = (
        f"Blueprint-weighted average over {pool} exam questions. Studied ones "
        f"({studied}) count with FSRS's recall probability now plus the chance of a lucky "
        f"guess; unstudied ones count as {prior:.0%}, your share of right first answers "
        "blended with 50%."
    )
    return Readiness(
        estimate, spec.pass_mark, per_module, studied / pool if pool else 0.0, prior, method
    )


def calibration(study: Study) -> list[tuple[float, float]]:
    """(predicted at the start, actual score) of every finished exam attempt."""
    return [
        (a["predicted"], a["score"])
        for a in study.doc.exams
        if a.get("predicted") is not None and a.get("score") is not None
    ]
