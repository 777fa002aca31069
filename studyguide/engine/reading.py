"""A lesson's pages, defined once: what the reader shows one at a time and what the
lessons list counts. Reading progress is the pages the learner has opened."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studyguide.course.model import Lesson

OVERVIEW, TERMS = "overview", "terms"


@dataclass(frozen=True)
class Page:
    id: str  # "overview", a section id, or "terms"; what the reading position stores
    title: str
    markdown: str | None = None  # a section body; None: the page is built as literal text


def pages_of(lesson: Lesson) -> list[Page]:
    """The overview, one page per section, then key terms and sources."""
    return [
        Page(OVERVIEW, "Overview"),
        *(Page(s.id, s.title, s.body) for s in lesson.sections),
        Page(TERMS, "Key terms and sources"),
    ]


@dataclass(frozen=True)
class ReadingProgress:
    pages: int
    read: int  # pages of the lesson as it is now that have been opened

    @property
    def done(self) -> bool:
        return self.read >= self.pages


def reading_progress(lesson: Lesson, read: Iterable[str]) -> ReadingProgress:
    """How much of a lesson has been read; a page id no longer in the lesson counts not."""
    opened = set(read)
    pages = pages_of(lesson)
    return ReadingProgress(len(pages), sum(1 for page in pages if page.id in opened))
