"""Small content folders built from a compact description, for the item-quality tools."""

from __future__ import annotations

from pathlib import Path

import yaml


def write_content(root: Path, modules: dict[str, list[dict]]) -> Path:
    """A content root: one lesson and one bank per module; each question is a dict with
    `choices` (texts), `key` (index of the correct one, or a bool for true/false),
    and optionally `prompt`, `scenario` (text) and `type`."""
    (root / "lessons").mkdir(parents=True)
    (root / "banks").mkdir()
    for order, (module, questions) in enumerate(modules.items(), 1):
        lesson = {
            "id": module,
            "title": f"Module {module}",
            "order": order,
            "summary": "About it.",
            "objectives": ["Learn it."],
            "sections": [{"id": "s1", "title": "One", "body": f"Lesson body of {module}."}],
            "key_terms": [],
            "sources": [{"title": f"Source for {module}"}],
        }
        (root / "lessons" / f"{module}.yaml").write_text(yaml.safe_dump(lesson))
        bank = {"id": f"{module}-bank", "module": module, "title": "Bank", "questions": []}
        scenarios = []
        for n, spec in enumerate(questions, 1):
            q = {
                "id": f"{module}-q{n:03d}",
                "type": spec.get("type", "single"),
                "prompt": spec.get("prompt", f"Question {n} of {module}?"),
                "explanation": f"Why {module}-q{n:03d} is keyed so.",
                "lesson": f"{module}#s1",
                "tags": [],
            }
            if q["type"] == "true_false":
                q["answer"] = spec["key"]
            else:
                keys = spec["key"] if isinstance(spec["key"], list) else [spec["key"]]
                q["choices"] = [
                    {"text": text, "correct": i in keys, "feedback": f"Feedback {i} of {q['id']}."}
                    for i, text in enumerate(spec["choices"])
                ]
            if "scenario" in spec:
                scenarios.append({"id": f"sc{n}", "text": spec["scenario"]})
                q["scenario"] = f"sc{n}"
            bank["questions"].append(q)
        if scenarios:
            bank["scenarios"] = scenarios
        (root / "banks" / f"{module}.yaml").write_text(yaml.safe_dump(bank, sort_keys=False))
    return root
