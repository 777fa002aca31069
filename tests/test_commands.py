"""`studyguide stats` and `studyguide progress`, run as real subprocesses on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from studyguide.course import load_content
from studyguide.engine.study import Study
from studyguide.progress import ProgressStore
from tests.factories import right, write_course, wrong


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "studyguide", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
        env=os.environ.copy(),
    )


def studied(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "course"
    write_course(root)
    progress = tmp_path / "progress.json"
    course = load_content([root]).course
    with ProgressStore(progress) as store:
        study = Study(course, store.open(), save=store.save)
        for n, q in enumerate(course.questions[:5]):
            study.answer(q.id, right(q) if n % 2 == 0 else wrong(q), 1500)
        study.flag(course.questions[0].id, "unclear wording")
    return root, progress


def test_stats_text(tmp_path):
    root, progress = studied(tmp_path)
    out = run("stats", "--content", str(root), "--progress", str(progress))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "New available today: 10" in text  # 15 a day, 5 already introduced
    assert "Answers today: 5 (to 5 questions)   Streak: 1 day\n" in text
    assert "1 days" not in text
    assert "Readiness:" in text and "How: Blueprint-weighted" in text
    assert "Module 1" in text and "studied 5/10" in text
    assert "m1-q01: unclear wording" in text


def test_stats_json(tmp_path):
    root, progress = studied(tmp_path)
    out = run("stats", "--json", "--content", str(root), "--progress", str(progress))
    doc = json.loads(out.stdout)
    assert doc["reviews_today"] == 5 and doc["new_today"] == 10 and doc["streak_days"] == 1
    assert doc["readiness"]["pass_mark"] == 0.7 and "method" in doc["readiness"]
    assert [m["studied"] for m in doc["modules"]] == [5, 0, 0]
    assert doc["flagged"] == [{"id": "m1-q01", "note": "unclear wording"}]


def test_stats_reads_while_the_app_holds_the_lock(tmp_path):
    root, progress = studied(tmp_path)
    with ProgressStore(progress) as store:
        store.open()
        out = run("stats", "--json", "--content", str(root), "--progress", str(progress))
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout)["reviews_today"] == 5
        second = run("--content", str(root), "--progress", str(progress))
        assert second.returncode == 1
        assert "already using the progress file" in second.stderr
        assert "Traceback" not in second.stderr


def test_stats_on_an_unreadable_file_names_it_and_changes_nothing(tmp_path):
    progress = tmp_path / "progress.json"
    progress.write_text("{not json")
    out = run("stats", "--progress", str(progress))
    assert out.returncode == 1
    assert str(progress) in out.stderr and "Traceback" not in out.stderr
    assert progress.read_text() == "{not json"


def test_progress_path_follows_option_and_environment(tmp_path):
    assert run("progress", "path", "--progress", "/x/p.json").stdout.strip() == "/x/p.json"
    env = {**os.environ, "STUDYGUIDE_PROGRESS": str(tmp_path / "env.json")}
    out = subprocess.run(
        [sys.executable, "-m", "studyguide", "progress", "path"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.stdout.strip() == str(tmp_path / "env.json")
    default = run("progress", "path").stdout.strip()
    assert default.endswith(os.path.join("studyguide", "progress.json"))


def test_progress_export(tmp_path):
    _root, progress = studied(tmp_path)
    to_stdout = run("progress", "export", "--progress", str(progress))
    assert json.loads(to_stdout.stdout)["log"][0]["qid"] == "m1-q01"
    target = tmp_path / "copy.json"
    assert run("progress", "export", str(target), "--progress", str(progress)).returncode == 0
    assert json.loads(target.read_text()) == json.loads(progress.read_text())
    again = run("progress", "export", str(target), "--progress", str(progress))
    assert again.returncode == 2 and "exists" in again.stderr


def test_progress_restore_asks_first_and_keeps_the_replaced_file(tmp_path):
    _root, progress = studied(tmp_path)
    backup = Path(str(progress) + ".bak")
    assert backup.exists()
    progress.write_text("garbage")
    refused = run("progress", "restore", "--progress", str(progress), stdin="")
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert progress.read_text() == "garbage"
    done = run("progress", "restore", "--yes", "--progress", str(progress))
    assert done.returncode == 0, done.stderr
    assert json.loads(progress.read_text()) == json.loads(backup.read_text())
    assert any(p.read_text() == "garbage" for p in tmp_path.iterdir() if p.is_file())


def test_progress_restore_without_a_backup(tmp_path):
    out = run("progress", "restore", "--yes", "--progress", str(tmp_path / "none.json"))
    assert out.returncode == 1 and "no backup" in out.stderr


def test_stats_pairs_a_leech_with_its_lesson_section(tmp_path):
    from fsrs import Rating

    from studyguide.engine.clock import FrozenClock

    root = tmp_path / "course"
    write_course(root)
    progress = tmp_path / "progress.json"
    course = load_content([root]).course
    q = course.questions[0]
    from datetime import UTC, datetime

    clock = FrozenClock(datetime(2025, 1, 1, tzinfo=UTC))
    with ProgressStore(progress) as store:
        study = Study(course, store.open(), clock, save=store.save)
        study.answer(q.id, right(q), 100)
        study.rate_last(Rating.Easy)
        for _ in range(8):
            clock.advance(days=40)
            study.answer(q.id, wrong(q), 100)
            clock.advance(days=1)
            study.answer(q.id, right(q), 100)
            study.rate_last(Rating.Easy)
    doc = json.loads(
        run("stats", "--json", "--content", str(root), "--progress", str(progress)).stdout
    )
    assert doc["leeches"] == [{"id": q.id, "lapses": 8, "lesson": "m1#s1"}]
    text = run("stats", "--content", str(root), "--progress", str(progress)).stdout
    assert f"{q.id}: 8 lapses, see m1#s1" in text


def test_stats_json_has_exam_history_and_due_later_today(tmp_path):
    """Issue 9: `stats --json` lacked both; docs/figures.md documents every key."""
    from datetime import UTC, datetime, timedelta

    from studyguide.engine.exam import assemble, attempt_record, score

    root = tmp_path / "course"
    write_course(root)
    progress = tmp_path / "progress.json"
    course = load_content([root]).course
    now = datetime.now(UTC)
    with ProgressStore(progress) as store:
        study = Study(course, store.open(), save=store.save)
        q1, q2 = course.questions[:2]
        study.answer(q1.id, wrong(q1), 1000)  # due again in a minute: later today
        study.answer(q2.id, wrong(q2), 1000)
        study.doc.cards[q2.id]["due"] = (now - timedelta(hours=1)).isoformat()  # overdue
        paper = assemble(course, course.exam, 6, 3)
        answers = {q.id: frozenset(right(q)) for q in paper.questions[:5]}
        result = score(paper, answers, course.exam.pass_mark)
        study.record_exam(attempt_record(paper, answers, result, now, now, False, 0.4))
    args = ["--content", str(root), "--progress", str(progress)]
    doc = json.loads(run("stats", "--json", *args).stdout)
    assert doc["due_now"] == 1 and doc["due_later_today"] == 1
    assert doc["new_available"] == doc["new_today"] == 13
    assert doc["exams"] == [
        {
            "finished": now.isoformat(),
            "score": round(5 / 6, 4),
            "passed": True,
            "right": 5,
            "total": 6,
            "predicted": 0.4,
            "timed_out": False,
        }
    ]
    assert doc["readiness"]["estimate"] is None and doc["readiness"]["enough_evidence"] is False
    assert doc["readiness"]["needed"].startswith("18 more answers")
    assert "desired retention (90%)" in doc["mastery_definition"]
    documented = (Path(__file__).parents[1] / "docs" / "figures.md").read_text()
    for key in doc:
        assert f"`{key}`" in documented, f"{key} is not documented in docs/figures.md"
    for key in doc["readiness"]:
        assert f"`readiness.{key}`" in documented, key
    text = run("stats", *args).stdout
    assert "Due now: 1   Due later today: 1   New available today: 13" in text
    assert "Next review due: now" in text
    assert "Readiness: not enough answers yet. Needs 18 more answers" in text
    assert "Practice exams:" in text and "83%  pass" in text


def test_stats_says_one_error_not_one_errors(tmp_path):
    root = tmp_path / "course"
    write_course(root)
    (root / "banks" / "broken.yaml").write_text("id: [unclosed\n")
    out = run("stats", "--content", str(root), "--progress", str(tmp_path / "p.json"))
    assert "Content has 1 error: run `studyguide validate`." in out.stdout
    assert "1 errors" not in out.stdout
