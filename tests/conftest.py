"""Every test runs with its own cache and data folders: nothing touches the user's files."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_folders(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("STUDYGUIDE_CACHE", str(home / "cache" / "studyguide"))
    monkeypatch.delenv("STUDYGUIDE_CONTENT", raising=False)
    monkeypatch.delenv("STUDYGUIDE_PROGRESS", raising=False)
