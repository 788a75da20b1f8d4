"""`mlkata course <step>`: which nbgrader app runs, where, with what PATH, and what a step run too early says.

No nbgrader run here (subprocess.run is replaced): the real runs are in test_readme.py and test_course.py.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig

import pytest

from graders.cli import build_parser
from graders.instructor import nbgrader_apps as apps


@pytest.fixture
def calls(monkeypatch):
    seen = []

    def fake_run(argv, cwd=None, env=None, **kwargs):
        seen.append((argv, cwd, env))
        return subprocess.CompletedProcess(argv, 0)

    monkeypatch.setattr(apps.subprocess, "run", fake_run)
    return seen


def make_course(root, module="02_math", released=False, submitted=(), autograded=()):
    root.mkdir(parents=True)
    (root / apps.CONFIG_NAME).write_text("c = get_config()\n")
    (root / "source" / module).mkdir(parents=True)
    (root / "source" / module / f"{module}.ipynb").write_text("{}")
    if released:
        (root / "release" / module).mkdir(parents=True)
        (root / "release" / module / f"{module}.ipynb").write_text("{}")
        (root / "gradebook.db").write_text("")
    for student in submitted:
        (root / "submitted" / student / module).mkdir(parents=True)
        (root / "submitted" / student / module / f"{module}.ipynb").write_text("{}")
    for student in autograded:
        (root / "autograded" / student / module).mkdir(parents=True)
    return root


def course_cli(*args) -> int:
    parsed = build_parser().parse_args(["course", *args])
    return parsed._run(parsed)


def test_each_step_runs_its_nbgrader_app_in_the_course_folder_with_the_venv_on_path(tmp_path, monkeypatch, calls):
    course = make_course(tmp_path / "course", released=True, submitted=["ann"], autograded=["ann"])
    monkeypatch.chdir(tmp_path)                                   # the repository root: ./course is found
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    for step, extra in (("release", ["--force"]), ("autograde", ["--student", "ann"]), ("feedback", []),
                        ("export", [])):
        assert course_cli(step, *(["02_math"] if step != "export" else []), *extra) == 0
    apps_run = [argv[3:] for argv, _, _ in calls]
    assert apps_run == [["generate_assignment", "02_math", "--force"], ["autograde", "02_math", "--student=ann"],
                        ["generate_feedback", "02_math"], ["export"]]
    for argv, cwd, env in calls:
        assert argv[:3] == [sys.executable, "-m", "nbgrader"] and cwd == course.resolve()
        first = env["PATH"].split(os.pathsep)[0]
        assert first == sysconfig.get_path("scripts")             # where `alembic` is installed
        assert env["PATH"].endswith("/usr/bin:/bin")


def test_inside_the_course_folder_the_course_is_the_current_folder(tmp_path, monkeypatch, calls):
    course = make_course(tmp_path / "anywhere", released=True)
    monkeypatch.chdir(course)
    assert course_cli("export") == 0 and calls[0][1] == course.resolve()


@pytest.mark.parametrize("setup, args, says", [
    ({}, ["release", "02_math"], "run `mlkata course build` (make course) first"),
    ({"course": True}, ["release"], "name the module, e.g. `mlkata course release 02_math`"),
    ({"course": True}, ["release", "03_algorithms"], "run `mlkata course build 03_algorithms`"),
    ({"course": True}, ["autograde", "02_math"], "run `mlkata course release 02_math`"),
    ({"course": True}, ["feedback", "02_math"], "run `mlkata course release 02_math`"),
    ({"course": True}, ["export"], "no gradebook yet: run `mlkata course release <module>`"),
    ({"released": True}, ["autograde", "02_math"], "collect them first into submitted/<student>/02_math/"),
    ({"released": True, "submitted": ["ann"]}, ["feedback", "02_math"], "run `mlkata course autograde 02_math`"),
])
def test_a_step_run_too_early_says_what_to_run_first(tmp_path, monkeypatch, capsys, calls, setup, args, says):
    if setup:
        make_course(tmp_path / "course", released=setup.get("released", False), submitted=setup.get("submitted", ()))
    monkeypatch.chdir(tmp_path)
    assert course_cli(*args) == 1
    err = capsys.readouterr().err.strip()
    assert says in err and "\n" not in err and err.startswith(f"course {args[0]}: ")
    assert calls == []                                            # nbgrader never started


def test_a_release_older_than_its_rebuilt_source_needs_force(tmp_path, monkeypatch, capsys, calls):
    course = make_course(tmp_path / "course", released=True)
    source = course / "source" / "02_math" / "02_math.ipynb"
    os.utime(source, (os.path.getmtime(source) + 60,) * 2)
    monkeypatch.chdir(tmp_path)
    assert course_cli("release", "02_math") == 1 and "add --force" in capsys.readouterr().err
    assert course_cli("release", "02_math", "--force") == 0 and calls[0][0][-1] == "--force"


def test_a_failing_nbgrader_app_fails_the_step(tmp_path, monkeypatch, capsys):
    make_course(tmp_path / "course", released=True)
    monkeypatch.setattr(apps.subprocess, "run", lambda argv, **kw: subprocess.CompletedProcess(argv, 3))
    monkeypatch.chdir(tmp_path)
    assert course_cli("export") == 1
    assert "nbgrader export failed (exit status 3)" in capsys.readouterr().err


def test_plain_course_still_builds_every_module(tmp_path, monkeypatch):
    built = []
    monkeypatch.setattr("graders.instructor.course.build_course",
                        lambda root, modules=None: built.append((root, modules)) or [])
    monkeypatch.chdir(tmp_path)
    assert course_cli() == 0 and built == [(tmp_path / "course", None)]
    assert course_cli("--dir", "elsewhere") == 0 and built[-1] == (apps.build_target("elsewhere"), None)
    assert course_cli("build", "02_math") == 0 and built[-1] == (tmp_path / "course", ["02_math"])


def test_build_rejects_an_unknown_module_in_one_line(tmp_path, capsys):
    assert course_cli("build", "02_maths", "--dir", str(tmp_path)) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("course build: no module 02_maths (modules: ") and "02_math," in err and "\n" not in err
