"""Problems point at every place involved: both ends of a clash, where a YAML construct
began, and a content folder given twice is one folder, not a clash with itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from studyguide.course import load_content
from tests.course.conftest import ContentRoot


def test_a_duplicate_question_id_names_both_places(content: ContentRoot):
    other = content.bank.with_name("other.yaml")
    other.write_text(
        content.bank.read_text()
        .replace("id: basics-bank", "id: other-bank")
        .replace("id: q2", "id: q2b")
        .replace("id: q3", "id: q3b")
    )
    (problem,) = load_content([content.root]).errors
    assert (problem.path, problem.line, problem.code) == (other, 8, "duplicate-id")
    assert f"{content.bank}:8" in problem.message  # where q1 was first defined
    assert "'q1'" in problem.message


def test_a_duplicate_bank_and_lesson_id_name_both_places(content: ContentRoot):
    shutil.copy(content.bank, content.bank.with_name("copy.yaml"))
    lesson_copy = content.lesson.with_name("copy.yaml")
    lesson_copy.write_text(content.lesson.read_text())
    messages = {
        p.path.parent.name: p.message
        for p in load_content([content.root]).problems
        if p.code == "duplicate-id" and p.path.name == "copy.yaml"
    }
    assert f"{content.bank}:1" in messages["banks"]
    assert f"{content.lesson}:1" in messages["lessons"]


def test_the_same_folder_twice_is_loaded_once(content: ContentRoot, tmp_path):
    alias = tmp_path / "alias"
    alias.symlink_to(content.root)
    once = load_content([content.root])
    for roots in (
        [content.root, content.root],
        [content.root, content.root / ".." / content.root.name],
        [content.root, alias],
    ):
        result = load_content(roots)
        assert result.problems == [], roots
        assert [q.id for q in result.course.questions] == [q.id for q in once.course.questions]
        assert len(result.files) == len(once.files)


def test_the_same_folder_twice_on_the_command_line(content: ContentRoot):
    twice = ["--content", str(content.root), "--content", f"{content.root}{os.sep}"]
    out = subprocess.run(
        [sys.executable, "-m", "studyguide", *twice, "validate"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "duplicate" not in out.stdout and out.stdout.startswith("ok: 3 files")


def test_an_unclosed_quote_names_the_line_it_opened_on(content: ContentRoot):
    # Line 11 opens a quote that is never closed; the parser gives up near the end.
    content.edit(
        content.bank,
        "    prompt: What should the officer do first?",
        '    prompt: "What should the officer do first?',
    )
    (problem,) = load_content([content.root]).problems
    assert problem.code == "yaml-syntax"
    assert problem.line > 11  # where the parser gave up, as before
    assert "quoted scalar" in problem.message
    assert "line 11, column 13" in problem.message


def test_an_unclosed_flow_list_names_the_line_it_opened_on(content: ContentRoot):
    content.edit(content.bank, "    tags: [habits]", "    tags: [habits")
    (problem,) = load_content([content.root]).problems
    assert (problem.line, problem.code) == (48, "yaml-syntax")
    assert "flow sequence" in problem.message and "line 47, column 11" in problem.message


def test_a_duplicate_scenario_id_names_the_first_line(content: ContentRoot):
    content.edit(
        content.bank,
        "questions:\n",
        "  - id: lobby\n    text: Another lobby.\nquestions:\n",
    )
    (problem,) = load_content([content.root]).errors
    assert (problem.line, problem.code) == (7, "duplicate-id")
    assert "first on line 5" in problem.message
