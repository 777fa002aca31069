"""Scenario groups in the practice exam: a scenario's parts are drawn together and shown
one after another in bank order, and every module still gets its blueprint share."""

from __future__ import annotations

import functools
import random
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from studyguide.course import load_content
from studyguide.course.model import Bank, Choice, Course, ExamSpec, Question, Scenario
from studyguide.engine.exam import allocate, assemble, draw_units, units_of
from studyguide.paths import bundled_content_dir


@functools.cache
def bundled() -> Course:
    result = load_content([bundled_content_dir()])
    assert not result.errors
    return result.course


def groups_of(course: Course) -> dict[tuple[str, str], list[str]]:
    """Each scenario's question ids, in bank order."""
    groups: dict[tuple[str, str], list[str]] = {}
    for q in course.questions:
        if q.scenario is not None:
            groups.setdefault((q.bank, q.scenario.id), []).append(q.id)
    return groups


def runs_of(paper) -> list[tuple[tuple[str, str], list[str]]]:
    """The paper as consecutive runs of the same scenario (None for a lone question)."""
    runs: list[tuple[tuple[str, str] | None, list[str]]] = []
    for q in paper.questions:
        key = (q.bank, q.scenario.id) if q.scenario is not None else None
        if key is not None and runs and runs[-1][0] == key:
            runs[-1][1].append(q.id)
        else:
            runs.append((key, [q.id]))
    return [(key, ids) for key, ids in runs if key is not None]


def check_paper(course: Course, spec: ExamSpec, length: int, paper) -> int:
    """Every property a paper must have; returns how many scenarios were cut short."""
    available = {m: len(course.module_questions(m)) for m in spec.blueprint}
    wanted = {m: n for m, n in allocate(spec.blueprint, length, available).items() if n}
    assert Counter(q.module for q in paper.questions) == wanted
    ids = [q.id for q in paper.questions]
    assert len(set(ids)) == len(ids)
    groups = groups_of(course)
    runs = runs_of(paper)
    # Each scenario shows up once, as one run: its parts are never split up.
    assert len({key for key, _ in runs}) == len(runs)
    cut = Counter()
    for key, run in runs:
        whole = groups[key]
        # The run is the scenario's first parts in bank order: all of them, or (the
        # documented rule) the first few when whole scenarios could not fill the places.
        assert run == whole[: len(run)], (run, whole)
        if len(run) < len(whole):
            cut[key[0]] += 1
    assert all(n == 1 for n in cut.values())  # at most one scenario cut short per module
    return sum(cut.values())


def test_bundled_scenarios_come_whole_and_in_bank_order():
    course = bundled()
    spec = course.exam
    for seed in range(60):
        for length in spec.lengths:
            paper = assemble(course, spec, length, seed)
            # The bundled banks hold enough lone questions that no scenario is ever cut.
            assert check_paper(course, spec, length, paper) == 0


def test_bundled_papers_do_include_scenarios():
    course = bundled()
    papers = [assemble(course, course.exam, 50, seed) for seed in range(10)]
    assert all(any(len(ids) >= 2 for _, ids in runs_of(p)) for p in papers)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), length=st.sampled_from([25, 50]))
def test_bundled_course_any_seed(seed, length):
    course = bundled()
    assert (
        check_paper(course, course.exam, length, assemble(course, course.exam, length, seed)) == 0
    )


# --- generated courses -----------------------------------------------------------


def question(module: str, n: int, scenario: Scenario | None) -> Question:
    return Question(
        id=f"{module}-q{n:02d}",
        type="single",
        prompt=f"Question {n}?",
        choices=(Choice("Right", True, None), Choice("Wrong", False, None)),
        explanation="Because.",
        lesson=f"{module}#s1",
        tags=(),
        module=module,
        bank=f"{module}-bank",
        scenario=scenario,
    )


@st.composite
def courses(draw):
    """Modules whose banks mix lone questions and scenarios of 1-5 parts, the parts of a
    scenario not always next to each other in the bank."""
    modules = [f"m{i}" for i in range(draw(st.integers(1, 4)))]
    banks = []
    for module in modules:
        sizes = draw(st.lists(st.integers(1, 5), max_size=5))
        scenarios = [Scenario(f"sc{i}", f"Scenario {i}.") for i in range(len(sizes))]
        slots: list[Scenario | None] = [
            s for s, size in zip(scenarios, sizes, strict=True) for _ in range(size)
        ]
        slots += [None] * draw(st.integers(0, 8))
        if not slots:
            slots = [None]
        slots = draw(st.permutations(slots))
        questions = tuple(question(module, n, s) for n, s in enumerate(slots))
        banks.append(Bank(f"{module}-bank", module, "Bank", tuple(scenarios), questions, Path()))
    weights = [draw(st.integers(1, 10)) for _ in modules]
    blueprint = {m: w / sum(weights) for m, w in zip(modules, weights, strict=True)}
    spec = ExamSpec("Practice", 20, (20,), 20, 0.7, blueprint, "Note.", Path())
    return Course(banks=tuple(banks), exam=spec)


@settings(max_examples=300, deadline=None)
@given(course=courses(), length=st.integers(1, 40), seed=st.integers(0, 2**31 - 1))
def test_generated_courses_keep_shares_and_scenarios(course, length, seed):
    paper = assemble(course, course.exam, length, seed)
    check_paper(course, course.exam, length, paper)
    assert paper.length + paper.shortfall == length
    assert paper == assemble(course, course.exam, length, seed)


def test_a_scenario_bigger_than_the_share_is_cut_to_its_first_parts():
    scenario = Scenario("big", "A long scenario.")
    questions = tuple(question("m1", n, scenario) for n in range(4))
    bank = Bank("m1-bank", "m1", "Bank", (scenario,), questions, Path())
    spec = ExamSpec("Practice", 2, (2,), 2, 0.7, {"m1": 1.0}, "Note.", Path())
    course = Course(banks=(bank,), exam=spec)
    for seed in range(5):
        paper = assemble(course, spec, 2, seed)
        assert [q.id for q in paper.questions] == ["m1-q00", "m1-q01"]


def test_without_scenarios_the_draw_is_the_plain_sample():
    """Papers of a course without scenarios are the ones drawn before scenarios were kept
    together, so a recorded attempt's seed still reproduces its paper."""
    questions = [question("m1", n, None) for n in range(30)]
    for seed in range(20):
        for count in (0, 1, 5, 29, 30):
            mine, plain = random.Random(seed), random.Random(seed)
            drawn = [unit[0] for unit in draw_units(mine, units_of(questions), count)]
            assert drawn == plain.sample(questions, count)
            assert mine.random() == plain.random()  # the same randomness used up
