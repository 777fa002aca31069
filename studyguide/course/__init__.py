"""Content: load YAML with positions, validate it, and build the immutable course model."""

from studyguide.course.loader import LoadResult, load_content
from studyguide.course.model import Bank, Choice, Course, ExamSpec, Lesson, Question, Scenario
from studyguide.course.problems import Problem, Severity

__all__ = [
    "Bank",
    "Choice",
    "Course",
    "ExamSpec",
    "Lesson",
    "LoadResult",
    "Problem",
    "Question",
    "Scenario",
    "Severity",
    "load_content",
]
