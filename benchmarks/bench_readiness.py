"""How close is the readiness estimate to the score a learner then gets? Simulated learners.

Each simulated learner has a known memory, deliberately *not* FSRS's own model, so the
benchmark cannot flatter FSRS:
- an ability a ~ N(0, 1); each question a difficulty d ~ N(0, 0.7);
- before study, the learner knows a question with probability sigmoid(a - d - 1), and
  otherwise guesses (one choice of n; one non-empty set of 2^n - 1 for several-answer);
- after the first exposure (the answer and its feedback), the memory has a stability
  S = m exp(0.5a - 0.5d) days (three times that if the learner already knew it), and the
  chance of recall t days later is 0.9^(t / S): exponential forgetting, where FSRS
  assumes a power law;
- a memory strength m ~ U(0.5, 2) scales S, and a recall multiplies S by
  1 + 15 m exp(0.3a - 0.3d)(1 - R) (spacing: about 2.5 times at R = 0.9, hardly any growth
  when R was still high); a lapse divides S by 2.5 (never below an hour).

FSRS's own parameters are left at their defaults, as the app uses them.

Each learner studies for 0 to 30 days (skipping some at random, with the app's default
daily limits) through the real `ReviewSession` and `Study`, one sitting a day, 20 seconds
an answer and the learning steps coming back as in the app. One to three days after the
last sitting, it sits a real assembled 50-question exam (`engine.exam.assemble`), answering
every question from its true memory. Before the exam, `readiness` gives its estimate.

Reported: mean absolute error (MAE) between the estimate and the exam score, overall and
for the learners the app would show a number to (enough evidence), against the score
sat (which carries the binomial noise of 50 questions, about 6 points) and against the
learner's true expected score (the mean of its true chances over the paper). The old
method (a 50% prior for unstudied questions) is scored alongside for comparison.

Run:  python benchmarks/bench_readiness.py [--quick] [--learners N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyguide.course import load_content
from studyguide.engine import readiness as method
from studyguide.engine.clock import FrozenClock
from studyguide.engine.exam import assemble, score
from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import Study
from studyguide.paths import bundled_content_dir
from studyguide.progress import ProgressDocument

SECONDS_PER_ANSWER = 20
EXAM_LENGTH = 50
DAY = 86400.0


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


@dataclass
class Memory:
    stability: float  # days
    last: datetime


@dataclass
class Learner:
    """A learner whose chance of a right answer is known at every moment."""

    ability: float
    strength: float  # how well this learner's memories last, 0.5 (weak) to 2 (strong)
    difficulty: dict[str, float]
    rng: random.Random
    memory: dict[str, Memory] = field(default_factory=dict)

    def knows_before_study(self, qid: str) -> float:
        return sigmoid(self.ability - self.difficulty[qid] - 1)

    def recall(self, qid: str, now: datetime) -> float:
        memory = self.memory.get(qid)
        if memory is None:
            return self.knows_before_study(qid)
        days = max((now - memory.last).total_seconds(), 0) / DAY
        return 0.9 ** (days / memory.stability)

    def chance(self, question, now: datetime) -> float:
        recall = self.recall(question.id, now)
        return recall + (1 - recall) * method.guess_chance(question)

    def answer(self, question, now: datetime) -> list[int]:
        """The picked choices: the right ones when remembered (or lucky), else a guess."""
        qid = question.id
        recalled = self.rng.random() < self.recall(qid, now)
        n = len(question.choices)
        if recalled:
            picked = sorted(question.correct_indexes)
        elif question.type == "multiple":
            picked = []
            while not picked:
                picked = [i for i in range(n) if self.rng.random() < 0.5]
        else:
            picked = [self.rng.randrange(n)]
        self._learn(qid, now, recalled)
        return picked

    def _learn(self, qid: str, now: datetime, recalled: bool) -> None:
        a, d = self.ability, self.difficulty[qid]
        memory = self.memory.get(qid)
        if memory is None:
            base = self.strength * math.exp(0.5 * a - 0.5 * d)
            self.memory[qid] = Memory(base * (3 if recalled else 1), now)
            return
        if recalled:
            r = self.recall(qid, now)
            memory.stability *= 1 + 15 * self.strength * math.exp(0.3 * a - 0.3 * d) * (1 - r)
        else:
            memory.stability = max(memory.stability / 2.5, 1 / 24)
        memory.last = now


def old_estimate(study: Study, now: datetime) -> float:
    """The method before issue 9: unstudied questions at a 50%-shrunk first-answer prior."""
    firsts = [e["correct"] for e in study.doc.log if e.get("new")]
    prior = (sum(firsts) + 0.5 * 10) / (len(firsts) + 10)
    spec = study.course.exam
    per_module = {}
    for module in spec.blueprint:
        questions = study.course.module_questions(module)
        if questions:
            chances = [
                method.chance_right(study, q, now) if q.id in study.doc.cards else prior
                for q in questions
            ]
            per_module[module] = sum(chances) / len(chances)
    weight = sum(spec.blueprint[m] for m in per_module)
    return sum(spec.blueprint[m] * v for m, v in per_module.items()) / weight


def simulate(course, index: int) -> dict:
    random.seed(index)  # FSRS fuzzes intervals with the global generator
    rng = random.Random(index)
    qrng = random.Random(0)  # the same question difficulties for every learner
    difficulty = {q.id: qrng.gauss(0, 0.7) for q in course.questions}
    learner = Learner(rng.gauss(0, 1), rng.uniform(0.5, 2.0), difficulty, rng)
    start = datetime(2026, 3, 2, 13, 0, tzinfo=UTC) + timedelta(minutes=rng.randrange(600))
    clock = FrozenClock(start)
    study = Study(course, ProgressDocument.new(), clock)
    days = rng.choice((0, 1, 2, 3, 5, 7, 10, 14, 21, 30))
    skip = rng.choice((0.0, 0.2, 0.5))
    for day in range(days):
        if rng.random() < skip:
            continue
        clock.current = start + timedelta(days=day, minutes=rng.randrange(-60, 240))
        session = ReviewSession(study)
        while (question := session.next()) is not None:
            picked = learner.answer(question, clock.now())
            session.answer(question, picked, SECONDS_PER_ANSWER * 1000)
            clock.advance(seconds=SECONDS_PER_ANSWER)
    clock.current = start + timedelta(days=days + rng.randint(1, 3))
    now = clock.now()
    ready = method.readiness(study, now)
    paper = assemble(course, course.exam, EXAM_LENGTH, seed=index)
    expected = statistics.fmean(learner.chance(q, now) for q in paper.questions)
    answers = {q.id: frozenset(learner.answer(q, now)) for q in paper.questions}
    result = score(paper, answers, course.exam.pass_mark)
    return {
        "days": days,
        "answers": ready.answers,
        "studied_share": ready.studied_share,
        "enough": ready.enough_evidence,
        "predicted": ready.estimate,
        "old_predicted": old_estimate(study, now),
        "actual": result.score,
        "expected": expected,
    }


def mae(rows: list[dict], key: str, against: str) -> float | None:
    return statistics.fmean(abs(r[key] - r[against]) for r in rows) if rows else None


def bias(rows: list[dict], key: str, against: str) -> float | None:
    return statistics.fmean(r[key] - r[against] for r in rows) if rows else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="40 learners (a rough check)")
    parser.add_argument("--learners", type=int, default=None)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    learners = args.learners or (40 if args.quick else 200)
    course = load_content([bundled_content_dir()]).course
    began = time.perf_counter()
    rows = [simulate(course, i) for i in range(learners)]
    shown = [r for r in rows if r["enough"]]
    hidden = [r for r in rows if not r["enough"]]
    figures = {
        "learners": learners,
        "shown": len(shown),
        "mae_vs_score_all": mae(rows, "predicted", "actual"),
        "mae_vs_score_shown": mae(shown, "predicted", "actual"),
        "mae_vs_expected_all": mae(rows, "predicted", "expected"),
        "mae_vs_expected_shown": mae(shown, "predicted", "expected"),
        "bias_vs_score_shown": bias(shown, "predicted", "actual"),
        "mae_vs_score_hidden": mae(hidden, "predicted", "actual"),
        "old_mae_vs_score_all": mae(rows, "old_predicted", "actual"),
        "old_mae_vs_score_hidden": mae(hidden, "old_predicted", "actual"),
        "old_mae_vs_score_shown": mae(shown, "old_predicted", "actual"),
        "noise_score_vs_expected": mae(rows, "actual", "expected"),
        "seconds": time.perf_counter() - began,
    }
    print(f"{learners} simulated learners, {len(shown)} with enough evidence for a figure")
    for key, value in figures.items():
        if key.startswith(("mae", "old", "bias", "noise")) and value is not None:
            print(f"  {key:28} {value * 100:5.1f} points")
    print(f"  ({figures['seconds']:.0f} s)")
    if args.json:
        Path(args.json).write_text(json.dumps({**figures, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
