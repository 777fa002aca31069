"""Time: UTC for everything stored, local time only for where the study day begins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

DAY_STARTS_AT_HOUR = 4  # a study day runs from 4 a.m. to 4 a.m. local time, as in Anki


class Clock:
    """The real clock. Tests pass a FrozenClock instead."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_tz(self) -> tzinfo:
        # Looked up on every call so a time-zone change while the app runs is honoured.
        return datetime.now().astimezone().tzinfo or UTC


@dataclass
class FrozenClock(Clock):
    current: datetime
    tz: tzinfo = field(default=UTC)

    def now(self) -> datetime:
        return self.current

    def local_tz(self) -> tzinfo:
        return self.tz

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


def study_day(moment: datetime, tz: tzinfo) -> date:
    """The study day a UTC moment belongs to."""
    return (moment.astimezone(tz) - timedelta(hours=DAY_STARTS_AT_HOUR)).date()


def day_start(day: date, tz: tzinfo) -> datetime:
    """The UTC moment a study day begins (4 a.m. local; DST gaps resolve forward)."""
    local = datetime(day.year, day.month, day.day, DAY_STARTS_AT_HOUR, tzinfo=tz)
    # Round-trip through UTC so a non-existent local time lands on a real instant.
    return local.astimezone(UTC)


def next_day_start(moment: datetime, tz: tzinfo) -> datetime:
    return day_start(study_day(moment, tz) + timedelta(days=1), tz)


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
