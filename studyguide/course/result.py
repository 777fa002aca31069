"""What loading content gives back: the course, and every problem found on the way."""

from __future__ import annotations

from dataclasses import dataclass, field

from studyguide.course.files import ContentFile
from studyguide.course.model import Course
from studyguide.course.problems import Problem


@dataclass
class LoadResult:
    course: Course
    problems: list[Problem] = field(default_factory=list)
    files: list[ContentFile] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]
