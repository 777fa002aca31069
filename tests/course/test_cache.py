"""The content cache: used when nothing changed, rebuilt when anything did or when broken."""

from __future__ import annotations

import os
import threading

import pytest

from studyguide.course import cache, loader
from tests.factories import write_course


@pytest.fixture
def course_root(tmp_path):
    root = tmp_path / "course"
    write_course(root)
    return root


@pytest.fixture
def parses(monkeypatch):
    """Counts real parses (the loader still does the work)."""
    calls = []
    real = loader.load_content

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_content", counted)
    return calls


def load(root, cache_dir):
    return cache.load_content_cached([root], cache_dir)


def prompts(result):
    return [q.prompt for q in result.course.questions]


def test_unchanged_content_comes_from_the_cache(course_root, tmp_path, parses):
    first = load(course_root, tmp_path / "c")
    second = load(course_root, tmp_path / "c")
    assert len(parses) == 1
    assert prompts(second) == prompts(first) and len(prompts(first)) == 30
    assert second.course.exam == first.course.exam


def test_an_edit_invalidates_it(course_root, tmp_path, parses):
    load(course_root, tmp_path / "c")
    bank = next((course_root / "banks").glob("*m1.yaml"))
    bank.write_text(bank.read_text().replace("Question 1 of m1?", "Question one of m1?"))
    assert "Question one of m1?" in prompts(load(course_root, tmp_path / "c"))
    assert len(parses) == 2


def test_same_size_and_mtime_but_other_bytes_is_caught_by_the_hash(course_root, tmp_path, parses):
    load(course_root, tmp_path / "c")
    bank = next((course_root / "banks").glob("*m1.yaml"))
    info = bank.stat()
    bank.write_text(bank.read_text().replace("Question 1 of m1?", "Question 9 of m1?"))
    os.utime(bank, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert bank.stat().st_size == info.st_size
    assert "Question 9 of m1?" in prompts(load(course_root, tmp_path / "c"))


def test_a_new_file_invalidates_it(course_root, tmp_path):
    load(course_root, tmp_path / "c")
    (course_root / "banks" / "broken.yaml").write_text("id: [\n")
    assert [p.code for p in load(course_root, tmp_path / "c").problems] == ["yaml-syntax"]


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty", "magic"])
def test_a_damaged_cache_is_rebuilt(course_root, tmp_path, parses, damage):
    good = load(course_root, tmp_path / "c")
    (path,) = (tmp_path / "c").iterdir()
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[-10] ^= 0xFF
    elif damage == "garbage":
        data = bytearray(os.urandom(len(data)))
    elif damage == "empty":
        data = bytearray()
    else:
        data[:5] = b"XXXXX"
    path.write_bytes(bytes(data))
    again = load(course_root, tmp_path / "c")
    assert prompts(again) == prompts(good)
    assert len(parses) == 2
    load(course_root, tmp_path / "c")
    assert len(parses) == 2  # the rebuilt cache is good again


def test_a_pickle_that_is_not_a_load_result_is_refused(course_root, tmp_path, parses):
    import pickle

    load(course_root, tmp_path / "c")
    (path,) = (tmp_path / "c").iterdir()
    data = path.read_bytes()
    payload = pickle.dumps(["not", "a", "result"])
    head = data[: cache._HEAD - cache._DIGEST] + cache.digest(payload)
    path.write_bytes(head + payload)
    assert len(prompts(load(course_root, tmp_path / "c"))) == 30
    assert len(parses) == 2


def test_an_unwritable_cache_folder_only_costs_time(course_root, tmp_path, parses):
    blocker = tmp_path / "c"
    blocker.write_text("a file where the cache folder should be")
    assert len(prompts(load(course_root, blocker))) == 30
    assert len(prompts(load(course_root, blocker))) == 30
    assert len(parses) == 2


def test_background_write_finishes_the_cache(course_root, tmp_path, parses):
    cache.load_content_cached([course_root], tmp_path / "c", background=True)
    for thread in threading.enumerate():
        if thread.name == "content-cache":
            thread.join(10)
    cache.load_content_cached([course_root], tmp_path / "c", background=True)
    assert len(parses) == 1
