"""Write a realistic large content set: by default 10,000 questions in 40 modules.

Text lengths follow the bundled curriculum (prompts, four choices with feedback,
explanations, scenarios shared by a third of the questions), so parsing and validation
cost what a real course of that size would. The set validates clean with --strict.

Run:  python benchmarks/generate_content.py OUT_DIR [--questions N] [--modules M]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = [
    "officer",
    "resident",
    "tenant",
    "visitor",
    "lobby",
    "garage",
    "patrol",
    "shift",
    "greet",
    "listen",
    "explain",
    "respect",
    "trust",
    "concern",
    "report",
    "follow",
    "up",
    "calm",
    "distance",
    "time",
    "partner",
    "event",
    "campus",
    "hospital",
    "mall",
    "station",
    "plaza",
    "neighbor",
    "manager",
    "supervisor",
    "policy",
    "incident",
    "safety",
    "community",
    "outreach",
    "rapport",
    "approach",
    "question",
    "answer",
    "feedback",
    "notice",
    "decide",
]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def block(text: str, indent: int) -> str:
    pad = " " * indent
    return ">-\n" + "\n".join(pad + line for line in _wrap(text, 80 - indent))


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]


def lesson(module: str, order: int, rng: random.Random) -> str:
    sections = "".join(
        f"  - id: s{n}\n    title: Section {n}\n    body: |\n"
        + "".join(f"      {sentence(rng, 14)}\n" for _ in range(12))
        for n in range(1, 5)
    )
    return (
        "# yaml-language-server: $schema=../schemas/lesson.schema.json\n"
        f"id: {module}\ntitle: Module {order}\norder: {order}\n"
        f"summary: {block(sentence(rng, 20), 2)}\n"
        "objectives:\n"
        + "".join(f"  - {sentence(rng, 9)}\n" for _ in range(4))
        + "sections:\n"
        + sections
        + "key_terms:\n"
        + "".join(f"  - term: Term {n}\n    definition: {sentence(rng, 12)}\n" for n in range(5))
        + "sources:\n  - title: A source on community policing\n"
    )


def bank(module: str, order: int, count: int, rng: random.Random) -> str:
    out = [
        "# yaml-language-server: $schema=../schemas/bank.schema.json",
        f"id: {module}-bank",
        f"module: {module}",
        f"title: Bank {order}",
        "scenarios:",
    ]
    scenarios = max(1, count // 9)
    for n in range(scenarios):
        out.append(f"  - id: {module}-sc{n}\n    text: {block(sentence(rng, 45), 6)}")
    out.append("questions:")
    for n in range(count):
        qid = f"{module}-{n:04d}"
        kind = "true_false" if n % 10 == 7 else "multiple" if n % 10 == 3 else "single"
        out.append(f"  - id: {qid}\n    type: {kind}")
        if n % 3 == 0:
            out.append(f"    scenario: {module}-sc{n % scenarios}")
        out.append(f"    prompt: {block(sentence(rng, 22) + ' ' + str(n) + '?', 6)}")
        if kind == "true_false":
            out.append(f"    answer: {'true' if n % 2 else 'false'}")
            out.append(f"    feedback_true: {block(sentence(rng, 18), 6)}")
            out.append(f"    feedback_false: {block(sentence(rng, 18), 6)}")
        else:
            out.append("    choices:")
            right = {n % 4} if kind == "single" else {n % 4, (n + 1) % 4}
            for c in range(4):
                out.append(f"      - text: Choice {c} {sentence(rng, 9)}")
                if c in right:
                    out.append("        correct: true")
                out.append(f"        feedback: {block(sentence(rng, 20), 10)}")
        out.append(f"    explanation: {block(sentence(rng, 35), 6)}")
        out.append(f"    lesson: {module}#s{1 + n % 4}")
        out.append("    tags: [generated, load]")
        out.append(f"    difficulty: {('easy', 'medium', 'hard')[n % 3]}")
    return "\n".join(out) + "\n"


def generate(root: Path, questions: int = 10_000, modules: int = 40, seed: int = 1) -> Path:
    rng = random.Random(seed)
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    (root / "banks").mkdir(parents=True, exist_ok=True)
    names = [f"module-{i:02d}" for i in range(1, modules + 1)]
    per = [questions // modules + (i < questions % modules) for i in range(modules)]
    for order, (name, count) in enumerate(zip(names, per, strict=True), 1):
        (root / "lessons" / f"{name}.yaml").write_text(lesson(name, order, rng))
        (root / "banks" / f"{name}.yaml").write_text(bank(name, order, count, rng))
    shares = [round(1 / modules, 6)] * (modules - 1)
    shares.append(round(1 - sum(shares), 6))
    blueprint = "".join(f"  {n}: {s}\n" for n, s in zip(names, shares, strict=True))
    (root / "exam.yaml").write_text(
        "title: Load-test exam\nquestions: 50\nlengths: [25, 50]\ntime_limit_minutes: 60\n"
        f"pass_mark: 0.7\nblueprint:\n{blueprint}note: A generated practice standard.\n"
    )
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--modules", type=int, default=40)
    args = parser.parse_args()
    generate(args.out, args.questions, args.modules)
    size = sum(p.stat().st_size for p in args.out.rglob("*.yaml"))
    print(f"wrote {args.questions} questions in {args.modules} modules, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
