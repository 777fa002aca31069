"""Large content: a generated 10,000-question set (benchmarks/generate_content.py).

Every figure is a median over fresh processes, against an anchor measured in the same run:
- warm start: the app, headless, until the dashboard is drawn, with the content cache
  warm, against the bare Textual app (goal: at most 2x);
- first start: in a fresh process with an empty cache, from the first line of the script
  (before any import) until the content is ready for the app (parsed, validated, built;
  the cache is then written by a background thread), against the raw CSafeLoader parse of
  the same files timed the same way (goal: at most 1.2x);
- validate: `studyguide validate --strict` against the raw parse, both as whole processes
  (goal: at most 1.5x);
- memory: peak RSS of the app with the 10,000 questions loaded, against the bare app
  (goal: at most 60 MB more).

Run:  python benchmarks/bench_content.py [--runs N] [--questions N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate_content import generate  # noqa: E402

RAW_PARSE = """
import time; begin = time.perf_counter()
import sys, yaml
from pathlib import Path
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
print(time.perf_counter() - begin)
"""

COLD_LOAD = """
import time; begin = time.perf_counter()
import sys
from pathlib import Path
from studyguide.course.cache import load_content_cached
result = load_content_cached([Path(sys.argv[1])], Path(sys.argv[2]), background=True)
print(time.perf_counter() - begin)
assert len(result.course.questions) > 0 and not result.errors
"""


def reported(argv: list[str], env: dict[str, str]) -> float:
    """The seconds a script prints about itself."""
    out = subprocess.run(argv, env=env, check=True, timeout=300, capture_output=True, text=True)
    return float(out.stdout.split()[0])


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time in seconds and peak RSS in MB of one fresh process."""
    begin = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(argv, env=env, check=True, timeout=300, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - begin
    # ru_maxrss of children is the largest so far: run the small process first each round
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def peak_rss(argv: list[str], env: dict[str, str]) -> float:
    """Peak RSS in MB of one process, measured by a wrapper so rounds do not mix."""
    code = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *argv],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return int(out.stdout.strip()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sg-content-"))
    content = generate(tmp / "content", args.questions)
    size = sum(p.stat().st_size for p in content.rglob("*.yaml")) / 1e6
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp)}
    py = sys.executable
    cache = tmp / "cache"
    bare = [py, str(HERE / "bare_app.py"), "--headless"]
    app = [py, str(HERE / "headless_app.py")]
    warm_env = {**env, "STUDYGUIDE_CACHE": str(cache)}
    runs: dict[str, list[float]] = {
        k: [] for k in ("raw", "cold", "raw_process", "validate", "bare", "warm")
    }
    for i in range(args.runs + 1):
        shutil.rmtree(cache, ignore_errors=True)
        figures = {
            "raw": reported([py, "-c", RAW_PARSE, str(content)], env),
            "cold": reported([py, "-c", COLD_LOAD, str(content), str(cache)], env),
            "raw_process": timed([py, "-c", RAW_PARSE, str(content)], env)[0],
            "validate": timed([py, "-m", "studyguide", "validate", "--strict", str(content)], env)[
                0
            ],
            "bare": timed(bare, env)[0],
            "warm": timed([*app, str(tmp / f"p{i}.json"), str(content)], warm_env)[0],
        }
        if i:  # the first round warms the file cache and is dropped
            for key, value in figures.items():
                runs[key].append(value)
    med = {k: statistics.median(v) * 1000 for k, v in runs.items()}
    bare_mb = peak_rss(bare, env)
    app_mb = peak_rss([*app, str(tmp / "mem.json"), str(content)], warm_env)
    result = {
        "questions": args.questions,
        "content_mb": round(size, 1),
        "medians_ms": {k: round(v) for k, v in med.items()},
        "warm_start_ratio": med["warm"] / med["bare"],
        "first_start_ratio": med["cold"] / med["raw"],
        "validate_ratio": med["validate"] / med["raw_process"],
        "peak_rss_mb": {"bare": round(bare_mb, 1), "app": round(app_mb, 1)},
        "extra_memory_mb": round(app_mb - bare_mb, 1),
    }
    print(f"{args.questions} questions, {size:.1f} MB of YAML, {args.runs} runs")
    print(
        f"warm start:  app {med['warm']:.0f} ms vs bare app {med['bare']:.0f} ms = "
        f"{result['warm_start_ratio']:.2f}x (goal <= 2x)"
    )
    print(
        f"first start: load {med['cold']:.0f} ms vs raw parse {med['raw']:.0f} ms = "
        f"{result['first_start_ratio']:.2f}x (goal <= 1.2x)"
    )
    print(
        f"validate:    {med['validate']:.0f} ms vs raw parse {med['raw_process']:.0f} ms = "
        f"{result['validate_ratio']:.2f}x (goal <= 1.5x)"
    )
    print(
        f"memory:      app {app_mb:.0f} MB vs bare app {bare_mb:.0f} MB = "
        f"+{result['extra_memory_mb']:.0f} MB (goal <= +60 MB)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
