"""A generated course on disk and a study state over it with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from studyguide.course import load_content
from studyguide.engine.clock import FrozenClock
from studyguide.engine.study import Study
from studyguide.progress.document import ProgressDocument
from tests.factories import write_course

BOSTON = ZoneInfo("America/New_York")


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    write_course(root)
    result = load_content([root])
    assert result.problems == []
    return result.course


@pytest.fixture
def clock():
    # 10:00 in Boston on a Tuesday in winter (15:00 UTC).
    return FrozenClock(datetime(2026, 1, 13, 15, 0, tzinfo=UTC), BOSTON)


@pytest.fixture
def study(course, clock):
    return Study(course, ProgressDocument.new(), clock)
