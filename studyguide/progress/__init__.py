"""The progress file: schema, load and migrate, atomic save, lock, backup, restore.

Plain Python, no UI imports. See docs/progress-format.md for the format and the
guarantees.
"""

from studyguide.progress.atomic import atomic_write, write_new_file
from studyguide.progress.document import ProgressDocument
from studyguide.progress.errors import (
    ProgressError,
    ProgressLocked,
    ProgressRestoreError,
    ProgressSaveError,
    ProgressStructureError,
    ProgressUnreadable,
)
from studyguide.progress.loading import read_only_load
from studyguide.progress.migrations import MIGRATIONS, SCHEMA_VERSION
from studyguide.progress.schema import DEFAULT_SETTINGS, LOG_ENTRY_KEYS, SETTING_RANGES
from studyguide.progress.store import ProgressStore

__all__ = [
    "DEFAULT_SETTINGS",
    "LOG_ENTRY_KEYS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "SETTING_RANGES",
    "ProgressDocument",
    "ProgressError",
    "ProgressLocked",
    "ProgressRestoreError",
    "ProgressSaveError",
    "ProgressStore",
    "ProgressStructureError",
    "ProgressUnreadable",
    "atomic_write",
    "read_only_load",
    "write_new_file",
]
