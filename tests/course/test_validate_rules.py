"""One test per validation error and warning, each pinned to its exact line."""

from __future__ import annotations

import shutil

from studyguide.course import load_content


def found(root, path=None):
    """(file name, line, severity, code) of every problem, optionally in one file."""
    result = load_content([root.root])
    return [
        (p.path.name, p.line, str(p.severity), p.code)
        for p in result.problems
        if path is None or p.path == path
    ]


def test_fixture_is_clean(content):
    result = load_content([content.root])
    assert result.problems == []
    assert [q.id for q in result.course.questions] == ["q1", "q2", "q3"]
    assert result.course.exam is not None


# --- errors ---------------------------------------------------------------


def test_yaml_syntax_error_has_line(content):
    content.edit(content.bank, "    tags: [habits]", "    tags: [habits")
    assert found(content) == [("basics.yaml", 48, "error", "yaml-syntax")]


def test_duplicate_key(content):
    content.edit(
        content.bank,
        "    explanation: Greeting first builds rapport.\n",
        "    explanation: Greeting first builds rapport.\n    explanation: Second one.\n",
    )
    assert found(content) == [("basics.yaml", 21, "error", "yaml-duplicate-key")]


def test_unknown_key_suggests_the_right_one(content):
    content.edit(content.bank, "    explanation: Greeting", "    explaination: Greeting")
    result = load_content([content.root])
    unknown = [p for p in result.problems if p.code == "unknown-key"]
    assert [(p.line, p.col) for p in unknown] == [(20, 5)]
    assert "did you mean `explanation`" in unknown[0].message
    missing = [p for p in result.problems if p.code == "missing-key"]
    assert [p.line for p in missing] == [8]


def test_missing_required_key(content):
    content.edit(content.bank, "    explanation: Greeting first builds rapport.\n", "")
    assert found(content) == [("basics.yaml", 8, "error", "missing-key")]


def test_wrong_type(content):
    content.edit(content.lesson, "order: 1", "order: first")
    assert found(content) == [("basics.yaml", 3, "error", "wrong-type")]


def test_empty_list_where_one_item_is_needed(content):
    content.edit(content.lesson, "objectives:\n  - Greet people well.", "objectives: []")
    assert found(content) == [("basics.yaml", 5, "error", "wrong-type")]


def test_duplicate_ids_across_files(content):
    copy = content.bank.with_name("copy.yaml")
    shutil.copy(content.bank, copy)
    content.edit(copy, "id: basics-bank", "id: copy-bank")
    assert found(content, copy) == [
        ("copy.yaml", 8, "error", "duplicate-id"),
        ("copy.yaml", 24, "error", "duplicate-id"),
        ("copy.yaml", 33, "error", "duplicate-id"),
    ]


def test_duplicate_bank_id(content):
    copy = content.bank.with_name("copy.yaml")
    shutil.copy(content.bank, copy)
    assert found(content, copy) == [("copy.yaml", 1, "error", "duplicate-id")]


def test_duplicate_section_id(content):
    content.edit(content.lesson, "  - id: listening", "  - id: greeting")
    assert found(content, content.lesson) == [("basics.yaml", 12, "error", "duplicate-id")]


def test_single_needs_exactly_one_correct(content):
    content.edit(
        content.bank, "        correct: true\n        feedback: Right", "        feedback: Right"
    )
    assert found(content) == [("basics.yaml", 13, "error", "correct-count")]


def test_single_with_two_correct(content):
    content.edit(
        content.bank,
        "        feedback: Too passive.",
        "        correct: true\n        feedback: Too passive.",
    )
    assert found(content) == [("basics.yaml", 13, "error", "correct-count")]


def test_multiple_needs_at_least_one_correct(content):
    content.edit(
        content.bank,
        "        correct: true\n        feedback: Yes.",
        "        feedback: Yes.",
        count=2,
    )
    assert found(content) == [("basics.yaml", 37, "error", "correct-count")]


def test_true_false_without_answer(content):
    content.edit(content.bank, "    answer: true\n", "")
    assert found(content) == [("basics.yaml", 24, "error", "missing-answer")]


def test_true_false_with_non_boolean_answer(content):
    content.edit(content.bank, "    answer: true", "    answer: yes please")
    assert found(content) == [("basics.yaml", 27, "error", "wrong-type")]


def test_true_false_with_choices(content):
    choices = "    choices:\n      - text: 'Yes'\n        correct: true\n      - text: 'No'\n"
    content.edit(content.bank, "    answer: true\n", "    answer: true\n" + choices)
    codes = found(content)
    assert ("basics.yaml", 28, "error", "choices-forbidden") in codes


def test_lesson_reference_points_nowhere(content):
    content.edit(content.bank, "lesson: basics#greeting", "lesson: basics#nowhere")
    assert found(content) == [("basics.yaml", 21, "error", "bad-reference")]


def test_malformed_lesson_reference(content):
    content.edit(content.bank, "lesson: basics#greeting", "lesson: basics")
    assert found(content) == [("basics.yaml", 21, "error", "bad-reference")]


