"""Command-line entry point: the TUI by default, plus validate, stats, progress and schema.

Imports stay inside the handlers so that `studyguide --version` and the TUI start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from studyguide import __version__

EXIT_USAGE = 2
# A closed pipe (`studyguide stats | head -1`) ends the program quietly with the status the
# shell reports for any tool killed by SIGPIPE there: 128 + 13.
EXIT_PIPE_CLOSED = 141


def _common(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    # On the top-level parser these set the defaults; on subparsers they must not reset them.
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--content",
        action="append",
        metavar="DIR",
        default=default,
        help="a content root (repeatable); default: $STUDYGUIDE_CONTENT or the bundled course",
    )
    parser.add_argument(
        "--progress",
        metavar="FILE",
        default=default,
        help="the progress file; default: $STUDYGUIDE_PROGRESS or the user data folder",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyguide",
        description=(
            "Study community rapport for the Massachusetts security officer exam: lessons, "
            "spaced-repetition quizzes (FSRS-6) and a timed practice exam. "
            "With no command, opens the study app."
        ),
    )
    parser.add_argument("--version", action="version", version=f"studyguide {__version__}")
    _common(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    val = sub.add_parser("validate", help="check content files and report every problem")
    _common(val)
    val.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="content roots or files (default: the active content roots)",
    )
    val.add_argument("--strict", action="store_true", help="fail on warnings too")
    val.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="output format (default: text)",
    )

    st = sub.add_parser("stats", help="print progress: due, retention, readiness, mastery")
    _common(st)
    st.add_argument("--json", action="store_true", help="machine-readable output")

    prog = sub.add_parser(
        "progress", help="the progress file: path, export, restore, import or reset"
    )
    _common(prog)
    prog_sub = prog.add_subparsers(dest="progress_command", metavar="ACTION", required=True)
    _common(prog_sub.add_parser("path", help="print where progress is kept"))
    exp = prog_sub.add_parser("export", help="write a copy of the progress")
    _common(exp)
    exp.add_argument("file", nargs="?", help="target file (default: standard output)")
    res = prog_sub.add_parser(
        "restore", help="roll back to the last save or a daily backup, after asking"
    )
    _common(res)
    res.add_argument("--yes", action="store_true", help="do not ask")
    pick = res.add_mutually_exclusive_group()
    pick.add_argument("--list", action="store_true", help="list the backups and what they hold")
    pick.add_argument(
        "--from",
        dest="source",
        metavar="NAME",
        help="the backup to restore: a name from --list (latest, or a day like 2026-11-30)",
    )
    imp = prog_sub.add_parser(
        "import", help="make an exported file your progress, after checking it and asking"
    )
    _common(imp)
    imp.add_argument("file", help="a progress file written by `studyguide progress export`")
    imp.add_argument("--yes", action="store_true", help="do not ask")
    rst = prog_sub.add_parser(
        "reset", help="start over with no progress (settings stay), after asking"
    )
    _common(rst)
    rst.add_argument("--yes", action="store_true", help="do not ask")

    sch = sub.add_parser("schema", help="write the JSON Schema files for editor completion")
    _common(sch)
    sch.add_argument(
        "--dir",
        metavar="DIR",
        required=True,
        help="folder to write lesson/bank/exam .schema.json into",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's last flush
        return code
    except BrokenPipeError:
        return _pipe_closed()
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the user never sees a traceback; STUDYGUIDE_DEBUG shows it
        if os.environ.get("STUDYGUIDE_DEBUG"):
            raise
        print(f"studyguide: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("Run with STUDYGUIDE_DEBUG=1 for details, and please report it.", file=sys.stderr)
        return 1


def _pipe_closed() -> int:
    """The reader of standard output went away: say nothing, as Unix tools do.

    Standard output is pointed at the null device so that the interpreter's own flush
    at exit finds nothing left to fail on.
    """
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    return EXIT_PIPE_CLOSED


def _usage_error(message: str) -> int:
    print(f"studyguide: {message}", file=sys.stderr)
    return EXIT_USAGE


def _not_a_terminal() -> str | None:
    """Which of standard input and output is not a terminal, if any (the app needs both)."""
    for name, stream in (("standard input", sys.stdin), ("standard output", sys.stdout)):
        try:
            if stream is None or not stream.isatty():
                return name
        except (ValueError, OSError):  # closed
            return name
    return None


def _dispatch(args: argparse.Namespace) -> int:
    from studyguide import paths

    roots = paths.content_roots(args.content)
    problem = paths.missing_content_root(roots, from_cli=bool(args.content))
    if problem is not None:
        return _usage_error(problem)
    progress = paths.progress_path(args.progress)
    if args.command == "validate":
        from studyguide.commands import validate

        return validate.run(args.paths, roots, args.strict, args.format)
    if args.command == "stats":
        from studyguide.commands import stats

        return stats.run(roots, progress, args.json)
    if args.command == "progress":
        from studyguide.commands import progress as progress_cmd

        if args.progress_command == "path":
            return progress_cmd.path(progress)
        if args.progress_command == "export":
            return progress_cmd.export(progress, args.file)
        if args.progress_command == "import":
            return progress_cmd.import_(progress, args.file, args.yes)
        if args.progress_command == "reset":
            return progress_cmd.reset(progress, args.yes)
        if args.list:
            return progress_cmd.list_restorable(progress)
        return progress_cmd.restore(progress, args.yes, args.source)
    if args.command == "schema":
        from pathlib import Path

        from studyguide.commands import schema

        for written in schema.write(Path(args.dir)):
            print(written)
        return 0
    missing = _not_a_terminal()
    if missing is not None:
        from studyguide.progress import ProgressLocked
        from studyguide.progress.lock import check_free

        try:  # "already in use" says more than "no terminal", and also touches nothing
            check_free(os.path.realpath(progress))
        except ProgressLocked as exc:
            print(f"studyguide: {exc}", file=sys.stderr)
            return 1
        # Textual would start anyway and never end: refuse before touching anything.
        return _usage_error(
            f"the study app needs a terminal, and {missing} is not one; "
            "for output a script can read, use `studyguide stats` (see `studyguide --help`)"
        )
    from studyguide.tui.app import run_app

    return run_app(roots, progress)
