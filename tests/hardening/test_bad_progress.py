"""Damaged and hostile progress files are refused at the door, never crash later.

A hand-written corpus, like the bad-content corpus: each case makes one progress file
(or something in its place) and states the expected outcome:

- ``refused``: unreadable. `studyguide stats` (a real process, under a clock and a
  memory cap) exits 1 with one message naming the file, the backup and the reason, no
  traceback; ``ProgressStore.open`` raises ProgressUnreadable; the file's bytes and
  mtime are untouched.
- ``repaired``: opened with a notice in ``doc.warnings`` (and on stats' stderr); the
  engine then works on every question (figures, answers, undo), and the save reads
  back as it was written, without a notice the second time.
"""

from __future__ import annotations

import copy
import json
import math
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import KW_ONLY, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from studyguide.course import load_content
from studyguide.engine.clock import FrozenClock, parse_time
from studyguide.engine.stats import due_forecast, overview
from studyguide.engine.study import Study
from studyguide.progress import ProgressStore, ProgressUnreadable, read_only_load
from tests.factories import right, write_course

REPO = Path(__file__).resolve().parents[2]
TIME_LIMIT = 10.0  # seconds for one `stats` run: far above a normal run, far below "hangs"
ADDRESS_SPACE_LIMIT = 2 * 1024**3  # a child reading /dev/zero dies long before this hurts

CARD = {
    "card_id": 1_764_082_800_000,
    "state": 2,
    "step": None,
    "stability": 3.17,
    "difficulty": 5.28,
    "due": "2026-11-28T15:00:00+00:00",
    "last_review": "2026-11-25T15:00:00+00:00",
    "reps": 1,
    "lapses": 0,
}
ENTRY = {
    "qid": "m1-q01",
    "time": "2026-11-25T15:00:00+00:00",
    "rating": 3,
    "picked": ["Right answer"],
    "correct": True,
    "ms": 5120,
    "new": True,
    "state": 0,
}
EXAM = {
    "started": "2026-11-25T14:00:00+00:00",
    "finished": "2026-11-25T14:20:00+00:00",
    "seed": 7,
    "length": 6,
    "time_limit_s": 720,
    "timed_out": False,
    "predicted": 0.5,
    "score": 0.6667,
    "right": 4,
    "total": 6,
    "pass_mark": 0.7,
    "passed": False,
    "per_module": {"m1": [2, 3]},
    "answers": [{"qid": "m1-q01", "picked": ["Right answer"], "correct": True}],
}
BASE: dict[str, Any] = {
    "schema_version": 1,
    "app_version": "0.1.0",
    "created": "2026-11-25T15:00:00+00:00",
    "settings": {},
    "cards": {"m1-q01": CARD},
    "buried": {"m1-q02": "2026-11-26T04:00:00+00:00"},
    "flags": {"m1-q03": {"note": "Ask the instructor", "time": "2026-11-25T15:02:00+00:00"}},
    "lesson_positions": {"m1": "s1"},
    "daily": {},
    "exams": [EXAM],
    "undo": [{"qid": "m1-q01", "card": None, "log_len": 0, "time": ENTRY["time"]}],
    "log": [ENTRY],
}
DELETE = object()


def changed(*edits: tuple[tuple[Any, ...], Any]) -> Callable[[], dict[str, Any]]:
    """BASE with each (path, value) set (or deleted, for DELETE)."""

    def make() -> dict[str, Any]:
        data = copy.deepcopy(BASE)
        for path, value in edits:
            target = data
            for key in path[:-1]:
                target = target[key]
            if value is DELETE:
                del target[path[-1]]
            else:
                target[path[-1]] = value
        return data

    return make


def card(key: str, value: Any) -> Callable[[], dict[str, Any]]:
    return changed((("cards", "m1-q01", key), value))


def raw_number(path: tuple[Any, ...], literal: str) -> bytes:
    """BASE as JSON with the number at ``path`` written as ``literal`` (NaN, 1e400...)."""
    data = changed((path, 123456.75))()
    text = json.dumps(data)
    assert text.count("123456.75") == 1
    return text.replace("123456.75", literal).encode()


@dataclass
class Case:
    name: str
    content: bytes | Callable[[], Any] | None = None  # a dict is written as JSON
    _: KW_ONLY
    outcome: str = "refused"
    reason: str = ""  # in the message (refused) or the notice (repaired)
    setup: Callable[[Path], None] | None = None  # makes the case at the path instead
    check: Callable[[Any], None] | None = None  # more checks on a repaired document


