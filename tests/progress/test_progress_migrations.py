"""Schema migrations: run forward on open, keep the original before the first save."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from progress_helpers import file_state, sample_document

from studyguide.progress import (
    MIGRATIONS,
    SCHEMA_VERSION,
    ProgressStore,
    ProgressStructureError,
    ProgressUnreadable,
    migrations,
    read_only_load,
)


def v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """A made-up step: v2 keeps lesson positions under "reading"."""
    data["reading"] = {"positions": data.pop("lesson_positions")}
    return data


@pytest.fixture
def schema_v2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, v1_to_v2)


def write_v1(path: Path) -> bytes:
    text = sample_document(log_entries=3).to_json()
    text = text.replace(
        f'"schema_version": {migrations.SCHEMA_VERSION},', '"schema_version": 1,', 1
    )
    raw = text.encode("utf-8")
    assert json.loads(raw)["schema_version"] == 1
    path.write_bytes(raw)
    return raw


def test_current_version_is_1_and_needs_no_steps() -> None:
    assert SCHEMA_VERSION == 1 and MIGRATIONS == {}
    data = {"schema_version": 1, "cards": {}}
    assert migrations.migrate(data) == (data, 1)


@pytest.mark.usefixtures("schema_v2")
def test_old_file_is_migrated_and_its_original_kept_before_the_first_save(
    tmp_path: Path,
) -> None:
    path = tmp_path / "progress.json"
    raw = write_v1(path)
    before = file_state(path)
    kept = tmp_path / "progress.json.v1.bak"

    store = ProgressStore(path)
    doc = store.open()
    assert doc.schema_version == 2
    assert doc.extra == {"reading": {"positions": {"why-rapport": "trust"}}}
    assert doc.lesson_positions == {}
    assert file_state(path) == before and not kept.exists()  # opening writes nothing

    store.save(doc)
    assert kept.read_bytes() == raw
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["schema_version"] == 2
    assert saved["reading"] == {"positions": {"why-rapport": "trust"}}
    assert len(saved["log"]) == 3
    kept_state = file_state(kept)
    store.save(doc)
    store.close()
    assert file_state(kept) == kept_state  # kept once, not on every save

    with ProgressStore(path) as again:  # already at version 2: nothing more to migrate
        assert again.open().extra == doc.extra
    assert read_only_load(kept).schema_version == 2  # read_only_load migrates in memory
    assert file_state(kept) == kept_state


@pytest.mark.usefixtures("schema_v2")
def test_a_different_earlier_original_is_kept_too(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    raw = write_v1(path)
    (tmp_path / "progress.json.v1.bak").write_text("an older original")
    with ProgressStore(path) as store:
        store.save(store.open())
    assert (tmp_path / "progress.json.v1.bak").read_text() == "an older original"
    extra = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.v1-")]
    assert len(extra) == 1 and extra[0].read_bytes() == raw


@pytest.mark.usefixtures("schema_v2")
def test_a_failing_migration_makes_the_file_unreadable_and_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(data: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("lesson_positions")

    monkeypatch.setitem(migrations.MIGRATIONS, 1, broken)
    path = tmp_path / "progress.json"
    write_v1(path)
    before = file_state(path)
    with pytest.raises(ProgressUnreadable, match="migrating from schema 1 to 2 failed"):
        ProgressStore(path).open()
    assert file_state(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json", "progress.json.lock"]


def test_a_missing_step_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", 3)
    monkeypatch.setitem(migrations.MIGRATIONS, 1, v1_to_v2)
    path = tmp_path / "progress.json"
    write_v1(path)
    with pytest.raises(ProgressUnreadable, match="no migration from schema 2 to 3"):
        ProgressStore(path).open()


@pytest.mark.parametrize("version", [0, -1, 2])
def test_versions_outside_the_known_range(version: int) -> None:
    with pytest.raises(ProgressStructureError) as info:
        migrations.migrate({"schema_version": version})
    assert info.value.part == "schema_version"
