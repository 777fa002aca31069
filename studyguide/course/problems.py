"""A problem found in content: where it is, how bad, and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    line: int  # 1-based; 0 when the problem concerns no particular line
    col: int  # 1-based
    severity: Severity
    message: str
    code: str

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def display_path(self) -> str:
        """The path relative to the working folder when it lies inside it."""
        return display_path(self.path)

    def format(self) -> str:
        where = f"{self.display_path}:{self.line}:{self.col}"
        return f"{where}: {self.severity}: {self.message} [{self.code}]"


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it lies inside it, printable."""
    # Only the folder is resolved: a symlinked file keeps its own name (a broken link or
    # a link loop is reported as the file the user sees, and resolving it cannot fail).
    try:
        shown = str((path.parent.resolve() / path.name).relative_to(Path.cwd()))
    except (ValueError, OSError, RuntimeError):
        shown = str(path)
    # A file name may hold a newline or an escape sequence: never print it raw.
    return shown if shown.isprintable() else repr(shown)[1:-1]


def place(path: Path, pos) -> str:
    """``file:line`` of a position, for messages that point at a second place."""
    return f"{display_path(path)}:{line_col(pos)[0]}"


def line_col(pos) -> tuple[int, int]:
    """1-based (line, column) from a tuple or from a YAML parser mark (0-based)."""
    if isinstance(pos, tuple):
        return pos
    return (pos.line + 1, pos.column + 1)


def error(path: Path, pos, message: str, code: str) -> Problem:
    line, col = line_col(pos)
    return Problem(path, line, col, Severity.ERROR, message, code)


def warning(path: Path, pos, message: str, code: str) -> Problem:
    line, col = line_col(pos)
    return Problem(path, line, col, Severity.WARNING, message, code)
