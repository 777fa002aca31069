"""`studyguide progress path|export|restore|import|reset`.

Every command that replaces the file asks first (``--yes`` skips the question; without a
terminal to ask on, it refuses), keeps the current file aside, and says where.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from studyguide.progress import ProgressDocument, ProgressError, ProgressStore, read_only_load
from studyguide.progress.atomic import write_new_file
from studyguide.progress.backups import (
    Summary,
    find_backup,
    list_backups,
    summarize,
)
from studyguide.progress.errors import describe_oserror
from studyguide.progress.loading import backup_path

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def path(progress: Path) -> int:
    print(progress)
    return EXIT_OK


def export(progress: Path, target: str | None) -> int:
    """Write a copy of the progress (as the app would save it) to a file or stdout."""
    try:
        doc = read_only_load(progress) if progress.exists() else ProgressDocument.new()
    except ProgressError as exc:
        print(f"studyguide progress export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    text = doc.to_json()
    if target in (None, "-"):
        sys.stdout.write(text)
        return EXIT_OK
    out = Path(target)
    try:
        # Mode 0600 like the progress file; never over a file or through a link.
        write_new_file(out, text)
    except FileExistsError:
        print(f"studyguide progress export: {out} exists; choose a new file name", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        if out.is_symlink():
            why = f"{out} is a symbolic link; choose a new file name"
        else:
            why = f"cannot write {out}: {describe_oserror(exc)}"
        print(f"studyguide progress export: {why}", file=sys.stderr)
        return EXIT_USAGE if out.is_symlink() else EXIT_FAILED
    print(f"Exported progress to {out}")
    return EXIT_OK


def _saved(summary: Summary) -> str:
    if summary.saved is None:
        return "missing"
    return f"saved {summary.saved.astimezone():%Y-%m-%d %H:%M}"


def list_restorable(progress: Path) -> int:
    """`restore --list`: each backup's name, date, answers and last answer."""
    found = list_backups(progress)
    if not found:
        print(f"There are no backups of {progress} yet.")
        return EXIT_OK
    print(f"Backups of {progress} (now: {summarize(progress).line()}):")
    width = max(len(b.name) for b in found)
    for backup in found:
        s = backup.summary
        print(f"  {backup.name:<{width}}  {_saved(s)}  {s.line()}  ({s.path.name})")
    print("Restore one with `studyguide progress restore --from NAME`.")
    return EXIT_OK


def _confirm(command: str, question: str, assume_yes: bool) -> int | None:
    """None to go ahead; otherwise the exit code to return."""
    if assume_yes:
        return None
    if not sys.stdin.isatty():
        print(
            f"studyguide progress {command}: add --yes to {command} without a prompt",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        print("Nothing changed.")
        return EXIT_FAILED
    return None


def _kept(store: ProgressStore) -> str:
    return f" The previous file is kept as {store.kept_path}." if store.kept_path else ""


def _replace(
    action: str,
    progress: Path,
    replace: Callable[[ProgressStore], None],
    assume_yes: bool,
    done: str | Callable[[ProgressStore], str],
    question: str | None = None,
) -> int:
    """Ask, then let ``replace`` put another file in place of the progress file (the
    store keeps the current one aside); report where everything went."""
    existed = os.path.lexists(progress)
    if existed:
        print("The current file is kept beside it, never deleted.")
    stop = _confirm(action, question or f"{action.capitalize()}?", assume_yes)
    if stop is not None:
        return stop
    store = ProgressStore(progress)
    try:
        replace(store)
    except ProgressError as exc:
        print(f"studyguide progress {action}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if not existed:
        print(f"Starting a new progress file at {progress}", file=sys.stderr)
    print(done(store) if callable(done) else f"{done}{_kept(store)}")
    return EXIT_OK


def restore(progress: Path, assume_yes: bool, source: str | None = None) -> int:
    """Roll back to the ``.bak`` (or the backup named ``source``), after showing both."""
    command = "studyguide progress restore"
    if source is None:
        backup = backup_path(progress)
        if not backup.exists():
            hint = ""
            if list_backups(progress):
                hint = "; `studyguide progress restore --list` shows the daily ones"
            print(f"{command}: there is no backup at {backup}{hint}", file=sys.stderr)
            return EXIT_FAILED
    else:
        try:
            backup = find_backup(progress, source)
        except ProgressError as exc:
            print(f"{command}: {exc}", file=sys.stderr)
            return EXIT_USAGE
    new = summarize(backup)
    print(f"Restore {progress}\n   from {backup} ({_saved(new)})")
    print(f"  now:    {summarize(progress).line()}\n  backup: {new.line()}")
    return _replace(
        "restore",
        progress,
        lambda store: store.restore_backup(backup),
        assume_yes,
        f"Restored {progress} from {backup}.",
    )


def import_(progress: Path, source: str, assume_yes: bool) -> int:
    """Make an exported file the progress, after the checks of opening it."""
    incoming = Path(source).expanduser()
    new = summarize(incoming)
    if not new.readable:
        reason = new.problem or "it does not exist"
        print(f"studyguide progress import: cannot import {incoming}: {reason}", file=sys.stderr)
        return EXIT_USAGE if new.saved is None else EXIT_FAILED
    print(f"Import {incoming}\n  into {progress}")
    print(f"  now:    {summarize(progress).line()}\n  import: {new.line()}")
    return _replace(
        "import",
        progress,
        lambda store: store.import_file(incoming),
        assume_yes,
        f"Imported {incoming} into {progress}.",
    )


def reset(progress: Path, assume_yes: bool) -> int:
    """Start over with no progress (settings stay), keeping a copy of the old file."""
    if not os.path.lexists(progress):
        print(f"There is no progress at {progress}: nothing to reset.")
        return EXIT_OK
    print(f"Reset {progress}: every answer, card, flag and exam goes; settings stay.")
    print(f"  now: {summarize(progress).line()}")

    def done(store: ProgressStore) -> str:
        undo = f"\nTo undo: studyguide progress import {store.kept_path}" if store.kept_path else ""
        return f"Progress reset.{_kept(store)}{undo}"

    return _replace("reset", progress, ProgressStore.reset, assume_yes, done, "Reset all progress?")
