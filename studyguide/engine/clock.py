"""Time: UTC for everything stored, local time only for where the study day begins.

A time zone of None means the system's own rules, applied to each instant separately
(Python's `astimezone()` without an argument): the offset in effect at that moment, so
daylight-saving changes and a zone change while the app runs are both honoured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

DAY_STARTS_AT_HOUR = 4  # a study day runs from 4 a.m. to 4 a.m. local time, as in Anki


class Clock:
    """The real clock. Tests pass a FrozenClock instead."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def local_tz(self) -> tzinfo | None:
        # Not today's fixed UTC offset: that would misplace the 4 a.m. boundary of days
        # on the other side of a daylight-saving change.
        return None


@dataclass
class FrozenClock(Clock):
    current: datetime
    tz: tzinfo = field(default=UTC)

    def now(self) -> datetime:
        return self.current

    def local_tz(self) -> tzinfo | None:
        return self.tz

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


def study_day(moment: datetime, tz: tzinfo | None) -> date:
    """The study day a UTC moment belongs to: its local date, less four hours."""
    return (moment.astimezone(tz) - timedelta(hours=DAY_STARTS_AT_HOUR)).date()


def day_start(day: date, tz: tzinfo | None) -> datetime:
    """The UTC moment a study day begins: 4 a.m. local (a naive time is read as system
    local time). A 4 a.m. lost to a daylight-saving jump resolves to a real instant."""
    local = datetime(day.year, day.month, day.day, DAY_STARTS_AT_HOUR, tzinfo=tz)
    return local.astimezone(UTC)


def next_day_start(moment: datetime, tz: tzinfo | None) -> datetime:
    return day_start(study_day(moment, tz) + timedelta(days=1), tz)


def parse_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def entries_since(log: list[dict], moment: datetime) -> list[dict]:
    """Log entries stamped at or after `moment`, wherever they sit in the log.

    The whole log is read: a clock that once jumped back leaves it out of order, so
    stopping at the first older entry could miss newer ones. Stamps in the canonical UTC
    form compare correctly as text, which keeps a 100,000-answer scan to milliseconds.
    """
    mark = moment.astimezone(UTC).isoformat()
    found = []
    for entry in log:
        stamp = entry["time"]
        if stamp.endswith("+00:00") and len(stamp) >= 25:
            if stamp >= mark:
                found.append(entry)
        elif parse_time(stamp) >= moment:
            found.append(entry)
    return found
