"""`studyguide schema`: the JSON Schema files editors use for completion."""

from __future__ import annotations

import json
from pathlib import Path

from studyguide.course.formats import SCHEMAS
from studyguide.course.spec import to_json_schema

BASE_ID = "https://studyguide.invalid/schemas/"


def schema_documents() -> dict[str, str]:
    """File name -> JSON text, generated from the format declarations."""
    docs = {}
    for name, spec in SCHEMAS.items():
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{BASE_ID}{name}.schema.json",
            **to_json_schema(spec),
        }
        docs[f"{name}.schema.json"] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return docs


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in schema_documents().items():
        target = folder / name
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
