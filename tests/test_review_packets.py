"""Reviewer packets (benchmarks/review_packets.py): what each reviewer sees, and scoring."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import review_packets as rp
from tests.item_content import write_content

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "review_packets.py"

CHOICES = [
    ["Greet the visitor and offer help", "Watch from the desk", "Ask them to leave", "Call 911"],
    ["Listen to the whole complaint", "Interrupt with the rule", "Walk away", "Promise a refund"],
    ["Note the broken light", "Ignore it", "Fix the wiring yourself", "Blame the tenants"],
]


@pytest.fixture
def content(tmp_path) -> Path:
    bank = [
        {
            "choices": CHOICES[0],
            "key": 0,
            "prompt": "What does the officer do first?",
            "scenario": "A visitor stands in a Lowell office lobby looking lost.",
        },
        {"choices": CHOICES[1], "key": 0, "prompt": "A resident complains. What now?"},
        {"type": "true_false", "prompt": "Rapport takes time to build.", "key": True},
        {"type": "multiple", "choices": CHOICES[2], "key": [0, 1], "prompt": "Which two?"},
    ]
    other = [{"choices": CHOICES[2], "key": 0, "prompt": "A light is out in the garage."}]
    return write_content(tmp_path / "content", {"m1": bank, "m2": other})


def make(kind: str, content: Path, out: Path, count=None, seed=11) -> tuple[str, dict]:
    packet = rp.make(kind, [content], out, count, seed)
    key = json.loads((out / f"{kind}-key.json").read_text())
    return packet.read_text(), key


def choice_lines(packet: str, item: str) -> dict[str, str]:
    block = packet.split(f"## {item}\n", 1)[1].split("\n## ", 1)[0]
    return dict(re.findall(r"^([A-Z])\. (.*)$", block, re.MULTILINE))


def test_options_only_packet_hides_everything_but_the_choices(content, tmp_path):
    packet, key = make("options-only", content, tmp_path / "out")
    assert sorted(key["items"]) == ["O001", "O002", "O003"]  # single-answer questions only
    for hidden in (
        "What does the officer",
        "Lowell",
        "A resident complains",
        "Feedback",
        "keyed so",
        "Lesson body",
        "[KEY]",
        "m1-q",
        "Rapport takes time",
    ):
        assert hidden not in packet, hidden  # fmt: skip
    keyed = {"m1-q001": CHOICES[0][0], "m1-q002": CHOICES[1][0], "m2-q001": CHOICES[2][0]}
    for item, info in key["items"].items():
        shown = choice_lines(packet, item)
        assert sorted(shown.values()) == sorted(CHOICES[["m1-q001", "m1-q002", "m2-q001"].index(
            info["question"])])  # fmt: skip
        assert shown[info["key"]] == keyed[info["question"]]


def test_tone_packet_shows_stem_and_scenario_but_no_key(content, tmp_path):
    packet, key = make("tone", content, tmp_path / "out")
    assert "Situation: A visitor stands in a Lowell office lobby looking lost." in packet
    assert "Question: A resident complains. What now?" in packet
    for hidden in ("Feedback", "keyed so", "Lesson body", "[KEY]", "m1-q"):
        assert hidden not in packet, hidden
    for item, info in key["items"].items():
        assert item.startswith("T")
        assert choice_lines(packet, item)[info["key"]] in {c[0] for c in CHOICES}


def test_exam_board_packet_holds_everything(content, tmp_path):
    packet, key = make("exam-board", content, tmp_path / "out")
    assert sorted(key["items"]) == ["m1-q001", "m1-q002", "m1-q003", "m1-q004", "m2-q001"]
    for shown in (
        "## Lesson section m1#s1: One",
        "Lesson body of m1.",
        "Source for m2",
        "Scenario (sc1): A visitor stands",
        "Feedback 2 of m1-q002.",
        "Why m1-q004 is keyed so.",
        "A. Greet the visitor and offer help  [KEY]",
        "A. True  [KEY]",
        "B. Ignore it  [KEY]",
    ):
        assert shown in packet, shown  # fmt: skip
    assert key["items"]["m1-q004"]["key"] == "AB"
    assert key["items"]["m1-q003"]["key"] == "A"
    assert packet.index("# Module m1") < packet.index("# Module m2")


def test_packets_are_deterministic_and_sampled_across_modules(content, tmp_path):
    first, board = make("exam-board", content, tmp_path / "a", count=2)
    again, _ = make("exam-board", content, tmp_path / "b", count=2)
    assert first == again
    assert sorted(i["module"] for i in board["items"].values()) == ["m1", "m2"]
    # the same seed samples the same questions for the blind packets (their singles)
    for kind in ("options-only", "tone"):
        _, key = make(kind, content, tmp_path / kind, count=3, seed=5)
        _, full = make("exam-board", content, tmp_path / f"{kind}-board", count=3, seed=5)
        shown = {info["question"] for info in key["items"].values()}
        singles = {q for q in full["items"] if q in {"m1-q001", "m1-q002", "m2-q001"}}
        assert shown == singles
    other_seed, _ = make("options-only", content, tmp_path / "c", seed=12)
    full_packet, _ = make("options-only", content, tmp_path / "d")
    assert other_seed != full_packet


def answers_for(key: dict, pick) -> str:
    return "\n".join(f"{item} {pick(item, info)}" for item, info in key["items"].items())


def test_options_only_scoring(content, tmp_path):
    _, key = make("options-only", content, tmp_path / "out")
    every_key = rp.score(key, answers_for(key, lambda i, info: info["key"]))
    assert every_key["value"] == pytest.approx(100.0)
    assert not every_key["met"]
    never = rp.score(key, answers_for(key, lambda i, info: "D" if info["key"] != "D" else "C"))
    assert never["value"] == 0.0 and never["met"]
    assert never["groups"]["m1"]["answered"] == 2
    assert rp.report(never)[-1] == (
        "options-only: key picked in 0.0% of 3 answered items (goal ≤ 40%); PASS"
    )


def test_options_only_problems_and_incomplete(content, tmp_path):
    _, key = make("options-only", content, tmp_path / "out")
    text = "```\n# my answers\nO001 A\nO001 B\nO002 Z\nO009 A\nO003\n```\n"
    result = rp.score(key, text)
    assert len(result["problems"]) == 4
    assert result["unanswered"] == ["O002", "O003"]
    assert not result["complete"] and not result["met"]
    assert rp.report(result)[-1].endswith("; INCOMPLETE")


def test_tone_scoring_splits_ties_and_skips_items_without_tone(content, tmp_path):
    _, key = make("tone", content, tmp_path / "out")
    items = key["items"]
    first, second, third = sorted(items)
    other = {i: "A" if info["key"] != "A" else "B" for i, info in items.items()}
    text = (
        f"{first} {items[first]['key']} ={other[first]}\n"  # key ties with a wrong one: 1/2
        f"{second} {other[second]}\n"  # a wrong option is the most tactful
        f"{third} -\n"  # no option differs in tone: not a judgement item
    )
    result = rp.score(key, text)
    overall = result["groups"]["overall"]
    assert overall["judged"] == 2
    assert overall["hits"] == pytest.approx(0.5)
    assert overall["best_wrong"] == 1
    assert overall["wrong_tactful"] == 2
    assert result["value"] == pytest.approx(25.0)
    assert result["met"]


def test_exam_board_scoring(content, tmp_path):
    _, key = make("exam-board", content, tmp_path / "out")
    clean = "\n".join(f"{q} OK" for q in key["items"])
    result = rp.score(key, clean)
    assert result["met"] and result["value"] == 0
    assert rp.report(result)[-1] == (
        "exam-board: 0 wrong keys, 0 factual errors (incl. invented claims) (goal 0 and 0); PASS"
    )
    findings = clean + (
        "\nm1-q001 WRONG-KEY B # the greeting is not first here"
        "\nm1-q002 FACT-ERROR # a claim not in the facts file"
        "\nm2-q001 INVENTED # an invented statute"
        "\nm1-q004 NIT # wording"
        "\nm1-q004 WRONG-KEY A,B # names the key itself: a problem, not a finding"
        "\nm1-q003 MAYBE"
    )
    result = rp.score(key, findings)
    assert result["value"] == 3 and not result["met"]
    assert len(result["problems"]) == 2
    assert result["groups"]["m1"]["WRONG-KEY"] == 1
    assert result["groups"]["m2"]["INVENTED"] == 1
    assert rp.report(result)[-1].startswith("exam-board: 1 wrong keys, 2 factual errors")


def test_command_line_make_and_score(content, tmp_path):
    out = tmp_path / "out"
    made = subprocess.run(
        [sys.executable, str(SCRIPT), "make", "options-only", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert made.returncode == 0, made.stderr
    key = json.loads((out / "options-only-key.json").read_text())
    (tmp_path / "answers.txt").write_text(answers_for(key, lambda i, info: info["key"]))
    scored = subprocess.run(
        [sys.executable, str(SCRIPT), "score", str(out / "options-only-key.json"),
         str(tmp_path / "answers.txt"), "--json", str(tmp_path / "figures.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert scored.returncode == 0, scored.stderr
    last = scored.stdout.splitlines()[-1]
    assert last == "options-only: key picked in 100.0% of 3 answered items (goal ≤ 40%); FAIL"
    assert json.loads((tmp_path / "figures.json").read_text())["value"] == 100.0
