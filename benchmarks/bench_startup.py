"""Start-up: launch to the interactive dashboard, against a bare Textual app.

Both programs run as fresh processes, alternately, several times; medians are compared.
- pty: in a real pseudo-terminal (80x24), from spawn until the first screen's text
  ("new available" on the dashboard, "BARE READY" for the bare app) reaches the terminal;
- headless: `App.run(headless=True)` until the first screen has been drawn and the app
  exits, from spawn to process exit.

Run:  python benchmarks/bench_startup.py [--runs N] [--content DIR]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def pty_launch(argv: list[str], marker: bytes, env: dict[str, str], timeout: float = 30) -> float:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    begin = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen = b""
    elapsed = None
    try:
        while time.perf_counter() - begin < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if marker in seen:
                elapsed = time.perf_counter() - begin
                break
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(master)
    if elapsed is None:
        raise RuntimeError(f"{argv} never showed {marker!r}; output ends {seen[-400:]!r}")
    return elapsed


def headless_launch(argv: list[str], env: dict[str, str]) -> float:
    begin = time.perf_counter()
    subprocess.run(argv, env=env, check=True, timeout=60, stdout=subprocess.DEVNULL)
    return time.perf_counter() - begin


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--content", help="content root (default: the bundled course)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sg-bench-"))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "HOME": str(tmp),
        "STUDYGUIDE_CACHE": str(tmp / "cache"),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("STUDYGUIDE_CONTENT", None)
    content_args = ["--content", args.content] if args.content else []
    runs: dict[str, list[float]] = {
        "pty_bare": [],
        "pty_app": [],
        "headless_bare": [],
        "headless_app": [],
    }
    for i in range(args.runs + 1):  # the first round warms the file cache and is dropped
        progress = tmp / f"progress-{i}.json"
        figures = {
            "pty_bare": pty_launch([sys.executable, str(HERE / "bare_app.py")], b"BARE READY", env),
            "pty_app": pty_launch(
                [sys.executable, "-m", "studyguide", "--progress", str(progress), *content_args],
                b"new available",
                env,
            ),
            "headless_bare": headless_launch(
                [sys.executable, str(HERE / "bare_app.py"), "--headless"], env
            ),
            "headless_app": headless_launch(
                [
                    sys.executable,
                    str(HERE / "headless_app.py"),
                    str(tmp / f"headless-{i}.json"),
                    *([args.content] if args.content else []),
                ],
                env,
            ),
        }
        if i:
            for key, value in figures.items():
                runs[key].append(value)
    medians = {k: statistics.median(v) * 1000 for k, v in runs.items()}
    result = {
        "runs": args.runs,
        "medians_ms": medians,
        "pty_ratio": medians["pty_app"] / medians["pty_bare"],
        "headless_ratio": medians["headless_app"] / medians["headless_bare"],
    }
    print(
        f"pty:      app {medians['pty_app']:.0f} ms, bare {medians['pty_bare']:.0f} ms, "
        f"ratio {result['pty_ratio']:.2f}x (goal <= 1.5x)"
    )
    print(
        f"headless: app {medians['headless_app']:.0f} ms, bare {medians['headless_bare']:.0f} "
        f"ms, ratio {result['headless_ratio']:.2f}x (goal <= 1.5x)"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
