"""Schema versions of the progress file and the steps between them.

To change the format: bump ``SCHEMA_VERSION`` to n+1 and register
``MIGRATIONS[n]``, a function taking the parsed version-n dict and returning the
version-(n+1) dict. Steps run in order, so a file from any older version is
carried forward. The store keeps a copy of the original file (``.v{n}.bak``)
before it first saves a migrated document. Code reads both names through this
module at call time, so tests can patch them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from studyguide.progress.errors import ProgressStructureError

SCHEMA_VERSION = 1

MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def read_version(data: dict[str, Any]) -> int:
    """The file's ``schema_version``, checked to be one this app can handle."""
    if "schema_version" not in data:
        raise ProgressStructureError("schema_version", "missing")
    version = data["schema_version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProgressStructureError(
            "schema_version", f"must be a whole number from 1 up, not {version!r}"
        )
    if version > SCHEMA_VERSION:
        raise ProgressStructureError(
            "schema_version",
            f"the file was written by a newer studyguide (schema {version}; this one "
            f"understands up to {SCHEMA_VERSION}): update studyguide to open it",
        )
    return version


def migrate(data: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """Carry ``data`` forward to ``SCHEMA_VERSION``; returns it and its original version.

    A missing or failing step raises ProgressStructureError, so the store treats
    the file as unreadable and leaves it alone.
    """
    original = version = read_version(data)
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise ProgressStructureError(
                "schema_version", f"no migration from schema {version} to {version + 1}"
            )
        try:
            data = step(data)
        except Exception as exc:
            raise ProgressStructureError(
                "schema_version",
                f"migrating from schema {version} to {version + 1} failed: "
                f"{type(exc).__name__}: {exc}",
            ) from exc
        if not isinstance(data, dict):
            raise ProgressStructureError(
                "schema_version", f"migration from schema {version} returned no object"
            )
        version += 1
        data["schema_version"] = version
    return data, original
