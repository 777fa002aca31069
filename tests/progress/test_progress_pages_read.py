"""The optional `pages_read` part: written only once something is read, checked on load."""

from __future__ import annotations

import json

import pytest

from studyguide.progress import ProgressDocument, ProgressStructureError


def test_pages_read_round_trips_and_is_absent_until_used():
    doc = ProgressDocument.new()
    assert "pages_read" not in doc.to_json()
    doc.pages_read["m1"] = ["overview", "s1"]
    again = ProgressDocument.from_dict(json.loads(doc.to_json()))
    assert again.pages_read == {"m1": ["overview", "s1"]}
    assert again.to_json() == doc.to_json()


@pytest.mark.parametrize(
    ("value", "part"),
    [
        ([], "pages_read"),
        ({"m1": "overview"}, "pages_read['m1']"),
        ({"m1": ["overview", 3]}, "pages_read['m1']"),
    ],
)
def test_a_malformed_pages_read_names_the_part(value, part):
    with pytest.raises(ProgressStructureError) as info:
        ProgressDocument.from_dict({"schema_version": 1, "pages_read": value})
    assert info.value.part == part
