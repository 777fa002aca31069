"""The test-wise benchmark: its solvers on content with known cues, and the script itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import bench_testwise as bt
from studyguide.course.loader import load_content
from studyguide.paths import bundled_content_dir
from tests.item_content import write_content

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "bench_testwise.py"


def figures_for(tmp_path: Path, modules: dict[str, list[dict]]) -> dict:
    root = write_content(tmp_path / "content", modules)
    assert not load_content([root]).errors
    return bt.measure([root])


# Lengths 12, 24, 36 and 48 characters, free of absolutes, hedges and shared words.
LEN = ["a" * 12, "b" * 24, "c" * 36, "d" * 48]


def second_longest_bank(count: int) -> list[dict]:
    return [{"choices": LEN, "key": 2} for _ in range(count)]


def test_key_always_second_longest(tmp_path):
    figures = figures_for(tmp_path, {"m1": second_longest_bank(12)})
    solvers = figures["overall"]["solvers"]
    assert figures["overall"]["questions"] == 12
    assert figures["overall"]["chance"] == pytest.approx(25.0)
    assert solvers["second-longest"] == pytest.approx(100.0)
    assert solvers["longest"] == pytest.approx(0.0)
    assert solvers["shortest"] == pytest.approx(0.0)
    assert figures["overall"]["key_length_rank"] == pytest.approx(
        {"longest": 0.0, "2nd": 100.0, "3rd": 0.0, "shortest": 0.0}
    )
    goal = figures["goal"]
    assert not goal["met"]
    assert goal["worst_solver"] == "second-longest"
    assert goal["worst_module"] == "m1"
    assert goal["worst_module_excess_points"] == pytest.approx(75.0)


def test_key_length_rank_varies_evenly(tmp_path):
    # The key at each rank in turn: every length solver scores chance exactly.
    bank = [{"choices": LEN, "key": k} for k in (0, 1, 2, 3) * 3]
    figures = figures_for(tmp_path, {"m1": bank})
    for name in ("longest", "second-longest", "shortest"):
        assert figures["overall"]["solvers"][name] == pytest.approx(25.0)
    assert figures["overall"]["key_length_rank"] == pytest.approx(
        {"longest": 25.0, "2nd": 25.0, "3rd": 25.0, "shortest": 25.0}
    )


def test_ties_split_credit(tmp_path):
    bank = [
        # all four the same length: every length solver gets 1/4
        {"choices": ["aaaa", "bbbb", "cccc", "dddd"], "key": 0},
        # the key ties with one other for longest: longest and second-longest get 1/2 each
        {"choices": ["a" * 10, "b" * 10, "c" * 5, "d" * 3], "key": 0},
    ]
    figures = figures_for(tmp_path, {"m1": bank})
    solvers = figures["overall"]["solvers"]
    assert solvers["longest"] == pytest.approx(100 * (1 / 4 + 1 / 2) / 2)
    assert solvers["second-longest"] == pytest.approx(100 * (1 / 4 + 1 / 2) / 2)
    assert solvers["shortest"] == pytest.approx(100 * (1 / 4 + 0) / 2)
    # the tied key's weight is split over the positions it covers
    assert figures["overall"]["key_length_rank"] == pytest.approx(
        {"longest": 100 * (1 / 4 + 1 / 2) / 2, "2nd": 100 * (1 / 4 + 1 / 2) / 2,
         "3rd": 100 * (1 / 4) / 2, "shortest": 100 * (1 / 4) / 2}
    )  # fmt: skip


def test_length_position_with_ties():
    assert bt.length_position([5, 5, 3, 1], 0) == (0.5, 0.5, 0.0, 0.0)
    assert bt.length_position([5, 5, 3, 1], 1) == (0.5, 0.5, 0.0, 0.0)
    assert bt.length_position([5, 5, 3, 1], 2) == (0.0, 0.0, 1.0, 0.0)
    assert bt.length_position([2, 2, 2], 2) == pytest.approx((1 / 3, 1 / 3, 1 / 3))


def test_word_lists():
    assert bt.count_absolutes("It is not allowed at all.") == 1  # "at all" once, not "all" too
    assert bt.count_absolutes("Anyone, anything, any time: ALWAYS with no exceptions") == 5
    assert bt.count_absolutes("Call the guard; recall the rule; finally") == 0
    assert bt.count_hedges("You can't leave") == 0  # "can't" is not the hedge "can"
    assert bt.count_hedges("It may help and is more likely to work") == 2
    assert bt.count_hedges("Residents often, usually, might") == 3


def test_word_cue_solvers(tmp_path):
    absolutes = {
        "choices": [
            "Ask the visitor what they need",
            "Only let staff in through the door",
            "Never speak to a visitor at the desk",
            "Stop every visitor and check a badge",
        ],
        "key": 0,
    }
    hedged = {
        "choices": [
            "The visitor may simply be lost",
            "The visitor is trespassing here",
            "The visitor plans a theft today",
            "The visitor wants to complain",
        ],
        "key": 0,
    }
    overlap = {
        "prompt": "A delivery driver blocks the loading dock. What should you do?",
        "choices": [
            "Help the driver find space off the dock",
            "Radio a supervisor for instructions",
            "Write a report after your shift ends",
            "Wait and see whether things settle",
        ],
        "key": 0,
    }
    odd = {
        "choices": [
            "Sit with the resident and listen",
            "Call the police about the noise",
            "Call the manager about the noise",
            "Call the owner about the noise",
        ],
        "key": 0,
    }
    figures = figures_for(tmp_path, {"m1": [absolutes, hedged, overlap, odd]})
    solvers = figures["overall"]["solvers"]
    # one decisive question each; the other three give that solver the share of its ties
    assert bt.solve_fewest_absolutes(load_q(tmp_path, 0)) == (1.0, 0.0, 0.0, 0.0)
    assert bt.solve_most_hedged(load_q(tmp_path, 1)) == (1.0, 0.0, 0.0, 0.0)
    assert bt.solve_stem_overlap(load_q(tmp_path, 2)) == (1.0, 0.0, 0.0, 0.0)
    assert bt.solve_odd_one_out(load_q(tmp_path, 3)) == (1.0, 0.0, 0.0, 0.0)
    for name in ("fewest-absolutes", "most-hedged", "stem-overlap", "odd-one-out"):
        assert solvers[name] > 25.0, name
    assert solvers["fewest-absolutes"] == pytest.approx(100 * (1 + 3 / 4) / 4)
    assert solvers["most-hedged"] == pytest.approx(100 * (1 + 3 / 4) / 4)


def load_q(tmp_path: Path, index: int):
    return bt.single_answer(load_content([tmp_path / "content"]).course)[index]


def test_combined_follows_agreeing_cues(tmp_path):
    # The key is hedged, free of absolutes, shares "badge" with the stem and is the odd one
    # out; it is also the middle length. The combined rule must find it every time.
    question = {
        "prompt": "A visitor has no badge at the front desk. What do you do?",
        "choices": [
            "Ask about the badge; it may be at home",
            "Always refuse entry to all of them",
            "Always refuse entry to every one of them at once",
            "Refuse",
        ],
        "key": 0,
    }
    figures = figures_for(tmp_path, {"m1": [question] * 3})
    assert figures["overall"]["solvers"]["combined"] == pytest.approx(100.0)


def test_solvers_never_look_at_the_key():
    # On every bundled single-answer question, moving the key changes no solver's credit.
    for q in bt.single_answer(load_content([bundled_content_dir()]).course):
        k = (min(q.correct_indexes) + 1) % len(q.choices)
        moved = q._replace(
            choices=tuple(c._replace(correct=i == k) for i, c in enumerate(q.choices))
        )
        for solve in bt.SOLVERS.values():
            assert solve(moved) == solve(q), q.id


def test_only_single_answer_questions_count_and_chance_is_the_mean(tmp_path):
    bank = [
        {"choices": ["aaa", "bbbbbb", "ccccccccc"], "key": 1},  # three choices: 1/3
        {"choices": LEN, "key": 2},  # four choices: 1/4
        {"type": "multiple", "choices": LEN, "key": [0, 1]},
        {"type": "true_false", "prompt": "Officers must always detain shoplifters.", "key": False},
        {"type": "true_false", "prompt": "Greeting regulars can build trust.", "key": True},
        {"type": "true_false", "prompt": "Rapport is built over time.", "key": False},
    ]
    figures = figures_for(tmp_path, {"m1": bank})
    assert figures["overall"]["questions"] == 2
    assert figures["overall"]["chance"] == pytest.approx(100 * (1 / 3 + 1 / 4) / 2)
    # with three choices the middle one is the second-longest
    assert figures["overall"]["solvers"]["second-longest"] == pytest.approx(100.0)
    tf = figures["true_false"]
    assert tf["questions"] == 3
    assert tf["always-true"] == pytest.approx(100 / 3)
    assert tf["always-false"] == pytest.approx(200 / 3)
    assert tf["wording"] == pytest.approx(100 * (1 + 1 + 0.5) / 3)


def test_per_module_figures_and_worst_module(tmp_path):
    even = [{"choices": LEN, "key": k} for k in (0, 1, 2, 3) * 3]
    figures = figures_for(tmp_path, {"fair": even, "cued": second_longest_bank(4) + even})
    assert list(figures["modules"]) == ["fair", "cued"]
    assert figures["modules"]["fair"]["solvers"]["second-longest"] == pytest.approx(25.0)
    assert figures["modules"]["cued"]["solvers"]["second-longest"] == pytest.approx(
        100 * (4 + 3) / 16
    )
    assert figures["overall"]["solvers"]["second-longest"] == pytest.approx(100 * 10 / 28)
    goal = figures["goal"]
    assert goal["worst_module"] == "cued"
    assert goal["worst_module_solver"] == "second-longest"
    assert not goal["met"]  # cued: 43.75% > 25 + 15


def make_figures(overall: float, module: float) -> dict:
    solvers = dict.fromkeys(bt.SOLVERS, 25.0)
    return {
        "overall": {"questions": 100, "chance": 25.0, "solvers": {**solvers, "odd-one-out": overall}},
        "modules": {"m1": {"questions": 20, "chance": 25.0, "solvers": {**solvers, "shortest": module}}},
    }  # fmt: skip


@pytest.mark.parametrize(
    ("overall", "module", "met"),
    [(32.0, 40.0, True), (18.0, 25.0, True), (32.1, 25.0, False), (17.9, 25.0, False),
     (25.0, 40.1, False)],
)  # fmt: skip
def test_goal_bounds(overall, module, met):
    assert bt.verdict(make_figures(overall, module))["met"] is met


def test_summary_line_names_the_worst(tmp_path):
    figures = figures_for(tmp_path, {"m1": second_longest_bank(12)})
    line = bt.summary(figures)
    assert line.startswith("test-wise: worst solver second-longest 100.0% vs chance 25.0%")
    assert "worst module m1 " in line
    assert line.endswith("; FAIL")
    assert bt.report(figures)[-1] == line


def test_random_keys_seldom_fail_the_overall_part(tmp_path):
    bank = [{"choices": LEN, "key": k} for k in (0, 1, 2, 3) * 10]
    root = write_content(tmp_path / "content", {"m1": bank})
    figures = bt.measure([root], null_runs=50)
    rates = figures["goal"]["null_pass_rates"]
    assert set(rates) == {"overall", "modules", "both"}
    assert all(0.0 <= r <= 1.0 for r in rates.values())
    assert rates["both"] <= min(rates["overall"], rates["modules"])


def test_script_on_a_cued_folder_with_check_and_json(tmp_path):
    root = write_content(tmp_path / "content", {"m1": second_longest_bank(12)})
    out = tmp_path / "figures.json"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(root), "--json", str(out), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines()[-1].endswith("; FAIL")
    assert json.loads(out.read_text())["overall"]["solvers"]["second-longest"] == 100.0


def test_script_on_a_missing_folder(tmp_path):
    run = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "no such folder" in run.stderr


def test_script_on_the_bundled_content(tmp_path):
    out = tmp_path / "figures.json"
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    header = next(line for line in lines if line.startswith("module "))
    for short in bt.SHORT.values():
        assert f" {short}" in header
    overall = next(line for line in lines if line.startswith("overall "))
    assert len(overall.split()) == 3 + len(bt.SOLVERS)  # label, n, chance, one per solver
    assert "key's length rank:" in lines
    last = lines[-1]
    assert last.startswith("test-wise: worst solver ")
    assert last.endswith(("; PASS", "; FAIL"))
    figures = json.loads(out.read_text())
    assert figures["overall"]["questions"] >= 200
    assert set(figures["overall"]["solvers"]) == set(bt.SOLVERS)
    assert len(figures["modules"]) == 12
    assert last == bt.summary(figures)


def test_run_all_reports_the_goal_on_its_own_line(tmp_path):
    from benchmarks import run_all

    figures = figures_for(tmp_path, {"m1": second_longest_bank(12)})
    line = run_all.testwise_line(json.loads(json.dumps(figures)))  # as read from --json
    assert line.startswith("test-wise cues: worst second-longest 100.0% vs chance 25.0%")
    assert "worst module m1 +75.0 (goal <= +15)" in line
    assert line.endswith("MISSED")


def test_two_choice_questions(tmp_path):
    # The loader requires two choices at least; with two, "middle length" has no middle.
    bank = [{"choices": ["Short", "Much longer"], "key": 0}] * 2
    figures = figures_for(tmp_path, {"m1": bank})
    assert figures["overall"]["chance"] == pytest.approx(50.0)
    solvers = figures["overall"]["solvers"]
    assert solvers["odd-one-out"] == pytest.approx(50.0)  # the two are equally odd
    assert solvers["shortest"] == pytest.approx(100.0)
    assert solvers["second-longest"] == pytest.approx(100.0)
    assert solvers["longest"] == pytest.approx(0.0)
    assert figures["overall"]["key_length_rank"]["shortest"] == pytest.approx(100.0)
