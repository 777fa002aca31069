"""Time going wrong: the clock jumping back, the time zone changing, daylight saving
around the 4 a.m. day boundary. No crash, no negative interval, no day counted twice."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fsrs import Rating

from studyguide.engine import queue, stats
from studyguide.engine.clock import Clock, FrozenClock, day_start, parse_time, study_day
from studyguide.engine.queue import ReviewSession
from studyguide.engine.study import Study
from studyguide.progress.document import ProgressDocument
from tests.factories import right, write_course, wrong

BOSTON = ZoneInfo("America/New_York")
TOKYO = ZoneInfo("Asia/Tokyo")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")  # half-hour daylight saving


@pytest.fixture
def course(tmp_path):
    from studyguide.course import load_content

    write_course(tmp_path / "course")
    return load_content([tmp_path / "course"]).course


def make(course, when: datetime, tz=BOSTON) -> Study:
    return Study(course, ProgressDocument.new(), FrozenClock(when, tz))


def assert_sane(study: Study) -> None:
    for qid, record in study.doc.cards.items():
        card = study.card(qid)
        assert card.due >= card.last_review, qid
        assert record["stability"] is None or record["stability"] > 0


def test_clock_jumping_back_a_day_mid_session(course):
    study = make(course, datetime(2026, 3, 2, 15, tzinfo=UTC))
    session = ReviewSession(study)
    for step in range(12):
        q = session.next()
        session.answer(q, right(q) if step % 3 else wrong(q), 900)
        if step == 5:
            study.clock.advance(days=-1)  # NTP fix, or a dead CMOS battery
    assert_sane(study)
    counts = queue.today_counts(study)
    assert counts.new + counts.reviews <= len(study.doc.log)
    assert stats.streak(study, study.clock.now()) >= 1
    per_day = stats.reviews_per_day(study, 30)
    today = study_day(study.clock.now(), BOSTON)
    shown = [e for e in study.doc.log if study_day(parse_time(e["time"]), BOSTON) <= today]
    # Answers stamped "tomorrow" by the clock before it jumped wait for their day; each
    # answer is counted once, on its own day.
    assert sum(n for _day, n in per_day) == len(shown) == 6
    study.clock.advance(days=1)
    assert sum(n for _day, n in stats.reviews_per_day(study, 30)) == 12


def test_clock_far_in_the_past_then_back_to_now(course):
    study = make(course, datetime(2026, 3, 2, 15, tzinfo=UTC))
    q = course.questions[0]
    study.answer(q.id, right(q), 500)
    study.rate_last(Rating.Easy)
    study.clock.current = datetime(1999, 12, 31, 23, tzinfo=UTC)
    study.answer(q.id, wrong(q), 500)
    study.clock.current = datetime(2026, 3, 10, 15, tzinfo=UTC)
    study.answer(q.id, right(q), 500)
    assert_sane(study)
    assert stats.overview(study).due_now >= 0
    assert study.undo() == q.id and study.undo() == q.id


def test_time_zone_change_while_studying(course):
    # Evening in Boston, then the learner flies to Tokyo: same instant, other study day.
    study = make(course, datetime(2026, 6, 10, 23, tzinfo=UTC))  # 19:00 in Boston
    session = ReviewSession(study)
    for _ in range(5):
        q = session.next()
        session.answer(q, right(q), 700)
    assert queue.today_counts(study).new == 5
    # The learner flies to Tokyo. Those answers were given at 08:00 on June 11 Tokyo time,
    # so in Tokyo they belong to June 11's study day, and June 11 is today there.
    study.clock.tz = TOKYO
    study.clock.advance(hours=14)  # 22:00 on June 11 in Tokyo
    assert queue.today_counts(study).new == 5
    assert len(queue.plan(study)[1]) == 10
    session = ReviewSession(study)
    q = session.next()
    session.answer(q, right(q), 700)
    assert_sane(study)
    per_day = dict(stats.reviews_per_day(study, 30))
    assert sum(per_day.values()) == 6 and per_day[date(2026, 6, 11)] == 6
    assert stats.streak(study, study.clock.now()) == 1  # one day, not counted twice
    study.clock.tz = BOSTON  # and home again: the same answers fall on June 10 and 11
    per_day = dict(stats.reviews_per_day(study, 30))
    assert sum(per_day.values()) == 6 and per_day[date(2026, 6, 10)] == 5


@pytest.mark.parametrize(
    ("tz", "day"),
    [
        (BOSTON, date(2026, 3, 8)),  # spring forward at 02:00
        (BOSTON, date(2026, 11, 1)),  # fall back at 02:00
        (LORD_HOWE, date(2026, 4, 5)),  # half an hour back
        (LORD_HOWE, date(2026, 10, 4)),  # half an hour forward
    ],
)
def test_daylight_saving_days_have_one_boundary_each(tz, day):
    starts = [day_start(day + timedelta(days=n), tz) for n in range(-2, 3)]
    lengths = [b - a for a, b in itertools.pairwise(starts)]
    assert all(timedelta(hours=22) <= gap <= timedelta(hours=26) for gap in lengths)
    assert len(set(starts)) == len(starts)
    for start in starts:
        local = start.astimezone(tz)
        assert (local.hour, local.minute) == (4, 0)
        assert study_day(start, tz) == local.date()
        assert study_day(start - timedelta(seconds=1), tz) == local.date() - timedelta(days=1)


@pytest.mark.parametrize("tz", [BOSTON, LORD_HOWE])
def test_every_minute_around_daylight_saving_maps_to_one_day_in_order(tz):
    begin = datetime(2026, 3, 7, tzinfo=UTC)
    days = [study_day(begin + timedelta(minutes=m), tz) for m in range(0, 4 * 24 * 60, 7)]
    assert days == sorted(days)
    assert all((b - a).days in (0, 1) for a, b in itertools.pairwise(days))


def test_answers_across_a_daylight_saving_night_are_counted_once(course):
    # Answers every 20 minutes through the night of the spring change in Boston.
    study = make(course, datetime(2026, 3, 8, 4, tzinfo=UTC))  # 23:00 on March 7 local
    for n in range(24):
        q = course.questions[n]
        study.answer(q.id, right(q), 400)
        study.clock.advance(minutes=20)
    study.clock.current = datetime(2026, 3, 9, 15, tzinfo=UTC)
    per_day = dict(stats.reviews_per_day(study, 5))
    assert sum(per_day.values()) == 24
    # 23:00 to 04:00 local belongs to March 7's study day; from 04:00, to March 8's.
    assert per_day[date(2026, 3, 7)] + per_day[date(2026, 3, 8)] == 24
    assert per_day[date(2026, 3, 8)] > 0 and per_day[date(2026, 3, 7)] > 0
    assert stats.streak(study, study.clock.now()) == 2  # 7 and 8 studied; 9 not over yet
    assert stats.streak(study, datetime(2026, 3, 8, 20, tzinfo=UTC)) == 2


def test_bury_lasts_until_4am_local_even_on_a_daylight_saving_day(course):
    study = make(course, datetime(2026, 3, 7, 20, tzinfo=UTC))  # 15:00 EST, March 7
    until = study.bury(course.questions[0].id)
    assert until.astimezone(BOSTON) == datetime(2026, 3, 8, 4, tzinfo=BOSTON)
    assert until - study.clock.now() == timedelta(hours=12)  # 13 wall hours, one skipped


def test_the_real_clock_follows_the_system_zone_and_its_daylight_saving():
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is POSIX only")
    code = (
        "from datetime import date, datetime, UTC\n"
        "from studyguide.engine.clock import Clock, day_start, study_day\n"
        "tz = Clock().local_tz()\n"
        "for d in (date(2026, 1, 15), date(2026, 7, 15)):\n"
        "    print(day_start(d, tz).isoformat())\n"
        "print(study_day(datetime(2026, 7, 15, 7, 59, tzinfo=UTC), tz))\n"
    )
    env = {**os.environ, "TZ": "America/New_York"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    # 4 a.m. is 09:00 UTC in winter (EST) and 08:00 UTC in summer (EDT).
    assert out == ["2026-01-15T09:00:00+00:00", "2026-07-15T08:00:00+00:00", "2026-07-14"]
    assert isinstance(Clock().now(), datetime)


def test_entries_since_reads_an_out_of_order_log_and_any_stamp_form():
    from studyguide.engine.clock import entries_since

    log = [
        {"time": "2026-03-02T10:00:00+00:00"},
        {"time": "2026-02-01T10:00:00+00:00"},  # the clock had jumped back
        {"time": "2026-03-02T09:00:00.500000+00:00"},
        {"time": "2026-03-02T08:59:59.999999+00:00"},
        {"time": "2026-03-02T04:30:00-05:00"},  # written by hand with an offset: 09:30 UTC
        {"time": "2026-03-02T09:00:00"},  # naive: read as UTC
    ]
    found = entries_since(log, datetime(2026, 3, 2, 9, tzinfo=UTC))
    assert [e["time"] for e in found] == [
        "2026-03-02T10:00:00+00:00",
        "2026-03-02T09:00:00.500000+00:00",
        "2026-03-02T04:30:00-05:00",
        "2026-03-02T09:00:00",
    ]
