"""A cache of the parsed and validated content, so an unchanged course starts instantly.

The cache is keyed by every content file's path, size, mtime and BLAKE2 hash, plus the
app version. It is never trusted blindly: a cache that fails its checksum, cannot be
unpickled or holds the wrong type is ignored and rebuilt. Writing it is best effort: a
cache that cannot be written only costs the next start some time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from studyguide import __version__
from studyguide.course.files import discover
from studyguide.course.result import LoadResult

CACHE_FORMAT = 1
_MAGIC = b"studyguide-content-cache\n"
_DIGEST = 32


def fingerprint(roots: Sequence[Path]) -> bytes:
    """What the cached result depends on: the app, the roots and every file's bytes."""
    files, problems = discover(roots)
    key = hashlib.blake2b(digest_size=_DIGEST)
    key.update(f"{CACHE_FORMAT}|{__version__}|".encode())
    for root in roots:
        key.update(os.fsencode(os.path.abspath(root)) + b"\0")
    for item in files:
        key.update(f"{item.kind}|".encode() + os.fsencode(item.path) + b"\0")
        try:
            info = os.stat(item.path)
            key.update(f"{info.st_size}|{info.st_mtime_ns}|".encode())
            with open(item.path, "rb") as handle:
                key.update(hashlib.blake2b(handle.read(), digest_size=_DIGEST).digest())
        except OSError as exc:  # unreadable now: the loader reports it; key on the error
            key.update(f"error {exc.errno}".encode())
    key.update(repr([(p.code, str(p.path)) for p in problems]).encode())
    return key.digest()


def cache_file(cache_dir: Path, roots: Sequence[Path]) -> Path:
    name = hashlib.blake2b(
        "\0".join(os.path.abspath(r) for r in roots).encode(), digest_size=8
    ).hexdigest()
    return cache_dir / f"content-{name}.cache"


def read(path: Path, key: bytes) -> LoadResult | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(_MAGIC)
    if not data.startswith(_MAGIC) or data[head : head + _DIGEST] != key:
        return None
    checksum = data[head + _DIGEST : head + 2 * _DIGEST]
    payload = data[head + 2 * _DIGEST :]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != checksum:
        return None  # torn or tampered: rebuild
    try:
        result = pickle.loads(payload)
    except Exception:  # any unpickling failure means "no cache"
        return None
    return result if isinstance(result, LoadResult) else None


def write(path: Path, key: bytes, result: LoadResult) -> None:
    try:
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        checksum = hashlib.blake2b(payload, digest_size=_DIGEST).digest()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + key + checksum + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # best effort: the next start parses again


def load_content_cached(roots: Sequence[Path], cache_dir: Path) -> LoadResult:
    key = fingerprint(roots)
    path = cache_file(cache_dir, roots)
    cached = read(path, key)
    if cached is not None:
        return cached
    from studyguide.course.loader import load_content  # parsing is only needed on a miss

    result = load_content(roots)
    write(path, key, result)
    return result
