"""Packets for the three independent reviewers of issue 11, and scoring of their answers.

The briefs are in docs/briefs/ (exam-board.md, options-only.md, tone-rater.md). Each
reviewer sees only its packet; the key file stays with whoever scores.

  make KIND [CONTENT_DIR ...] --out DIR [--sample N] [--seed S]
      writes DIR/KIND-packet.md (what the reviewer sees) and DIR/KIND-key.json (not for
      the reviewer). KIND is options-only, tone or exam-board.
      - options-only: every single-answer question as an anonymous item (O001, ...) in a
        shuffled order, its choices shuffled and lettered; no stem, scenario, feedback,
        explanation or key.
      - tone: the same items (T001, ...) with the scenario and the prompt; no feedback,
        explanation or key.
      - exam-board: every question (all types) under its own id, grouped by module, with
        the lesson sections the questions link to, the scenario, the choices lettered in
        file order with the key marked, every feedback, the explanation, difficulty and
        the lesson's sources.
      --sample N takes N questions of any type, spread over the modules in turn; the
      same seed samples the same questions for every kind, and the blind packets keep
      the single-answer ones among them (as issue 11's review did: 45 of 60).
  score KEY_JSON ANSWERS [--json OUT]
      reads the reviewer's answer lines (formats in the briefs), prints the figures per
      module and overall against the goal, and a one-line summary last.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import string
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from studyguide.course.loader import load_content
from studyguide.course.model import Course, Question
from studyguide.paths import bundled_content_dir

KINDS = ("options-only", "tone", "exam-board")
PREFIX = {"options-only": "O", "tone": "T"}
GOAL = {"options-only": 40.0, "tone": 40.0}  # at most this share of items (%)
VERDICTS = ("OK", "WRONG-KEY", "FACT-ERROR", "INVENTED", "NOT-SINGLE-BEST", "NIT")
# Findings that break the exam board's goal (0 wrong keys and 0 factual errors); an
# invented official claim is a factual error.
BLOCKING = ("WRONG-KEY", "FACT-ERROR", "INVENTED")
LETTERS = string.ascii_uppercase


def is_single(q: Question) -> bool:
    return q.type == "single" and sum(c.correct for c in q.choices) == 1


def sample(questions: Sequence[Question], count: int | None, rng: random.Random) -> list:
    """`count` questions taken from the modules in turn, each module's order shuffled."""
    if count is None or count >= len(questions):
        return list(questions)
    pools: dict[str, list[Question]] = {}
    for q in questions:
        pools.setdefault(q.module, []).append(q)
    for pool in pools.values():
        rng.shuffle(pool)
    picked: list[Question] = []
    while len(picked) < count:
        for pool in pools.values():
            if pool and len(picked) < count:
                picked.append(pool.pop())
    chosen = {q.id for q in picked}
    return [q for q in questions if q.id in chosen]


def blind_items(course: Course, kind: str, count: int | None, seed: int) -> tuple[str, dict]:
    """The options-only or tone packet and its key."""
    # The same questions as the other packets of this seed; the order and letters are
    # the packet's own, so nothing links an item to another packet's.
    questions = [q for q in sample(course.questions, count, random.Random(seed)) if is_single(q)]
    rng = random.Random(f"{kind}-{seed}")
    rng.shuffle(questions)
    lines = [
        f"# {kind} packet ({len(questions)} items)",
        "",
        f"Follow docs/briefs/{'options-only' if kind == 'options-only' else 'tone-rater'}.md. "
        "Answer with one line per item: "
        + ("`O001 B`." if kind == "options-only" else "`T001 B` or `T001 B =D`."),
        "",
    ]
    key: dict = {"kind": kind, "seed": seed, "items": {}}
    for n, q in enumerate(questions, 1):
        item = f"{PREFIX[kind]}{n:03d}"
        order = list(range(len(q.choices)))
        rng.shuffle(order)
        lines.append(f"## {item}")
        if kind == "tone":
            if q.scenario:
                lines += ["", f"Situation: {q.scenario.text}"]
            lines += ["", f"Question: {q.prompt}"]
        lines.append("")
        lines += [f"{LETTERS[i]}. {q.choices[c].text}" for i, c in enumerate(order)]
        lines.append("")
        key["items"][item] = {
            "question": q.id,
            "module": q.module,
            "scenario": q.scenario is not None,
            "key": LETTERS[next(i for i, c in enumerate(order) if q.choices[c].correct)],
            "letters": LETTERS[: len(order)],
            "choice_order": order,
        }
    return "\n".join(lines), key


