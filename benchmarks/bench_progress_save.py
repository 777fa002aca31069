"""What one save costs once the review log is big.

The app saves after every answer, so the steady-state cost is: one new log entry,
``ProgressDocument.to_json()`` (log lines cached), then an atomic, fsynced write.
Figures are printed in milliseconds and as ratios against an anchor measured in
the same run on the same machine: ``json.dumps`` of the same dict without indent
(what a naive save would pay just to serialize).

Run from the project root:  PYTHONPATH=. python benchmarks/bench_progress_save.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyguide.progress import ProgressDocument, ProgressStore

SIZES = (1_000, 20_000, 100_000)


def entry(i: int) -> dict[str, object]:
    return {
        "qid": f"community-outreach-{i % 400:03d}",
        "time": f"2026-{1 + i // 40000 % 12:02d}-{1 + i % 28:02d}T15:{i % 60:02d}:07+00:00",
        "rating": 1 + i % 4,
        "picked": ["Introduce yourself and ask how their day is going"],
        "correct": i % 5 != 0,
        "ms": 3000 + i % 9000,
    }


def build(log_entries: int, cards: int) -> ProgressDocument:
    doc = ProgressDocument.new()
    for i in range(cards):
        doc.cards[f"community-outreach-{i:03d}"] = {
            "card_id": 1_764_000_000_000 + i,
            "state": 2,
            "step": None,
            "stability": 12.5 + i / 7,
            "difficulty": 5.25,
            "due": "2026-12-01T15:00:00+00:00",
            "last_review": "2026-11-25T15:00:00+00:00",
            "reps": 6,
            "lapses": 1,
        }
    for i in range(log_entries):
        doc.log.append(entry(i))
    return doc


def median_ms(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(log_entries: int, cards: int, repeat: int, folder: Path) -> dict[str, float]:
    doc = build(log_entries, cards)
    anchor = median_ms(lambda: json.dumps(doc.to_dict()), repeat)
    cold = median_ms(lambda: ProgressDocument.from_dict(doc.to_dict()).to_json(), 1)
    doc.to_json()  # as after open(): every existing line is cached
    counter = iter(range(log_entries, 10**9))

    def answer_and_serialize() -> str:
        doc.append_log(entry(next(counter)))
        return doc.to_json()

    to_json = median_ms(answer_and_serialize, repeat)
    store = ProgressStore(folder / f"progress-{log_entries}.json")
    store.open()

    def answer_and_save() -> None:
        doc.append_log(entry(next(counter)))
        store.save(doc)

    save = median_ms(answer_and_save, repeat)
    store.close()
    size = (folder / f"progress-{log_entries}.json").stat().st_size
    return {"anchor": anchor, "to_json": to_json, "save": save, "cold": cold, "size": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=600, help="cards in the document")
    parser.add_argument("--repeat", type=int, default=15, help="runs per figure (median)")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {args.cards} cards, median of {args.repeat} runs")
    print(
        f"{'log':>8} {'anchor ms':>10} {'to_json ms':>11} {'ratio':>6} "
        f"{'save ms':>8} {'ratio':>6} {'cold to_json ms':>16} {'file MB':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-progress-") as tmp:
        for size in SIZES:
            r = measure(size, args.cards, args.repeat, Path(tmp))
            print(
                f"{size:>8} {r['anchor']:>10.2f} {r['to_json']:>11.2f} "
                f"{r['to_json'] / r['anchor']:>6.2f} {r['save']:>8.2f} "
                f"{r['save'] / r['anchor']:>6.2f} {r['cold']:>16.1f} {r['size'] / 1e6:>8.2f}"
            )
    print("anchor: json.dumps(doc.to_dict()) without indent; to_json: one new entry, log")
    print("cached; save: one new entry, to_json + atomic write + fsync of file and folder.")


if __name__ == "__main__":
    main()
