"""A cache of the parsed and validated content, so an unchanged course starts instantly.

The cache is keyed by every content file's path, size, mtime and BLAKE2 hash, plus the
app version. Checking it costs a `stat` per file first; only when every size and mtime
still match are the files read and hashed, and the cache is used only when every hash
matches too. It is never trusted blindly: a cache that fails its checksum, cannot be
unpickled or holds the wrong type is ignored and rebuilt. Writing it is best effort: a
cache that cannot be written only costs the next start some time.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path

from studyguide import __version__
from studyguide.course.files import ContentFile, discover
from studyguide.course.result import LoadResult

CACHE_FORMAT = 2
_MAGIC = b"studyguide-content-cache\n"
_DIGEST = 32
_HEAD = len(_MAGIC) + 3 * _DIGEST  # magic, stat key, content key, payload checksum

Stats = dict[Path, tuple[int, int] | int]  # (size, mtime_ns), or the errno of a failed stat


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_DIGEST).digest()


def _base(roots: Sequence[Path]) -> hashlib.blake2b:
    key = hashlib.blake2b(digest_size=_DIGEST)
    key.update(f"{CACHE_FORMAT}|{__version__}|".encode())
    for root in roots:
        key.update(os.fsencode(os.path.abspath(root)) + b"\0")
    return key


def take_stats(files: list[ContentFile]) -> Stats:
    stats: Stats = {}
    for item in files:
        try:
            info = os.stat(item.path)
            stats[item.path] = (info.st_size, info.st_mtime_ns)
        except OSError as exc:
            stats[item.path] = exc.errno or -1
    return stats


def stat_key(roots: Sequence[Path], files: list[ContentFile], stats: Stats) -> bytes:
    """Cheap: paths, kinds, sizes and mtimes. A mismatch means the cache is stale."""
    key = _base(roots)
    for item in files:
        key.update(f"{item.kind}|{stats[item.path]}|".encode() + os.fsencode(item.path) + b"\0")
    return key.digest()


def content_key(stat: bytes, files: list[ContentFile], digests: dict[Path, bytes]) -> bytes:
    """The stat key plus the hash of every file's bytes."""
    key = hashlib.blake2b(stat, digest_size=_DIGEST)
    for item in files:
        key.update(digests.get(item.path, b"unreadable"))
    return key.digest()


def read_digests(files: list[ContentFile]) -> dict[Path, bytes]:
    digests = {}
    for item in files:
        try:
            if not stat.S_ISREG(os.stat(item.path).st_mode):
                continue  # a FIFO would block the open forever; keyed as unreadable
            with open(item.path, "rb") as handle:
                digests[item.path] = digest(handle.read())
        except OSError:
            pass  # keyed as unreadable; the loader reports it
    return digests


def cache_file(cache_dir: Path, roots: Sequence[Path]) -> Path:
    name = hashlib.blake2b(
        "\0".join(os.path.abspath(r) for r in roots).encode(), digest_size=8
    ).hexdigest()
    return cache_dir / f"content-{name}.cache"


def read(path: Path, stat: bytes, files: list[ContentFile]) -> LoadResult | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    magic = len(_MAGIC)
    if not data.startswith(_MAGIC) or data[magic : magic + _DIGEST] != stat:
        return None  # a file was added, removed, resized or touched: stale
    if data[magic + _DIGEST : magic + 2 * _DIGEST] != content_key(stat, files, read_digests(files)):
        return None
    payload = memoryview(data)[_HEAD:]  # no second copy of a large cache
    if digest(payload) != data[magic + 2 * _DIGEST : _HEAD]:
        return None  # torn or tampered: rebuild
    enabled = gc.isenabled()
    gc.disable()  # unpickling builds many long-lived objects: no GC passes over them midway
    try:
        result = pickle.loads(payload)
    except Exception:  # any unpickling failure means "no cache"
        return None
    finally:
        if enabled:
            gc.enable()
    return result if isinstance(result, LoadResult) else None


def write(path: Path, stat: bytes, content: bytes, result: LoadResult) -> None:
    try:
        payload = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".content-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_MAGIC + stat + content + digest(payload))
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # best effort: the next start parses again


def load_content_cached(
    roots: Sequence[Path], cache_dir: Path, *, background: bool = False
) -> LoadResult:
    """The content, from the cache when nothing changed. With `background`, a fresh cache
    is written by a thread, so a first start does not wait for it (the process still
    waits for the thread before it exits, so the cache is never left half-written)."""
    files, _problems = discover(roots)
    stats = take_stats(files)  # before reading: a file changed meanwhile fails next time
    stat = stat_key(roots, files, stats)
    path = cache_file(cache_dir, roots)
    cached = read(path, stat, files)
    if cached is not None:
        return cached
    from studyguide.course.loader import load_content  # parsing is only needed on a miss

    digests: dict[Path, bytes] = {}  # of the very bytes parsed, so the key cannot drift
    result = load_content(roots, digests=digests)
    content = content_key(stat, files, digests)
    if background:
        job = threading.Thread(
            target=write, args=(path, stat, content, result), name="content-cache"
        )
        job.start()
    else:
        write(path, stat, content, result)
    return result