def test_module_reference_points_nowhere(content):
    content.edit(content.bank, "module: basics", "module: nowhere")
    assert found(content, content.bank) == [("basics.yaml", 2, "error", "bad-reference")]


def test_scenario_reference_points_nowhere(content):
    content.edit(content.bank, "scenario: lobby", "scenario: garage")
    assert found(content) == [("basics.yaml", 10, "error", "bad-reference")]


def test_blueprint_reference_points_nowhere(content):
    content.edit(content.exam, "  basics: 1.0", "  basics: 0.5\n  nowhere: 0.5")
    assert found(content) == [("exam.yaml", 7, "error", "bad-reference")]


def test_blueprint_must_sum_to_one(content):
    content.edit(content.exam, "  basics: 1.0", "  basics: 0.9")
    assert found(content) == [("exam.yaml", 6, "error", "blueprint-sum")]


def test_pass_mark_out_of_range(content):
    content.edit(content.exam, "pass_mark: 0.7", "pass_mark: 70")
    assert found(content) == [("exam.yaml", 4, "error", "bad-value")]


def test_unknown_question_type_suggests(content):
    content.edit(content.bank, "type: single", "type: singel")
    result = load_content([content.root])
    assert [(p.line, p.code) for p in result.problems] == [(9, "bad-value")]
    assert "did you mean `single`" in result.problems[0].message


def test_empty_string(content):
    content.edit(content.bank, "prompt: What should the officer do first?", 'prompt: "  "')
    assert found(content) == [("basics.yaml", 11, "error", "empty-string")]


def test_bad_id(content):
    content.edit(content.bank, "- id: q1", "- id: Q 1")
    assert found(content) == [("basics.yaml", 8, "error", "bad-id")]


def test_escape_sequence_in_text(content):
    content.edit(content.bank, "prompt: What should", 'prompt: "\\e[2J\\e]0;pwned\\aWhat should')
    content.edit(content.bank, "officer do first?", 'officer do first?"')
    assert found(content) == [("basics.yaml", 11, "error", "control-char")]


def test_bidi_override_in_text(content):
    content.edit(content.lesson, "summary: The basics", 'summary: "\\u202eThe basics')
    content.edit(content.lesson, "of rapport.", 'of rapport."')
    assert found(content) == [("basics.yaml", 4, "error", "control-char")]


def test_control_char_in_markdown_body_names_its_line(content):
    content.edit(content.lesson, "Say **hello**", "Say \x07**hello**")
    assert found(content) == [("basics.yaml", 11, "error", "control-char")]


def test_file_too_large(content):
    big = content.bank.with_name("big.yaml")
    big.write_bytes(b"# padding\n" * 1_700_000)
    assert found(content, big) == [("big.yaml", 1, "error", "file-too-large")]


def test_alias_bomb(content):
    bomb = content.bank.with_name("bomb.yaml")
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    bomb.write_text("\n".join(lines) + "\n")
    assert found(content, bomb) == [("bomb.yaml", 6, "error", "yaml-alias-bomb")]