def exam_board_items(course: Course, count: int | None, seed: int) -> tuple[str, dict]:
    questions = sample(course.questions, count, random.Random(seed))
    lines = [
        f"# exam-board packet ({len(questions)} questions)",
        "",
        "Follow docs/briefs/exam-board.md. Answer with one line per finding, "
        "`<question-id> <VERDICT> [LETTERS] [# note]`, and `<question-id> OK` for a "
        "question with no finding.",
        "",
    ]
    key: dict = {"kind": "exam-board", "seed": seed, "items": {}}
    for lesson in course.lessons:
        mine = [q for q in questions if q.module == lesson.id]
        if not mine:
            continue
        lines += [f"# Module {lesson.id}: {lesson.title}", "", "Objectives:"]
        lines += [f"- {o}" for o in lesson.objectives]
        lines += ["", "Sources the lesson cites:"]
        lines += [f"- {s.title}" + (f" <{s.url}>" if s.url else "") for s in lesson.sources]
        lines.append("")
        for section_id in dict.fromkeys(q.lesson_section for q in mine):
            section = lesson.section(section_id)
            if section is not None:
                lines += [f"## Lesson section {lesson.id}#{section.id}: {section.title}", ""]
                lines += [section.body.rstrip(), ""]
        for q in mine:
            lines += exam_board_question(q)
            key["items"][q.id] = {
                "question": q.id,
                "module": q.module,
                "scenario": q.scenario is not None,
                "key": "".join(LETTERS[i] for i in sorted(q.correct_indexes)),
                "letters": LETTERS[: len(q.choices)],
            }
    return "\n".join(lines), key


def exam_board_question(q: Question) -> list[str]:
    lines = [f"## {q.id} ({q.type}, {q.difficulty or 'no difficulty'}, taught in {q.lesson})"]
    if q.scenario:
        lines += ["", f"Scenario ({q.scenario.id}): {q.scenario.text}"]
    lines += ["", f"Prompt: {q.prompt}", ""]
    for i, choice in enumerate(q.choices):
        mark = "  [KEY]" if choice.correct else ""
        lines.append(f"{LETTERS[i]}. {choice.text}{mark}")
        lines.append(f"   feedback: {choice.feedback or '(none)'}")
    lines += ["", f"Explanation: {q.explanation}", ""]
    return lines


def make(kind: str, roots: Sequence[Path], out: Path, count: int | None, seed: int) -> Path:
    course = load_content(roots).course
    if kind == "exam-board":
        text, key = exam_board_items(course, count, seed)
    else:
        text, key = blind_items(course, kind, count, seed)
    key["content"] = [str(r) for r in roots]
    key["modules"] = [lesson.id for lesson in course.lessons]
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{kind}-packet.md").write_text(text + "\n", encoding="utf-8")
    (out / f"{kind}-key.json").write_text(json.dumps(key, indent=2), encoding="utf-8")
    return out / f"{kind}-packet.md"


# --- scoring --------------------------------------------------------------------------------

_LINE = re.compile(r"^(?P<item>\S+)\s+(?P<rest>[^#]*?)\s*(?:#\s*(?P<note>.*))?$")


def parse_answers(text: str) -> Iterable[tuple[int, str, list[str], str]]:
    """(line number, item, words, note) for every answer line; blank lines, lines
    starting with `#` and Markdown fences are skipped."""
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip().strip("`").strip()
        if not line or line.startswith("#"):
            continue
        match = _LINE.match(line)
        if match:
            yield number, match["item"], match["rest"].split(), (match["note"] or "").strip()
        else:
            yield number, line, [], ""


