"""Shared helpers for the progress tests (imported by name: pytest puts this folder on
sys.path because tests/progress has no __init__.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from studyguide.progress import ProgressDocument

ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    """The environment for a child Python that imports this checkout of studyguide."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def run_child(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def make_entry(i: int, **changes: Any) -> dict[str, Any]:
    entry = {
        "qid": f"rapport-why-{i % 40:03d}",
        "time": f"2026-11-25T15:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
        "rating": 1 + i % 4,
        "picked": [f"choice {i}", "Greet them — and listen"],
        "correct": i % 3 != 0,
        "ms": 1000 + i,
    }
    entry.update(changes)
    return entry


def make_card(i: int) -> dict[str, Any]:
    return {
        "card_id": 1_700_000_000_000 + i,
        "state": 2,
        "step": None,
        "stability": 3.25 + i,
        "difficulty": 5.5,
        "due": "2026-11-28T15:00:00+00:00",
        "last_review": "2026-11-25T15:00:00+00:00",
        "reps": 3,
        "lapses": i % 2,
    }


def sample_document(log_entries: int = 5) -> ProgressDocument:
    doc = ProgressDocument.new()
    for i in range(3):
        doc.cards[f"rapport-why-{i:03d}"] = make_card(i)
    doc.buried["rapport-why-002"] = "2026-11-26T04:00:00+00:00"
    doc.flags["rapport-why-001"] = {"note": "Ask about “curly quotes”", "time": "2026-11-25"}
    doc.lesson_positions["why-rapport"] = "trust"
    doc.daily = {"date": "2026-11-25", "new_seen": 4}
    doc.exams.append({"started": "2026-11-25T14:00:00+00:00", "score": 0.8, "answers": [1, 2]})
    doc.undo.append({"qid": "rapport-why-000", "card": make_card(0), "log_len": 0})
    for i in range(log_entries):
        doc.append_log(make_entry(i))
    return doc


def file_state(path: Path) -> tuple[bytes, int]:
    """What must not change about a file we may not touch: its bytes and mtime."""
    return path.read_bytes(), path.stat().st_mtime_ns


def temp_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
