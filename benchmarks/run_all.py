"""Run every benchmark and print one summary: the single command docs/performance.md names.

Run:  python benchmarks/run_all.py [--quick]

Each benchmark reports ratios against an anchor measured in the same run (a bare
Textual app, the raw CSafeLoader parse, json.dumps), because absolute times on a shared
machine drift. The JSON of every run is kept in benchmarks/results/ for comparison.
The test-wise benchmark (bench_testwise.py) is not timed: it measures how far surface cues
carry a reader who never studied the bundled questions, and is reported on its own line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

GOALS = [
    ("start-up, real terminal", "startup", "pty_ratio", 1.5),
    ("start-up, headless", "startup", "headless_ratio", 1.5),
    ("10k questions: warm start vs bare app", "content", "warm_start_ratio", 2.0),
    ("10k questions: first start vs raw parse", "content", "first_start_ratio", 1.2),
    ("10k questions: validate vs raw parse", "content", "validate_ratio", 1.5),
    ("10k questions: extra memory (MB)", "content", "extra_memory_mb", 60),
]
# Mean absolute error of the readiness figure against simulated learners (points).
READINESS_MAE_GOAL = 8


def run(script: str, args: list[str], out: Path) -> dict:
    print(f"== {script} {' '.join(args)}", flush=True)
    subprocess.run([sys.executable, str(HERE / script), *args, "--json", str(out)], check=True)
    return json.loads(out.read_text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer runs (a rough check)")
    args = parser.parse_args()
    folder = HERE / "results"
    folder.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs = ["--runs", "3"] if args.quick else ["--runs", "9"]
    results = {
        "startup": run("bench_startup.py", runs, folder / f"{stamp}-startup.json"),
        "content": run("bench_content.py", runs, folder / f"{stamp}-content.json"),
        "answer": run(
            "bench_answer.py", ["--quick"] if args.quick else [], folder / f"{stamp}-answer.json"
        ),
        "testwise": run("bench_testwise.py", [], folder / f"{stamp}-testwise.json"),
        "readiness": run(
            "bench_readiness.py",
            ["--quick"] if args.quick else [],
            folder / f"{stamp}-readiness.json",
        ),
    }
    print("\n== summary")
    for label, group, key, goal in GOALS:
        value = results[group][key]
        verdict = "ok" if value <= goal else "MISSED"
        print(f"{label:45} {value:7.2f}  (goal <= {goal})  {verdict}")
    for size, figures in results["answer"].items():
        for phase in ("answer", "next"):
            median = figures[f"tui_{phase}_median_ms"]
            p99 = figures[f"tui_{phase}_p99_ms"]
            verdict = "ok" if median < 16 and p99 < 50 else "MISSED"
            print(
                f"answering, {int(size):>6} reviews, {phase:6} median {median:5.1f} ms "
                f"p99 {p99:5.1f} ms  (goal < 16 / < 50)  {verdict}"
            )
    ready = results["readiness"]
    for label, key in (
        ("readiness MAE, figures shown, vs score", "mae_vs_score_shown"),
        ("readiness MAE, figures shown, vs expected", "mae_vs_expected_shown"),
    ):
        value = ready[key] * 100
        verdict = "ok" if value <= READINESS_MAE_GOAL else "MISSED"
        print(f"{label:45} {value:7.1f}  (goal <= {READINESS_MAE_GOAL} points)  {verdict}")
    print(testwise_line(results["testwise"]))


def testwise_line(figures: dict) -> str:
    """The test-wise goal: accuracies in percentage points against chance, not a ratio."""
    goal = figures["goal"]
    chance = figures["overall"]["chance"]
    verdict = "ok" if goal["met"] else "MISSED"
    return (
        f"test-wise cues: worst {goal['worst_solver']} {goal['worst_solver_accuracy']:.1f}% "
        f"vs chance {chance:.1f}% (goal ±{goal['overall_tolerance_points']:g}); worst module "
        f"{goal.get('worst_module', '-')} {goal.get('worst_module_excess_points', 0):+.1f} "
        f"(goal <= +{goal['module_ceiling_points']:g})  {verdict}"
    )


if __name__ == "__main__":
    main()
