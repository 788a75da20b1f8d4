"""The instructor's steps after ``mlkata course build``: thin wrappers that run nbgrader's own apps.

nbgrader does all the work (release, autograde, feedback, export). What the wrappers add:

- nbgrader runs as ``python -m nbgrader`` with *this* Python, with its scripts folder first on ``PATH``:
  nbgrader creates a new gradebook by running the ``alembic`` command from ``PATH``, which only an
  activated venv provides, so ``.venv/bin/nbgrader generate_assignment`` fails on a new course
  (``FileNotFoundError: 'alembic'``). Through these wrappers no venv needs to be activated.
- the course folder is the working directory, wherever the command was started (the repository root or
  the course folder itself);
- a missing earlier step is a one-line :class:`CourseError` that says what to run first, checked before
  nbgrader starts (nbgrader itself would log an error, or in some cases a traceback).
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"
DEFAULT_DIR = "course"


class CourseError(Exception):
    """An instructor step cannot run yet; the message (one line) says what to run first."""


def find_course(folder: str | os.PathLike | None = None) -> Path:
    """The course folder: ``folder`` if given, else the current folder when it is a course, else ./course."""
    if folder is not None:
        candidates = [Path(folder)]
    else:
        candidates = [Path.cwd(), Path.cwd() / DEFAULT_DIR]
    for candidate in candidates:
        if (candidate / CONFIG_NAME).is_file():
            return candidate.resolve()
    where = " or ".join(str(c) for c in candidates)
    raise CourseError(f"no course folder here (no {CONFIG_NAME} in {where}): "
                      "run `mlkata course build` (make course) first, from the repository root")


def build_target(folder: str | os.PathLike | None = None) -> Path:
    """Where ``mlkata course build`` writes: ``folder``, else the current course folder, else ./course."""
    if folder is not None:
        return Path(folder)
    return Path.cwd() if (Path.cwd() / CONFIG_NAME).is_file() else Path.cwd() / DEFAULT_DIR


def tools_path(environ=None) -> str:
    """``PATH`` with the folders of this Python's console scripts (``alembic``, ``nbgrader``) first."""
    environ = os.environ if environ is None else environ
    ours = [sysconfig.get_path("scripts"), os.path.dirname(sys.executable)]
    rest = [p for p in environ.get("PATH", "").split(os.pathsep) if p]
    return os.pathsep.join(dict.fromkeys([*ours, *rest]))


def run_app(course: Path, app: str, *args: str) -> int:
    """Run ``nbgrader <app> <args>`` in the course folder; its output goes to the terminal."""
    env = {**os.environ, "PATH": tools_path()}
    return subprocess.run([sys.executable, "-m", "nbgrader", app, *args], cwd=course, env=env, check=False).returncode


def _need_module(module_id: str | None, action: str) -> str:
    if not module_id:
        raise CourseError(f"name the module, e.g. `mlkata course {action} 02_math` "
                          f"(make {action} MODULE=02_math)")
    return Path(module_id).stem


def _built(course: Path, module_id: str) -> None:
    if not (course / "source" / module_id / f"{module_id}.ipynb").is_file():
        built = sorted(p.name for p in (course / "source").glob("*") if p.is_dir())
        raise CourseError(f"{module_id} is not built in {course} (built: {', '.join(built) or 'none'}): "
                          f"run `mlkata course build {module_id}` (make course) first")


def _released(course: Path, module_id: str, action: str) -> None:
    _built(course, module_id)
    if not (course / "release" / module_id).is_dir() or not (course / "gradebook.db").is_file():
        raise CourseError(f"{module_id} is not released: run `mlkata course release {module_id}` "
                          f"(make release MODULE={module_id}) first, then {action}")


def release(course: Path, module_id: str | None, force: bool = False) -> int:
    module_id = _need_module(module_id, "release")
    _built(course, module_id)
    source = course / "source" / module_id / f"{module_id}.ipynb"
    released = course / "release" / module_id / f"{module_id}.ipynb"
    if not force and released.is_file() and released.stat().st_mtime < source.stat().st_mtime:
        # nbgrader would skip it silently (exit 0) and keep the stale release
        raise CourseError(f"{released} is older than its source: add --force to release {module_id} again")
    return run_app(course, "generate_assignment", module_id, *(["--force"] if force else []))


def autograde(course: Path, module_id: str | None, force: bool = False, student: str | None = None) -> int:
    module_id = _need_module(module_id, "autograde")
    _released(course, module_id, "autograde")
    if not list(course.glob(f"submitted/{student or '*'}/{module_id}/{module_id}.ipynb")):
        raise CourseError(f"no submission of {module_id} in {course / 'submitted'}: collect them first into "
                          f"submitted/<student>/{module_id}/{module_id}.ipynb (nbgrader collect, or by hand)")
    return run_app(course, "autograde", module_id, *_options(force, student))


def feedback(course: Path, module_id: str | None, force: bool = False, student: str | None = None) -> int:
    module_id = _need_module(module_id, "feedback")
    _released(course, module_id, "feedback")
    if not list(course.glob(f"autograded/{student or '*'}/{module_id}")):
        raise CourseError(f"no autograded submission of {module_id}: run `mlkata course autograde {module_id}` "
                          f"(make autograde MODULE={module_id}) first")
    return run_app(course, "generate_feedback", module_id, *_options(force, student))


def export(course: Path) -> int:
    if not (course / "gradebook.db").is_file():
        raise CourseError("no gradebook yet: run `mlkata course release <module>` (make release MODULE=...) "
                          "and `mlkata course autograde <module>` first")
    return run_app(course, "export")


def _options(force: bool, student: str | None) -> list[str]:
    return [*(["--force"] if force else []), *([f"--student={student}"] if student else [])]
