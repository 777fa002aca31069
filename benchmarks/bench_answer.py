"""Answer-to-next-question time with 1,000, 20,000 and 100,000 reviews already logged.

Two measurements per history size, both on the bundled curriculum:
- engine: `ReviewSession.answer` (grading, FSRS, log entry, undo record, handing the
  document to the background saver, which serializes it on this thread) then `next()`;
- tui: the same in the real app, headless at 80x24: press the answer key, then Enter,
  until the next question is on screen (Textual's pilot waits for the screen to settle).

Anchor, measured in the same run: `json.dumps` of the same progress document without
indent, the cost a naive save-everything-each-answer design would pay.

Run:  python benchmarks/bench_answer.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studyguide.course import load_content
from studyguide.engine.cards import card_record, new_card
from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import Study
from studyguide.paths import bundled_content_dir
from studyguide.progress import ProgressDocument, ProgressStore

SIZES = (1_000, 20_000, 100_000)


def history(course, size: int, now: datetime) -> ProgressDocument:
    """A document with `size` plausible log entries over the past year and a card per question."""
    rng = random.Random(size)
    doc = ProgressDocument.new()
    questions = course.questions
    start = now - timedelta(days=365)
    for i in range(size):
        q = questions[i % len(questions)]
        moment = start + timedelta(seconds=i * (365 * 86400 // size))
        correct = rng.random() < 0.85
        doc.append_log(
            {
                "qid": q.id,
                "time": moment.isoformat(),
                "rating": 3 if correct else 1,
                "picked": [q.choices[0].text],
                "correct": correct,
                "ms": rng.randint(2000, 20000),
                "new": i < len(questions),
                "state": 0 if i < len(questions) else 2,
            }
        )
    # Half the questions studied, due now, so the session has reviews and new questions.
    for q in questions[: len(questions) // 2]:
        card = new_card(q.id, now - timedelta(days=30))
        record = card_record(card, reps=5, lapses=0)
        record.update(
            state=2,
            step=None,
            stability=12.0,
            difficulty=5.0,
            due=(now - timedelta(days=1)).isoformat(),
            last_review=(now - timedelta(days=13)).isoformat(),
        )
        doc.cards[q.id] = record
    doc.settings["reviews_per_day"] = 10_000
    doc.settings["new_per_day"] = 1_000
    return doc


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def engine_run(course, doc, folder: Path, answers: int) -> list[float]:
    store = ProgressStore(folder / "progress.json")
    store.open()
    study = Study(course, doc, save=store.save_soon)
    session = ReviewSession(study)
    question = session.next()
    times = []
    for _ in range(answers):
        begin = time.perf_counter()
        session.answer(question, question.correct_indexes, 4000)
        question = session.next()
        times.append((time.perf_counter() - begin) * 1000)
    store.close()
    return times


async def tui_run(course, content, doc, folder: Path, answers: int) -> dict[str, list[float]]:
    """Key press to the first screen update after the key was handled, in the real app.

    The pilot's own waiting is not counted: a wrapper on the screen's compositor refresh
    records when the new feedback or question is first drawn.
    """
    from studyguide.tui.app import StudyApp

    path = folder / "progress-tui.json"
    seed = ProgressStore(path)
    seed.open()
    seed.save(doc)
    seed.close()
    store = ProgressStore(path)
    opened = store.open()
    app = StudyApp([bundled_content_dir()], store, opened, content=content, seed=1, watch=False)
    times: dict[str, list[float]] = {"answer": [], "next": []}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("r")
        screen = app.screen
        drawn: list[float] = []
        original = screen._compositor_refresh

        def recorded(*args, **kwargs):
            result = original(*args, **kwargs)
            drawn.append(time.perf_counter())
            return result

        screen._compositor_refresh = recorded
        for _ in range(answers):
            question = screen.question
            if question.type == "multiple":  # toggle all but one right choice first
                right = [n for n, i in enumerate(screen.order, 1) if question.choices[i].correct]
                for number in right:
                    await pilot.press(str(number))
                last_key = "enter"
            else:
                last_key = "1"
            for phase, key in (("answer", last_key), ("next", "enter")):
                drawn.clear()
                begin = time.perf_counter()
                await pilot.press(key)
                times[phase].append((drawn[0] - begin) * 1000)
    store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer answers per size")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    answers = 60 if args.quick else 300
    content = load_content([bundled_content_dir()])
    course = content.course
    now = datetime.now(UTC)
    results = {}
    for size in SIZES:
        doc = history(course, size, now)
        anchor = statistics.median(_time(lambda d=doc: json.dumps(d.to_dict())) for _ in range(5))
        with tempfile.TemporaryDirectory() as tmp:
            engine = engine_run(course, history(course, size, now), Path(tmp), answers)
            tui = asyncio.run(
                tui_run(
                    course, content, history(course, size, now), Path(tmp), max(20, answers // 5)
                )
            )
        results[size] = {
            "anchor_json_dumps_ms": anchor,
            "engine_median_ms": statistics.median(engine),
            "engine_p99_ms": percentile(engine, 0.99),
            "tui_answer_median_ms": statistics.median(tui["answer"]),
            "tui_answer_p99_ms": percentile(tui["answer"], 0.99),
            "tui_next_median_ms": statistics.median(tui["next"]),
            "tui_next_p99_ms": percentile(tui["next"], 0.99),
        }
        r = results[size]
        print(
            f"{size:>7} reviews: engine median {r['engine_median_ms']:.2f} ms "
            f"p99 {r['engine_p99_ms']:.2f} ms | tui key->feedback median "
            f"{r['tui_answer_median_ms']:.1f} ms p99 {r['tui_answer_p99_ms']:.1f} ms | "
            f"tui Enter->next question median {r['tui_next_median_ms']:.1f} ms "
            f"p99 {r['tui_next_p99_ms']:.1f} ms | anchor json.dumps {anchor:.1f} ms "
            f"(engine median = {r['engine_median_ms'] / anchor:.2f}x anchor)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


def _time(fn) -> float:
    begin = time.perf_counter()
    fn()
    return (time.perf_counter() - begin) * 1000


if __name__ == "__main__":
    main()
