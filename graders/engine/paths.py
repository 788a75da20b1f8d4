"""Where things are: the project root and its well-known folders, defined once.

Every other file imports these names instead of computing paths from ``__file__``.
``MLKATA_HOME`` moves the learner's private folder (history, hint counters,
backups); tests always point it at a temporary directory.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]      # graders/engine/paths.py -> the checkout
SOLUTIONS = ROOT / "solutions"                  # nbgrader source notebooks (reference answers: never released)
EXERCISES = ROOT / "exercises"                  # the learner's notebooks, generated from SOLUTIONS
DATASETS = ROOT / "datasets"                    # shipped data and the seeded scripts that made it
INTERVIEWS = ROOT / "interviews"                # mock-interview notebooks (git-ignored)
HOME_ENV = "MLKATA_HOME"


def home() -> Path:
    """The learner's git-ignored private folder (``.mlkata/``: history, backups)."""
    if os.environ.get(HOME_ENV):
        return Path(os.environ[HOME_ENV])
    if os.environ.get("PYTEST_CURRENT_TEST"):
        # a test (or a `mlkata` command it started, which inherits this variable) that did not choose a
        # home must never write into the learner's real history
        return Path(tempfile.gettempdir()) / f"mlkata-test-home-{getattr(os, 'getuid', lambda: 0)()}"
    return ROOT / ".mlkata"


def backups() -> Path:
    """Where regenerated or reset notebooks keep the learner's previous copy."""
    return home() / "backups"


_GRADER_FILES: list[Path] = []
# a class's workers ask for it at the same moment (graders/instructor/batch.py): without the lock each made a
# folder of its own and all but the first were left in /tmp at exit
_MAKING = threading.Lock()


def grader_files() -> Path:
    """A private folder, made once per process and removed at exit, for files the grading process
    writes for learner code to read (e.g. a module's CSV inputs): the box shows it read-only. Named after this
    process, so that the next grading process removes it if this one is killed before its exit handlers run."""
    with _MAKING:
        if not _GRADER_FILES:
            # imported here: at the top it would stop this file loading on its own, by path (test_box.py's
            # controls load it so, as learner code without the box could)
            from .sandbox.tempdirs import owned_tempdir

            _GRADER_FILES.append(Path(owned_tempdir("mlkata-grader-files-")))
            atexit.register(shutil.rmtree, _GRADER_FILES[0], True)
    return _GRADER_FILES[0]
