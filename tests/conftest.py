"""Shared fixtures: one Grader (one zygote) for the whole test session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from graders.runner import Grader  # noqa: E402


@pytest.fixture(scope="session")
def grader():
    g = Grader()
    from graders.modules import module_ids

    g.prepare(module_ids())
    yield g
    g.close()
