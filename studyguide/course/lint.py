"""Warnings for the classic item-writing flaws. They never stop a question from loading."""

from __future__ import annotations

import re
from pathlib import Path

from studyguide.course.problems import Problem, line_col, warning
from studyguide.course.yamlsafe import YMap

_ALL_NONE = re.compile(r"\b(all|none|both|neither) of the (above|following)\b", re.IGNORECASE)
_NEGATIVE = re.compile(r"(\*\*|\*|_)?\b(not|except|never|least)\b(\*\*|\*|_)?", re.IGNORECASE)
_NEGATIVE_WORDS = ("not", "except", "never", "least")

# "Clearly the longest": both a ratio and an absolute margin, so short choices don't trip it.
LONGEST_RATIO = 1.5
LONGEST_MARGIN = 25
# A prompt longer than this pushes its choices below an 80x24 screen: the learner must
# scroll to see them (docs/content-format.md, "Limits").
LONG_PROMPT = 1000


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def question_warnings(raw: YMap, path: Path) -> list[Problem]:
    out: list[Problem] = []
    _negative_stem(raw, path, out)
    if len(raw["prompt"]) > LONG_PROMPT:
        msg = (
            f"prompt is {len(raw['prompt'])} characters (over {LONG_PROMPT}): its choices "
            "start below an 80x24 screen; move the background into a scenario or shorten it"
        )
        out.append(warning(path, raw.val_pos["prompt"], msg, "long-prompt"))
    if raw["type"] == "true_false":
        for key in ("feedback_true", "feedback_false"):
            if key not in raw:
                out.append(
                    warning(
                        path, raw.pos, f"true_false question has no `{key}`", "missing-feedback"
                    )
                )
        return out
    choices = raw["choices"]
    positions = choices.item_pos
    seen: dict[str, int] = {}
    for choice, pos in zip(choices, positions, strict=True):
        text = choice["text"]
        if " of the " in text.lower() and _ALL_NONE.search(text):
            msg = f"choice {text!r} is an 'all/none of the above' choice: write a real option"
            out.append(warning(path, pos, msg, "all-none-above"))
        key = _norm(text)
        if key in seen:
            msg = f"choice {text!r} repeats the choice on line {line_col(seen[key])[0]}"
            out.append(warning(path, pos, msg, "duplicate-choice"))
        seen.setdefault(key, pos)
        if "feedback" not in choice:
            msg = "choice has no `feedback`: say why it is right or wrong"
            out.append(warning(path, pos, msg, "missing-feedback"))
    if raw["type"] == "single":
        if len(choices) < 3:
            msg = f"single question has {len(choices)} choices; give at least three"
            out.append(warning(path, raw.val_pos["choices"], msg, "few-choices"))
        _longest_correct(choices, path, out)
    return out


def _longest_correct(choices, path: Path, out: list[Problem]) -> None:
    right = [c for c in choices if c.get("correct") is True]
    wrong = [len(c["text"]) for c in choices if c.get("correct") is not True]
    if len(right) != 1 or not wrong:
        return
    length, longest_wrong = len(right[0]["text"]), max(wrong)
    if length >= LONGEST_RATIO * longest_wrong and length - longest_wrong >= LONGEST_MARGIN:
        msg = (
            f"the correct choice ({length} characters) is clearly longer than every other "
            f"(longest {longest_wrong}): length gives the answer away"
        )
        index = choices.index(right[0])
        out.append(warning(path, choices.item_pos[index], msg, "longest-correct"))


def question_sentence(prompt: str) -> str:
    """The sentence that asks, when the prompt ends with a question; else the whole prompt."""
    text = prompt.rstrip()
    if not text.endswith("?"):
        return prompt
    start = max(text.rfind(mark, 0, len(text) - 1) for mark in ".!?") + 1
    return text[start:]


def _negative_stem(raw: YMap, path: Path, out: list[Problem]) -> None:
    stem = question_sentence(raw["prompt"])
    lowered = stem.lower()
    if not any(word in lowered for word in _NEGATIVE_WORDS):
        return
    for match in _NEGATIVE.finditer(stem):
        word = match.group(2)
        emphasised = word.isupper() or (match.group(1) and match.group(3))
        if not emphasised:
            msg = (
                f"negative stem ({word!r}) is easy to misread: rephrase, or emphasise it as "
                f"{word.upper()} or **{word}**"
            )
            out.append(warning(path, raw.val_pos["prompt"], msg, "negative-stem"))
            return
