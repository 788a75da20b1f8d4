"""Fixtures of the engine's tests: the learner's private folder (``MLKATA_HOME``), writable or not."""
from __future__ import annotations

import pytest

from graders.engine import paths


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh private folder for what the engine keeps (cases, files, oracle outputs)."""
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def unwritable_home(tmp_path, monkeypatch):
    """A private folder that cannot be made: a file stands where it should be (works as root too)."""
    blocker = tmp_path / "home"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv(paths.HOME_ENV, str(blocker))
    return blocker
