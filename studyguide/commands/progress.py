"""`studyguide progress path|export|restore`."""

from __future__ import annotations

import sys
from pathlib import Path

from studyguide.progress import ProgressDocument, ProgressError, ProgressStore, read_only_load
from studyguide.progress.atomic import write_new_file
from studyguide.progress.errors import describe_oserror
from studyguide.progress.loading import backup_path


def path(progress: Path) -> int:
    print(progress)
    return 0


def export(progress: Path, target: str | None) -> int:
    """Write a copy of the progress (as the app would save it) to a file or stdout."""
    try:
        doc = read_only_load(progress) if progress.exists() else ProgressDocument.new()
    except ProgressError as exc:
        print(f"studyguide progress export: {exc}", file=sys.stderr)
        return 1
    text = doc.to_json()
    if target in (None, "-"):
        sys.stdout.write(text)
        return 0
    out = Path(target)
    try:
        # Mode 0600 like the progress file; never over a file or through a link.
        write_new_file(out, text)
    except FileExistsError:
        print(f"studyguide progress export: {out} exists; choose a new file name", file=sys.stderr)
        return 2
    except OSError as exc:
        if out.is_symlink():
            why = f"{out} is a symbolic link; choose a new file name"
        else:
            why = f"cannot write {out}: {describe_oserror(exc)}"
        print(f"studyguide progress export: {why}", file=sys.stderr)
        return 2 if out.is_symlink() else 1
    print(f"Exported progress to {out}")
    return 0


def restore(progress: Path, assume_yes: bool) -> int:
    backup = backup_path(progress)
    if not backup.exists():
        print(f"studyguide progress restore: there is no backup at {backup}", file=sys.stderr)
        return 1
    if not assume_yes:
        if not sys.stdin.isatty():
            print(
                "studyguide progress restore: add --yes to restore without a prompt",
                file=sys.stderr,
            )
            return 2
        print(f"Restore {progress}\n   from {backup}?")
        print("The current file is kept beside it, never deleted.")
        if input("Restore? [y/N] ").strip().lower() not in ("y", "yes"):
            print("Nothing changed.")
            return 1
    store = ProgressStore(progress)
    try:
        store.restore_backup()
    except ProgressError as exc:
        print(f"studyguide progress restore: {exc}", file=sys.stderr)
        return 1
    kept = getattr(store, "kept_path", None)
    print(
        f"Restored {progress} from its backup."
        + (f" The old file is kept as {kept}." if kept else "")
    )
    return 0
