"""Test data shared by the engine and TUI tests: a generated course on disk."""

from __future__ import annotations

from pathlib import Path


def write_course(root: Path, modules: int = 3, per_module: int = 10) -> None:
    (root / "lessons").mkdir(parents=True)
    (root / "banks").mkdir()
    names = [f"m{i}" for i in range(1, modules + 1)]
    for order, name in enumerate(names, 1):
        (root / "lessons" / f"{name}.yaml").write_text(
            f"id: {name}\ntitle: Module {order}\norder: {order}\nsummary: About {name}.\n"
            "objectives: [Learn it.]\n"
            "sections:\n  - id: s1\n    title: One\n    body: Text.\n"
            "key_terms: []\nsources: []\n"
        )
        lines = [f"id: {name}-bank", f"module: {name}", f"title: Bank {order}", "questions:"]
        for n in range(1, per_module + 1):
            tag = "even" if n % 2 == 0 else "odd"
            lines += [
                f"  - id: {name}-q{n:02d}",
                "    type: single",
                f"    prompt: Question {n} of {name}?",
                "    choices:",
                "      - {text: Right answer, correct: true, feedback: Yes.}",
                "      - {text: Wrong answer one, feedback: No.}",
                "      - {text: Wrong answer two, feedback: No.}",
                "      - {text: Wrong answer three, feedback: No.}",
                "    explanation: Because.",
                f"    lesson: {name}#s1",
                f"    tags: [{tag}]",
            ]
        # Written in reverse module order on disk: curriculum order must come from `order`.
        (root / "banks" / f"{modules - order:02d}-{name}.yaml").write_text("\n".join(lines) + "\n")
    shares = {name: round(1 / modules, 6) for name in names}
    shares[names[-1]] = round(1 - sum(list(shares.values())[:-1]), 6)
    blueprint = "".join(f"  {m}: {s}\n" for m, s in shares.items())
    (root / "exam.yaml").write_text(
        "title: Practice\nquestions: 12\nlengths: [6, 12]\ntime_limit_minutes: 24\n"
        f"pass_mark: 0.7\nblueprint:\n{blueprint}note: Our own practice standard.\n"
    )


def right(question) -> list[int]:
    return sorted(question.correct_indexes)


def wrong(question) -> list[int]:
    return [next(i for i in range(len(question.choices)) if i not in question.correct_indexes)]
