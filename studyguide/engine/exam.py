"""The practice exam: assemble from the blueprint, score, and record the attempt.

Exam answers never touch the FSRS schedule: an attempt is stored in `exams`, not the
review log, so sitting a practice exam cannot disturb what is due.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from studyguide.course.model import Course, ExamSpec, Question
from studyguide.engine.study import grade


@dataclass(frozen=True)
class ExamPaper:
    seed: int
    length: int
    time_limit_s: int
    questions: tuple[Question, ...]
    # Per question, the order its choices are shown in (indexes into question.choices).
    orders: dict[str, tuple[int, ...]] = field(repr=False)
    shortfall: int = 0  # questions the blueprint wanted but the modules could not supply


@dataclass(frozen=True)
class ModuleScore:
    module: str
    right: int
    total: int

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass(frozen=True)
class ExamResult:
    right: int
    total: int
    pass_mark: float
    per_module: tuple[ModuleScore, ...]
    wrong: tuple[Question, ...]
    unanswered: int

    @property
    def score(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark


def allocate(blueprint: dict[str, float], length: int, available: dict[str, int]) -> dict[str, int]:
    """Questions per module: largest remainder of share × length, capped by what exists.

    When a module has too few questions, its unfilled places go to the other modules in
    proportion to their shares, so the paper still has `length` questions if it can.
    """
    counts = {m: 0 for m in blueprint}
    open_modules = [m for m in blueprint if available.get(m, 0) > 0 and blueprint[m] > 0]
    remaining = min(length, sum(available.get(m, 0) for m in open_modules))
    while remaining > 0 and open_modules:
        total_share = sum(blueprint[m] for m in open_modules)
        exact = {m: remaining * blueprint[m] / total_share for m in open_modules}
        give = {m: int(exact[m]) for m in open_modules}
        leftover = remaining - sum(give.values())
        by_fraction = sorted(open_modules, key=lambda m: (-(exact[m] - give[m]), m))
        for m in by_fraction[:leftover]:
            give[m] += 1
        for m in open_modules:
            take = min(give[m], available[m] - counts[m])
            counts[m] += take
            remaining -= take
        open_modules = [m for m in open_modules if counts[m] < available[m]]
    return counts


def units_of(questions: Iterable[Question]) -> list[tuple[Question, ...]]:
    """The questions as draw units: each scenario's parts together, in bank order, and
    every other question on its own. A unit sits where its first part is."""
    units: list[list[Question]] = []
    by_scenario: dict[tuple[str, str], list[Question]] = {}
    for question in questions:
        if question.scenario is None:
            units.append([question])
            continue
        key = (question.bank, question.scenario.id)
        group = by_scenario.get(key)
        if group is None:
            group = by_scenario[key] = []
            units.append(group)
        group.append(question)
    return [tuple(unit) for unit in units]


def draw_units(
    rng: random.Random, units: list[tuple[Question, ...]], count: int
) -> list[tuple[Question, ...]]:
    """Units holding exactly `count` questions (or all there are), drawn at random.

    Whole units are taken in a random order, skipping any too big for the places left.
    Only when whole units cannot fill the places does one scenario go in cut short: its
    first parts in bank order, so a follow-up never appears without the part before it.
    Without scenarios this draws exactly what `rng.sample(questions, count)` draws.
    """
    remaining = min(count, sum(len(u) for u in units))
    first = rng.sample(range(len(units)), min(remaining, len(units)))
    chosen: list[tuple[Question, ...]] = []
    skipped: list[int] = []

    def take(order: list[int]) -> int:
        left = remaining
        for i in order:
            if left == 0:
                break
            if len(units[i]) <= left:
                chosen.append(units[i])
                left -= len(units[i])
            else:
                skipped.append(i)
        return left

    remaining = take(first)
    if remaining:
        drawn = set(first)
        rest = [i for i in range(len(units)) if i not in drawn]
        remaining = take(rng.sample(rest, len(rest)))
    if remaining:
        chosen.append(units[skipped[0]][:remaining])
    return chosen


def assemble(course: Course, spec: ExamSpec, length: int, seed: int) -> ExamPaper:
    """Draw a paper reproducibly: the same course, spec, length and seed give the same paper.

    Each module gets its blueprint share (`allocate`). A scenario's parts are drawn as a
    unit and shown one after another in bank order (see `draw_units`).
    """
    rng = random.Random(seed)
    pools = {m: [q for q in course.questions if q.module == m] for m in spec.blueprint}
    counts = allocate(spec.blueprint, length, {m: len(p) for m, p in pools.items()})
    drawn: list[tuple[Question, ...]] = []
    for module in spec.blueprint:
        drawn += draw_units(rng, units_of(pools[module]), counts[module])
    rng.shuffle(drawn)
    chosen = [question for unit in drawn for question in unit]
    orders = {}
    for question in chosen:
        order = list(range(len(question.choices)))
        if question.shuffle:
            rng.shuffle(order)
        orders[question.id] = tuple(order)
    return ExamPaper(
        seed=seed,
        length=len(chosen),
        time_limit_s=spec.time_limit_seconds(length),
        questions=tuple(chosen),
        orders=orders,
        shortfall=length - len(chosen),
    )


def score(paper: ExamPaper, answers: dict[str, frozenset[int]], pass_mark: float) -> ExamResult:
    """Score a paper. An unanswered question counts as wrong."""
    per_module: dict[str, list[int]] = {}
    wrong: list[Question] = []
    right = 0
    for question in paper.questions:
        tally = per_module.setdefault(question.module, [0, 0])
        tally[1] += 1
        picked = answers.get(question.id)
        if picked and grade(question, picked):
            right += 1
            tally[0] += 1
        else:
            wrong.append(question)
    return ExamResult(
        right=right,
        total=len(paper.questions),
        pass_mark=pass_mark,
        per_module=tuple(ModuleScore(m, r, t) for m, (r, t) in per_module.items()),
        wrong=tuple(wrong),
        unanswered=sum(1 for q in paper.questions if not answers.get(q.id)),
    )


def attempt_record(
    paper: ExamPaper,
    answers: dict[str, frozenset[int]],
    result: ExamResult,
    started: datetime,
    finished: datetime,
    timed_out: bool,
    predicted: float | None,
) -> dict:
    """The attempt as stored in the progress file, with every answer chosen."""
    wrong = {q.id for q in result.wrong}
    return {
        "started": started.isoformat(),
        "finished": finished.isoformat(),
        "seed": paper.seed,
        "length": paper.length,
        "time_limit_s": paper.time_limit_s,
        "timed_out": timed_out,
        "predicted": predicted,
        "score": round(result.score, 4),
        "right": result.right,
        "total": result.total,
        "pass_mark": result.pass_mark,
        "passed": result.passed,
        "per_module": {s.module: [s.right, s.total] for s in result.per_module},
        "answers": [
            {
                "qid": q.id,
                "picked": [q.choices[i].text for i in sorted(answers.get(q.id, ()))],
                "correct": q.id not in wrong,
            }
            for q in paper.questions
        ],
    }