def _letters(word: str, allowed: str) -> str | None:
    letters = word.replace(",", "").upper()
    if letters and all(c in allowed for c in letters) and len(set(letters)) == len(letters):
        return "".join(sorted(letters))
    return None


def score(key: dict, answers: str) -> dict:
    kind = key["kind"]
    items = key["items"]
    problems: list[str] = []
    picks: dict[str, dict] = {}
    for number, item, words, note in parse_answers(answers):
        where = f"line {number}"
        if item not in items:
            problems.append(f"{where}: unknown item {item!r}")
            continue
        allowed = items[item]["letters"]
        if kind == "exam-board":
            verdict = words[0].upper() if words else ""
            if verdict not in VERDICTS:
                problems.append(f"{where}: {item}: verdict must be one of {', '.join(VERDICTS)}")
                continue
            letters = _letters(words[1], allowed) if len(words) > 1 else ""
            if letters is None or (verdict == "WRONG-KEY" and not letters):
                problems.append(f"{where}: {item}: {verdict} needs choice letters from {allowed}")
                continue
            if verdict == "WRONG-KEY" and letters == items[item]["key"]:
                problems.append(f"{where}: {item}: WRONG-KEY names the key itself ({letters})")
                continue
            picks.setdefault(item, {"findings": []})["findings"].append(
                {"verdict": verdict, "letters": letters, "note": note}
            )
            continue
        if item in picks:
            problems.append(f"{where}: {item} answered twice; the first answer counts")
            continue
        if kind == "tone" and words == ["-"]:  # options that do not differ in tone
            picks[item] = {"best": None, "equal": ""}
            continue
        best = _letters(words[0], allowed) if words else None
        equal = ""
        if kind == "tone" and len(words) > 1 and words[1].startswith("="):
            equal = _letters(words[1][1:], allowed) or ""
        if best is None or len(best) != 1 or len(words) > 2 or (len(words) > 1 and not equal):
            problems.append(f"{where}: {item}: expected one letter from {allowed}")
            continue
        picks[item] = {"best": best, "equal": equal.replace(best, "")}
    result = figures(kind, items, picks, problems)
    result["modules"] = key.get("modules", [])
    return result


COUNTS = ("items", "answered", "judged", "hits", "best_wrong", "wrong_tactful")


def _tally(bucket: dict, kind: str, info: dict, pick: dict | None) -> None:
    bucket["items"] += 1
    if pick is None:
        return
    bucket["answered"] += 1
    if kind == "exam-board":
        for finding in pick["findings"]:
            bucket[finding["verdict"]] = bucket.get(finding["verdict"], 0) + 1
        return
    if pick["best"] is None:
        return
    bucket["judged"] += 1
    # the options rated most tactful (the best and those marked as tactful as it): a key
    # among k of them counts 1/k, as ties do in bench_testwise.py
    tactful = {pick["best"], *pick["equal"]}
    bucket["hits"] += (info["key"] in tactful) / len(tactful)
    bucket["best_wrong"] += pick["best"] != info["key"]
    bucket["wrong_tactful"] += bool(tactful - {info["key"]})


def figures(kind: str, items: dict, picks: dict, problems: list[str]) -> dict:
    groups: dict[str, dict] = {}
    for item, info in items.items():
        names = [info["module"], "overall"] + (["scenario items"] if info["scenario"] else [])
        for name in names:
            bucket = groups.setdefault(name, dict.fromkeys(COUNTS, 0))
            _tally(bucket, kind, info, picks.get(item))
    overall = groups.setdefault("overall", dict.fromkeys(COUNTS, 0))
    complete = overall["answered"] == overall["items"] > 0
    if kind == "exam-board":
        value = sum(overall.get(v, 0) for v in BLOCKING)
        met = complete and value == 0
    else:
        value = _share(overall["hits"], overall["judged"])
        met = complete and value <= GOAL[kind]
    return {
        "kind": kind,
        "groups": groups,
        "value": value,
        "complete": complete,
        "met": met,
        "unanswered": [i for i in items if i not in picks],
        "problems": problems,
    }


