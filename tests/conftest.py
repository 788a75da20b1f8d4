"""Shared fixtures: one Grader (one zygote) for the whole test session."""
from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

# Tests never touch the learner's real history and backups (.mlkata/): set before anything
# (subprocesses included) can read it. Removed when the session ends: it holds the kept data files
# (graders/engine/kept_files.py, 280 MB once 04's and 07's are graded).
os.environ["MLKATA_HOME"] = tempfile.mkdtemp(prefix="mlkata-test-home-")
atexit.register(shutil.rmtree, os.environ["MLKATA_HOME"], True)

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from redis_server import redis_url  # noqa: F401 - the fixture of every Celery test

from graders.engine.runner import Grader


@pytest.fixture(scope="session")
def grader():
    g = Grader()
    from graders.engine.registry import module_ids

    g.prepare(module_ids())
    yield g
    g.close()


def pytest_generate_tests(metafunc):
    """Parametrize a module suite's ``mistake``/``alternative`` tests over that module's banks."""
    module = getattr(metafunc.cls, "MODULE", None)
    if not module:
        return
    from banks import bank

    for kind, name in (("mistakes", "mistake"), ("alternatives", "alternative")):
        if name in metafunc.fixturenames:
            metafunc.parametrize(name, bank(module, kind), ids=str)