def test_python_tag_is_refused_not_executed(content, tmp_path):
    marker = tmp_path / "executed"
    evil = content.bank.with_name("evil.yaml")
    evil.write_text(f'id: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert found(content, evil) == [("evil.yaml", 1, "error", "yaml-tag")]
    assert not marker.exists()


def test_not_utf8(content):
    content.lesson.write_bytes(content.lesson.read_bytes().replace(b"Greeting\n", b"Gr\xe9eting\n"))
    assert found(content, content.lesson) == [("basics.yaml", 9, "error", "encoding")]


def test_second_exam_file(content, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "exam.yaml").write_text(content.exam.read_text())
    result = load_content([content.root, other])
    assert [(p.path.parent.name, p.line, p.code) for p in result.problems] == [
        ("other", 1, "duplicate-exam")
    ]


def test_bad_question_skips_only_itself(content):
    content.edit(content.bank, "    answer: true\n", "")
    result = load_content([content.root])
    assert [q.id for q in result.course.questions] == ["q1", "q3"]


def test_bad_file_does_not_stop_the_rest(content):
    content.lesson.with_name("broken.yaml").write_text("id: [unclosed\n")
    result = load_content([content.root])
    assert [p.code for p in result.problems] == ["yaml-syntax"]
    assert len(result.course.questions) == 3


# --- warnings -------------------------------------------------------------


def test_correct_choice_clearly_longest(content):
    content.edit(
        content.bank,
        "Greet the visitor and offer help.",
        "Greet the visitor warmly, introduce yourself and offer to help them find their way.",
    )
    assert found(content) == [("basics.yaml", 13, "warning", "longest-correct")]


def test_all_of_the_above(content):
    content.edit(content.bank, "Ask the visitor to leave.", "All of the above.")
    assert found(content) == [("basics.yaml", 18, "warning", "all-none-above")]


def test_none_of_the_above(content):
    content.edit(content.bank, "Ask the visitor to leave.", "None of the above")
    assert found(content) == [("basics.yaml", 18, "warning", "all-none-above")]


def test_unemphasised_negative_stem(content):
    content.edit(
        content.bank, "What should the officer do first?", "What should the officer not do?"
    )
    assert found(content) == [("basics.yaml", 11, "warning", "negative-stem")]


def test_emphasised_negative_stem_is_fine(content):
    content.edit(
        content.bank, "What should the officer do first?", "What should the officer NOT do?"
    )
    content.edit(content.bank, "Which habits build rapport?", "Which habit does **not** help?")
    assert found(content) == []


def test_negative_outside_the_question_sentence_is_fine(content):
    content.edit(
        content.bank,
        "prompt: What should the officer do first?",
        "prompt: The visitor does not speak. What should the officer do first?",
    )
    assert found(content) == []


def test_duplicate_choice(content):
    content.edit(content.bank, "Ask the visitor to leave.", "Watch the visitor from the  desk.")
    assert found(content) == [("basics.yaml", 18, "warning", "duplicate-choice")]


def test_duplicate_prompt_across_banks(content):
    copy = content.bank.with_name("copy.yaml")
    text = content.bank.read_text().replace("id: basics-bank", "id: copy-bank")
    text = text.replace("- id: q", "- id: c")
    copy.write_text(text)
    assert found(content, copy) == [
        ("copy.yaml", 11, "warning", "duplicate-prompt"),
        ("copy.yaml", 26, "warning", "duplicate-prompt"),
        ("copy.yaml", 35, "warning", "duplicate-prompt"),
    ]


def test_same_prompt_on_different_scenarios_is_fine(content):
    copy = content.bank.with_name("copy.yaml")
    text = content.bank.read_text().replace("id: basics-bank", "id: copy-bank")
    text = text.replace("- id: q", "- id: c").replace("looking lost", "holding a map")
    text = text.replace("prompt: Listening is", "prompt: Listening really is")
    text = text.replace("prompt: Which habits", "prompt: Which two habits")
    copy.write_text(text)
    assert found(content, copy) == []


def test_choice_without_feedback(content):
    content.edit(content.bank, "        feedback: Too passive.\n", "")
    assert found(content) == [("basics.yaml", 16, "warning", "missing-feedback")]


def test_true_false_without_feedback(content):
    content.edit(content.bank, "    feedback_true: Right.\n", "")
    assert found(content) == [("basics.yaml", 24, "warning", "missing-feedback")]


def test_single_with_two_choices(content):
    content.edit(
        content.bank,
        "      - text: Ask the visitor to leave.\n        feedback: Too forceful.\n",
        "",
    )
    assert found(content) == [("basics.yaml", 13, "warning", "few-choices")]


def test_a_file_of_millions_of_tiny_values_is_refused_before_parsing(content):
    import time

    flat = content.bank.with_name("flat.yaml")
    flat.write_text("[" + "1," * 3_000_000 + "1]\n")
    begin = time.perf_counter()
    assert found(content, flat) == [("flat.yaml", 1, "error", "file-too-large")]
    assert time.perf_counter() - begin < 2


def test_exam_time_limit_has_a_ceiling(content):
    content.edit(content.exam, "time_limit_minutes: 5", "time_limit_minutes: 100000")
    assert found(content) == [("exam.yaml", 3, "error", "bad-value")]


def test_more_than_nine_choices_is_an_error(content):
    # Only the digits 1-9 pick a choice: a tenth could not be answered from the keyboard.
    extra = "".join(f"      - text: Extra choice {n}.\n        feedback: No.\n" for n in range(7))
    content.edit(
        content.bank,
        "      - text: Ask the visitor to leave.\n        feedback: Too forceful.\n",
        "      - text: Ask the visitor to leave.\n        feedback: Too forceful.\n" + extra,
    )
    assert found(content) == [("basics.yaml", 13, "error", "too-many-items")]
    result = load_content([content.root])
    assert "at most 9 items, not 10" in result.problems[0].message
    assert "q1" not in [q.id for q in result.course.questions]


def test_nine_choices_are_fine(content):
    extra = "".join(f"      - text: Extra choice {n}.\n        feedback: No.\n" for n in range(6))
    content.edit(
        content.bank,
        "      - text: Ask the visitor to leave.\n        feedback: Too forceful.\n",
        "      - text: Ask the visitor to leave.\n        feedback: Too forceful.\n" + extra,
    )
    assert found(content) == []


def test_a_prompt_over_the_length_limit_warns(content):
    from studyguide.course.lint import LONG_PROMPT

    long = "Why? " * (LONG_PROMPT // 5 + 1)
    content.edit(content.bank, "prompt: What should the officer do first?", f"prompt: {long}")
    assert found(content) == [("basics.yaml", 11, "warning", "long-prompt")]
    content.edit(content.bank, f"prompt: {long}", f"prompt: {'x' * LONG_PROMPT}")
    assert found(content) == []