def fifo(path: Path) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)


def dev_zero(path: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    path.symlink_to("/dev/zero")


def unix_socket(path: Path) -> None:
    if not hasattr(socket, "AF_UNIX") or len(str(path)) > 100:
        pytest.skip("no UNIX socket here")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.bind(str(path))
    sock.close()


def huge(path: Path) -> None:
    with open(path, "wb") as out:  # sparse: no disk used, but 300 MB long
        out.write(b'{"schema_version": 1, "daily": {"pad": "')
        out.truncate(300 * 1024 * 1024)


NOW = datetime.now(UTC)


def future_card_clamped(doc) -> None:
    record = doc.cards["m1-q01"]
    last, due = parse_time(record["last_review"]), parse_time(record["due"])
    assert last <= datetime.now(UTC) and last >= NOW - timedelta(minutes=5)
    assert timedelta(days=2, hours=23) <= due - last <= timedelta(days=3, hours=1)


def burial_lifted(doc) -> None:
    assert "m1-q02" not in doc.buried


CORPUS: dict[str, list[Case]] = {
    "cards": [
        Case("card_id a string", card("card_id", "1"), reason="'card_id' must be a whole number"),
        Case("card_id negative", card("card_id", -1), reason="'card_id' must be from 0"),
        Case("card_id 1.5", card("card_id", 1.5), reason="'card_id' must be a whole number"),
        Case("card_id 300 digits", card("card_id", 10**300), reason="'card_id' must be from 0"),
        Case("state a string", card("state", "2"), reason="'state' must be a whole number"),
        Case("state 7", card("state", 7), reason="'state' must be from 1 to 3, not 7"),
        Case("state 0", card("state", 0), reason="'state' must be from 1 to 3"),
        Case("state true", card("state", True), reason="'state' must be a whole number"),
        Case("step a string", card("step", "x"), reason="'step' must be a whole number"),
        Case("stability a string", card("stability", "big"), reason="'stability' must be"),
        Case("stability negative", card("stability", -1.0), reason="'stability' must be from"),
        Case(
            "stability NaN",
            raw_number(("cards", "m1-q01", "stability"), "NaN"),
            reason="it holds NaN",
        ),
        Case(
            "stability Infinity",
            raw_number(("cards", "m1-q01", "stability"), "Infinity"),
            reason="it holds Infinity",
        ),
        Case(
            "stability 1e400",
            raw_number(("cards", "m1-q01", "stability"), "1e400"),
            reason="too large",
        ),
        Case("difficulty 11", card("difficulty", 11), reason="'difficulty' must be from 1 to 10"),
        Case("due not a date", card("due", "tomorrow"), reason="'due' must be a date and time"),
        Case("due a number", card("due", 5), reason="'due' must be a string, not a whole number"),
        Case(
            "due in year 1",
            card("due", "0001-01-01T00:00:00+00:00"),
            reason="'due' must be a date from 1970 to 2999",
        ),
        Case(
            "due in year 9999",
            card("due", "9999-12-31T00:00:00+00:00"),
            reason="'due' must be a date from 1970",
        ),
        Case("due without an offset", card("due", "2026-11-28T15:00:00"), reason="UTC offset"),
        Case("last_review not a date", card("last_review", "x"), reason="'last_review' must be"),
        Case("reps negative", card("reps", -1), reason="'reps' must be 0 or more"),
        Case("lapses a string", card("lapses", "3"), reason="'lapses' must be a whole number"),
        Case("due missing", card("due", DELETE), reason="missing 'due'"),
        Case("state missing", card("state", DELETE), reason="missing 'state'"),
        Case("card_id missing", card("card_id", DELETE), reason="missing 'card_id'"),
        Case(
            "in review without stability",
            card("stability", None),
            reason="needs 'stability' and 'difficulty'",
        ),
        Case("a card that is a list", changed((("cards", "m1-q01"), [1])), reason="an object"),
    ],
    "buried, flags, positions": [
        Case("buried not a date", changed((("buried", "m1-q02"), "soon")), reason="a date"),
        Case("buried a number", changed((("buried", "m1-q02"), 5)), reason="must be a string"),
        Case(
            "buried in year 1",
            changed((("buried", "m1-q02"), "0001-01-01T00:00:00")),
            reason="from 1970 to 2999",
        ),
        Case("flag note a number", changed((("flags", "m1-q03", "note"), 5)), reason="'note'"),
        Case("flag time not a date", changed((("flags", "m1-q03", "time"), "x")), reason="'time'"),
        Case("flag leech a string", changed((("flags", "m1-q03", "leech"), "y")), reason="leech"),
        Case("flag a string", changed((("flags", "m1-q03"), "note")), reason="an object"),
        Case("position a number", changed((("lesson_positions", "m1"), 3)), reason="a string"),
    ],
    "undo": [
        Case("card a string", changed((("undo", 0, "card"), "oops")), reason="'card' must be"),
        Case("card a list", changed((("undo", 0, "card"), [CARD])), reason="'card' must be"),
        Case(
            "card without due",
            changed((("undo", 0, "card"), {k: v for k, v in CARD.items() if k != "due"})),
            reason="undo[0].card: missing 'due'",
        ),
        Case(
            "card with a bad state",
            changed((("undo", 0, "card"), dict(CARD, state="new"))),
            reason="undo[0].card: 'state'",
        ),
        Case("log_len negative", changed((("undo", 0, "log_len"), -1)), reason="'log_len'"),
        Case("log_len missing", changed((("undo", 0, "log_len"), DELETE)), reason="'log_len'"),
        Case("qid a number", changed((("undo", 0, "qid"), 5)), reason="'qid' must be a string"),
        Case("order of strings", changed((("undo", 0, "order"), ["a"])), reason="'order' item 0"),
        Case("time not a date", changed((("undo", 0, "time"), "now")), reason="'time'"),
        Case("record a list", changed((("undo", 0), [])), reason="undo[0]: must be an object"),
    ],
    "exams": [
        Case("score a string", changed((("exams", 0, "score"), "high")), reason="'score'"),
        Case("score 2", changed((("exams", 0, "score"), 2)), reason="'score' must be from 0 to 1"),
        Case("score NaN", raw_number(("exams", 0, "score"), "NaN"), reason="it holds NaN"),
        Case("finished not a date", changed((("exams", 0, "finished"), "x")), reason="finished"),
        Case(
            "finished without passed",
            changed((("exams", 0, "passed"), DELETE)),
            reason="a finished exam needs 'passed'",
        ),
        Case("passed a string", changed((("exams", 0, "passed"), "yes")), reason="'passed'"),
        Case("predicted -1", changed((("exams", 0, "predicted"), -1)), reason="'predicted'"),
        Case("an exam that is a number", changed((("exams", 0), 1)), reason="an object"),
    ],
    "log": [
        Case("time not a date", changed((("log", 0, "time"), "yesterday")), reason="'time'"),
        Case(
            "time in year 1",
            changed((("log", 0, "time"), "0001-01-01T00:00:00+00:00")),
            reason="from 1970 to 2999",
        ),
        Case("rating 0", changed((("log", 0, "rating"), 0)), reason="'rating' must be from 1"),
        Case("rating 9", changed((("log", 0, "rating"), 9)), reason="'rating' must be from 1 to 4"),
        Case("ms negative", changed((("log", 0, "ms"), -5)), reason="'ms' must be 0 or more"),
        Case("ms NaN", raw_number(("log", 0, "ms"), "NaN"), reason="it holds NaN"),
        Case("ms -Infinity", raw_number(("log", 0, "ms"), "-Infinity"), reason="-Infinity"),
        Case("picked numbers", changed((("log", 0, "picked"), [1])), reason="'picked' item 0"),
        Case("new a string", changed((("log", 0, "new"), "yes")), reason="'new'"),
        Case("state 9", changed((("log", 0, "state"), 9)), reason="'state' must be from 0 to 3"),
    ],
    "top level": [
        Case("created not a date", changed((("created",), "long ago")), reason="created"),
        Case("app_version a number", changed((("app_version",), 3)), reason="app_version"),
        # An unfinished practice exam is not study history: dropped with a notice.
        Case(
            "exam_in_progress a number",
            changed((("exam_in_progress",), 5)),
            outcome="repaired",
            reason="could not be resumed",
        ),
        Case("NaN in daily", raw_number(("daily", "x"), "NaN"), reason="it holds NaN"),
    ],
    "not a file": [
        Case("a FIFO", setup=fifo, reason="not a regular file"),
        Case("a symlink to /dev/zero", setup=dev_zero, reason="not a regular file"),
        Case("a UNIX socket", setup=unix_socket, reason="not a regular file"),
        Case("a 300 MB file", setup=huge, reason="over the 256 MB"),
    ],
    "clock anomalies (repaired)": [
        Case(
            "last_review next century",
            changed(
                (("cards", "m1-q01", "last_review"), "2100-01-01T00:00:00+00:00"),
                (("cards", "m1-q01", "due"), "2100-01-04T00:00:00+00:00"),
            ),
            outcome="repaired",
            reason="had a last review in the future (2100-01-01)",
            check=future_card_clamped,
        ),
        Case(
            "last_review 9999-12-31",
            changed(
                (("cards", "m1-q01", "last_review"), "9999-12-31T00:00:00+00:00"),
                (("cards", "m1-q01", "due"), "9999-12-31T00:00:00+00:00"),
            ),
            outcome="repaired",
            reason="had a last review in the future (9999-12-31)",
        ),
        Case(
            "buried until 9999",
            changed((("buried", "m1-q02"), "9999-12-31T23:59:59+00:00")),
            outcome="repaired",
            reason="buried past",
            check=burial_lifted,
        ),
        Case(
            "a setting out of range",
            changed((("settings", "new_per_day"), 10**9)),
            outcome="repaired",
            reason="settings.new_per_day",
        ),
    ],
}

CASES = [
    pytest.param(group, case, id=f"{group}: {case.name}")
    for group, cases in CORPUS.items()
    for case in cases
]

_STATS = """\
import json, resource, subprocess, sys, time

def limit():
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))

start = time.perf_counter()
try:
    proc = subprocess.run(sys.argv[1:], capture_output=True, timeout={timeout},
                          preexec_fn=limit, stdin=subprocess.DEVNULL)
    rc, out, err = proc.returncode, proc.stdout, proc.stderr
except subprocess.TimeoutExpired as exc:
    rc, out, err = "timeout", exc.stdout or b"", exc.stderr or b""
json.dump({{"rc": rc, "out": out.decode("utf-8", "replace"),
           "err": err.decode("utf-8", "replace"), "elapsed": time.perf_counter() - start}},
          sys.stdout)
"""


def run_stats(root: Path, progress: Path, cache: Path) -> dict[str, Any]:
    pytest.importorskip("resource")
    script = _STATS.format(limit=ADDRESS_SPACE_LIMIT, timeout=TIME_LIMIT)
    env = {k: v for k, v in os.environ.items() if k != "STUDYGUIDE_DEBUG"}
    env["PYTHONPATH"] = str(REPO)
    env["STUDYGUIDE_CACHE"] = str(cache)
    argv = [sys.executable, "-m", "studyguide", "stats", "--content", str(root)]
    proc = subprocess.run(
        [sys.executable, "-c", script, *argv, "--progress", str(progress)],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIME_LIMIT + 30,
        stdin=subprocess.DEVNULL,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def state(path: Path) -> tuple[bytes, int] | tuple[str, int]:
    info = os.lstat(path)
    if path.is_symlink() or not path.is_file() or info.st_size > 2**20:
        return ("special", info.st_mtime_ns)
    return path.read_bytes(), info.st_mtime_ns


@pytest.fixture(scope="module")
def course_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("course")
    write_course(root, modules=2, per_module=4)
    return root


def exercise(doc, root: Path) -> None:
    """Everything the app does with a document: no exception may escape."""
    course = load_content([root]).course
    clock = FrozenClock(datetime.now(UTC))
    study = Study(course, doc, clock)
    overview(study)
    due_forecast(study)
    for question in course.questions:
        study.retrievability(question.id)
        study.is_buried(question.id)
        study.answer(question.id, right(question), 900)
        clock.advance(minutes=1)
    while study.undo() is not None:
        pass


@pytest.mark.parametrize(("group", "case"), CASES)
def test_corpus(group, case, tmp_path, course_root):
    path = tmp_path / "progress.json"
    if case.setup is not None:
        case.setup(path)
    else:
        content = case.content() if callable(case.content) else case.content
        path.write_bytes(content if isinstance(content, bytes) else json.dumps(content).encode())
    before = state(path)

    run = run_stats(course_root, path, tmp_path / "cache")
    assert run["rc"] != "timeout", f"stats hung: {run['err']}"
    assert "Traceback" not in run["err"] + run["out"], run["err"]
    assert run["elapsed"] < TIME_LIMIT

    if case.outcome == "refused":
        assert run["rc"] == 1, run["out"] + run["err"]
        lines = run["err"].strip().splitlines()
        assert len(lines) == 1, run["err"]
        real = os.path.realpath(path)  # a link: the file it points to has the backup
        assert str(path) in lines[0] and f"{real}.bak" in lines[0], lines[0]
        assert case.reason in lines[0], lines[0]
        store = ProgressStore(path)
        with pytest.raises(ProgressUnreadable) as info:
            store.open()
        assert case.reason in str(info.value)
        with pytest.raises(Exception, match="will not write over it"):
            store.save_soon(read_only_load_or_new())
        assert state(path) == before, "a refused file was changed"
        if not os.path.isfile(real):  # no lock file beside a device (/dev/zero.lock)
            assert not os.path.lexists(f"{real}.lock")
        return

    assert case.outcome == "repaired"
    assert run["rc"] == 0, run["err"]
    assert case.reason in run["err"], run["err"]
    assert str(path) in run["err"]
    assert state(path) == before, "stats wrote the file"
    with ProgressStore(path) as store:
        doc = store.open()
        assert any(case.reason in note for note in doc.warnings), doc.warnings
        if case.check is not None:
            case.check(doc)
        exercise(doc, course_root)
        store.save(doc)
        written = path.read_text(encoding="utf-8")
    again = read_only_load(path)
    assert again.warnings == []
    assert again.to_json() == written


def read_only_load_or_new():
    from studyguide.progress import ProgressDocument

    return ProgressDocument.new()


def test_the_base_file_is_valid_and_used(tmp_path, course_root):
    """The corpus edits a file that is fine as it is: each case fails for its own edit."""
    path = tmp_path / "progress.json"
    path.write_text(json.dumps(BASE))
    with ProgressStore(path) as store:
        doc = store.open()
        assert doc.warnings == []
        assert doc.cards == BASE["cards"] and doc.exams == BASE["exams"]
        exercise(doc, course_root)
    run = run_stats(course_root, path, tmp_path / "cache")
    assert run["rc"] == 0 and run["err"] == "", run["err"]


def test_corpus_counts():
    refused = sum(c.outcome == "refused" for cases in CORPUS.values() for c in cases)
    repaired = sum(c.outcome == "repaired" for cases in CORPUS.values() for c in cases)
    assert refused >= 70 and repaired >= 4
    assert len(CASES) == len({c.id for c in CASES})


def test_a_lone_surrogate_in_a_flag_note_does_not_crash_stats(tmp_path, course_root):
    path = tmp_path / "progress.json"
    data = changed((("flags", "m1-q03", "note"), "see \ud800 here"))()
    path.write_text(json.dumps(data))  # written as the escape \ud800, valid JSON
    env = {**os.environ, "PYTHONPATH": str(REPO), "STUDYGUIDE_CACHE": str(tmp_path / "c")}
    base = [sys.executable, "-m", "studyguide", "stats", "--content", str(course_root)]
    for extra in ([], ["--json"]):
        proc = subprocess.run(
            [*base, *extra, "--progress", str(path)],
            capture_output=True,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        out, err = proc.stdout.decode(), proc.stderr.decode()
        assert proc.returncode == 0 and "Traceback" not in err, err
        if extra:
            shown = json.loads(out, parse_constant=lambda name: pytest.fail(name))
            assert shown["flagged"][0]["note"] == "see \ud800 here"
        else:
            assert "see \ufffd here" in out


def test_stats_json_never_prints_nan():
    """Figures computed from a file can still come out NaN (a division by zero of
    floats, say); `stats --json` writes null, never the non-JSON `NaN`."""
    from studyguide.commands.stats import finite

    view = {"a": math.nan, "b": [1.5, math.inf, {"c": -math.inf}], "d": "NaN", "e": 2}
    text = json.dumps(finite(view), allow_nan=False)
    assert json.loads(text) == {"a": None, "b": [1.5, None, {"c": None}], "d": "NaN", "e": 2}


async def test_the_app_tells_the_learner_what_was_repaired(tmp_path):
    """A clock anomaly repaired on loading is shown in the app, not only kept in a list."""
    from tests.tui.conftest import AppFactory

    factory = AppFactory(tmp_path)
    factory.progress.parent.mkdir(parents=True)
    data = changed((("cards", "m1-q01", "last_review"), "9999-12-31T00:00:00+00:00"))()
    factory.progress.write_text(json.dumps(data))
    try:
        app = factory()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("had a last review in the future (9999-12-31)" in m for m in messages)
    finally:
        factory.close()
