"""Every location the app uses, each with its override.

Content roots: ``--content DIR`` (repeatable) beats ``STUDYGUIDE_CONTENT`` (folders
joined by ``os.pathsep``) beats the bundled curriculum.
Progress file: ``--progress FILE`` beats ``STUDYGUIDE_PROGRESS`` beats the user data folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

APP_NAME = "studyguide"
CONTENT_ENV = "STUDYGUIDE_CONTENT"
PROGRESS_ENV = "STUDYGUIDE_PROGRESS"
CACHE_ENV = "STUDYGUIDE_CACHE"

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_content_dir() -> Path:
    """The curriculum shipped with the app.

    A wheel carries it inside the package; a source checkout (editable install)
    keeps it at the project root.
    """
    inside = _PACKAGE_DIR / "content"
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parent / "content"


def schema_dir() -> Path:
    return _PACKAGE_DIR / "schemas"


def content_roots(cli_roots: Sequence[str | os.PathLike[str]] | None = None) -> list[Path]:
    if cli_roots:
        return [Path(p).expanduser() for p in cli_roots]
    env = os.environ.get(CONTENT_ENV, "")
    from_env = [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return from_env or [bundled_content_dir()]


def validate_command(roots: Sequence[Path]) -> str:
    """The `studyguide validate` command that checks exactly these roots.

    Plain `studyguide validate` checks the default roots; for others (``--content``) the
    folders are named, or the advice would check the wrong course.
    """
    if list(roots) == content_roots():
        return "studyguide validate"
    import shlex

    return " ".join(["studyguide validate", *(shlex.quote(str(root)) for root in roots)])


def missing_content_root(roots: Sequence[Path], *, from_cli: bool) -> str | None:
    """A one-line message naming the first content root that is not a folder, if any.

    A typo in ``--content`` must not open an empty course: it is a usage error.
    """
    for root in roots:
        if root.is_dir():
            continue
        what = "is not a folder" if os.path.lexists(root) else "does not exist"
        if from_cli:
            source = "given by --content"
        elif os.environ.get(CONTENT_ENV, "").strip():
            source = f"given by ${CONTENT_ENV}"
        else:
            source = "the bundled course: reinstall studyguide"
        return f"content folder {root} {what} ({source})"
    return None


def progress_path(cli_path: str | os.PathLike[str] | None = None) -> Path:
    if cli_path:
        return Path(cli_path).expanduser()
    env = os.environ.get(PROGRESS_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "progress.json"


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME)
