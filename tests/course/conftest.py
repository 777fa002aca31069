"""A small valid content root whose line numbers the validator tests rely on."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

LESSON = textwrap.dedent(
    """\
    id: basics
    title: Basics
    order: 1
    summary: The basics of rapport.
    objectives:
      - Greet people well.
    sections:
      - id: greeting
        title: Greeting
        body: |
          Say **hello** at the Natick mall entrance.
      - id: listening
        title: Listening
        body: Listen first.
    key_terms:
      - term: Rapport
        definition: Mutual trust.
    sources:
      - title: COPS Office
    """
)

# Line numbers: question q1 starts on line 8, q2 on line 24, q3 on line 33.
BANK = textwrap.dedent(
    """\
    id: basics-bank
    module: basics
    title: Basics bank
    scenarios:
      - id: lobby
        text: A visitor stands in a Boston office lobby looking lost.
    questions:
      - id: q1
        type: single
        scenario: lobby
        prompt: What should the officer do first?
        choices:
          - text: Greet the visitor and offer help.
            correct: true
            feedback: Right, an open greeting.
          - text: Watch the visitor from the desk.
            feedback: Too passive.
          - text: Ask the visitor to leave.
            feedback: Too forceful.
        explanation: Greeting first builds rapport.
        lesson: basics#greeting
        tags: [greeting]
        difficulty: easy
      - id: q2
        type: true_false
        prompt: Listening is a skill that can be practised.
        answer: true
        feedback_true: Right.
        feedback_false: It can be practised.
        explanation: Active listening is learned.
        lesson: basics#listening
        tags: [listening]
      - id: q3
        type: multiple
        prompt: Which habits build rapport?
        choices:
          - text: Greeting regulars by name.
            correct: true
            feedback: Yes.
          - text: Following up on concerns.
            correct: true
            feedback: Yes.
          - text: Staying behind the desk all shift.
            feedback: No.
        explanation: Small gestures and follow-up both build trust.
        lesson: basics#greeting
        tags: [habits]
    """
)

EXAM = textwrap.dedent(
    """\
    title: Practice
    questions: 2
    time_limit_minutes: 5
    pass_mark: 0.7
    blueprint:
      basics: 1.0
    note: This is the app's own practice standard.
    """
)


class ContentRoot:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.lesson = root / "lessons" / "basics.yaml"
        self.bank = root / "banks" / "basics.yaml"
        self.exam = root / "exam.yaml"
        self.lesson.parent.mkdir(parents=True)
        self.bank.parent.mkdir(parents=True)
        self.lesson.write_text(LESSON, encoding="utf-8")
        self.bank.write_text(BANK, encoding="utf-8")
        self.exam.write_text(EXAM, encoding="utf-8")

    def edit(self, path: Path, old: str, new: str, count: int = 1) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def content(tmp_path: Path) -> ContentRoot:
    return ContentRoot(tmp_path / "course")