def _share(part: float, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def report(result: dict) -> list[str]:
    kind = result["kind"]
    groups = result["groups"]
    width = max(22, *(len(name) + 1 for name in groups))
    lines = [f"{kind}: {len(result['problems'])} problems in the answers"]
    lines += [f"  {p}" for p in result["problems"]]
    if result["unanswered"]:
        shown = ", ".join(result["unanswered"][:10])
        more = "" if len(result["unanswered"]) <= 10 else ", ..."
        lines.append(f"  unanswered: {len(result['unanswered'])} ({shown}{more})")
    rank = {m: i for i, m in enumerate(result.get("modules", []))}
    order = sorted(
        (n for n in groups if n not in ("overall", "scenario items")),
        key=lambda n: (rank.get(n, len(rank)), n),
    )
    order += [n for n in ("scenario items", "overall") if n in groups]
    if kind == "exam-board":
        head = f"{'module':<{width}}{'items':>6}{'answered':>9}" + "".join(
            f"{v:>16}" for v in VERDICTS[1:]
        )
        lines.append(head)
        for name in order:
            g = groups[name]
            cells = "".join(f"{g.get(v, 0):>16}" for v in VERDICTS[1:])
            lines.append(f"{name:<{width}}{g['items']:>6}{g['answered']:>9}{cells}")
        wrong = groups["overall"].get("WRONG-KEY", 0)
        facts = sum(groups["overall"].get(v, 0) for v in BLOCKING[1:])
        summary = (
            f"exam-board: {wrong} wrong keys, {facts} factual errors (incl. invented claims) "
            f"(goal 0 and 0)"
        )
    else:
        what = "key picked" if kind == "options-only" else "key most tactful"
        columns = [(f"{what} %", "hits")]
        if kind == "tone":
            columns += [("best is wrong %", "best_wrong"), ("wrong as tactful %", "wrong_tactful")]
        judged = ["judgement"] if kind == "tone" else []
        lines.append(
            f"{'module':<{width}}{'items':>6}{'answered':>9}"
            + "".join(f"{title:>{len(title) + 2}}" for title in judged + [t for t, _ in columns])
        )
        for name in order:
            g = groups[name]
            row = f"{name:<{width}}{g['items']:>6}{g['answered']:>9}"
            row += f"{g['judged']:>11}" if judged else ""
            for title, count in columns:
                row += f"{_share(g[count], g['judged']):{len(title) + 2}.1f}"
            lines.append(row)
        items = "judgement items" if kind == "tone" else "answered items"
        summary = (
            f"{kind}: {what} in {result['value']:.1f}% of {groups['overall']['judged']} "
            f"{items} (goal ≤ {GOAL[kind]:g}%)"
        )
    verdict = "PASS" if result["met"] else ("INCOMPLETE" if not result["complete"] else "FAIL")
    lines.append(f"{summary}; {verdict}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    mk = sub.add_parser("make", help="write a reviewer's packet and its key")
    mk.add_argument("kind", choices=KINDS)
    mk.add_argument("content", nargs="*", help="content roots (default: the bundled course)")
    mk.add_argument("--out", required=True, help="folder for the packet and the key")
    mk.add_argument("--sample", type=int, help="only this many questions, spread over modules")
    mk.add_argument("--seed", type=int, default=11)
    sc = sub.add_parser("score", help="score a reviewer's answer lines against the key")
    sc.add_argument("key")
    sc.add_argument("answers")
    sc.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if args.command == "make":
        roots = [Path(p) for p in args.content] or [bundled_content_dir()]
        packet = make(args.kind, roots, Path(args.out), args.sample, args.seed)
        print(
            f"{packet} ({packet.stat().st_size} bytes); key: {packet.parent}/{args.kind}-key.json"
        )
        return 0
    key = json.loads(Path(args.key).read_text(encoding="utf-8"))
    result = score(key, Path(args.answers).read_text(encoding="utf-8"))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2))
    print("\n".join(report(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
