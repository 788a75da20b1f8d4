"""The sandbox parent of a one-notebook grade, started before the grading process imports its libraries."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import nbformat
import pytest

from graders.engine import registry
from graders.engine.early import start_sandbox_parent
from graders.engine.notebook import declared_module, read_submission
from graders.engine.paths import EXERCISES, ROOT, SOLUTIONS
from graders.engine.runner import Grader
from graders.engine.sandbox import Zygote


def test_the_module_is_read_from_the_metadata_or_the_file_name_as_the_grader_reads_it(tmp_path):
    assert declared_module(SOLUTIONS / "02_math.ipynb") == read_submission(SOLUTIONS / "02_math.ipynb").module
    with open(EXERCISES / "05_evaluation.ipynb", encoding="utf-8") as fh:
        nb = nbformat.read(fh, as_version=4)
    nb.metadata["mlkata"]["module"] = "02_math"          # the metadata wins over the file name
    nbformat.write(nb, tmp_path / "05_evaluation.ipynb")
    assert declared_module(tmp_path / "05_evaluation.ipynb") == "02_math"
    nb.metadata.pop("mlkata")
    nbformat.write(nb, tmp_path / "05_evaluation.ipynb")
    assert declared_module(tmp_path / "05_evaluation.ipynb") == "05_evaluation"
    (tmp_path / "broken.ipynb").write_text("{not json")
    (tmp_path / "list.ipynb").write_text("[]")
    for unreadable in ("broken.ipynb", "list.ipynb", "missing.ipynb"):
        assert declared_module(tmp_path / unreadable) is None


def test_it_launches_the_parent_the_grader_would_and_the_grader_adopts_it():
    zygote = start_sandbox_parent(SOLUTIONS / "10_vision.ipynb")
    assert zygote is not None and zygote._pending is not None          # launched, not waited for
    assert zygote.preload == registry.declared_preload("10_vision")
    with Grader(zygote=zygote) as grader:
        result = grader.grade_notebook(SOLUTIONS / "10_vision.ipynb")
        assert grader._zygote is zygote and zygote._control is not None   # the one that graded it
    assert result.points == result.max_points
    assert zygote._proc is None                                         # closed with the grader


def test_no_parent_for_a_notebook_that_names_no_module(tmp_path):
    (tmp_path / "scratch.ipynb").write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4,
                                                         "nbformat_minor": 5}))
    assert start_sandbox_parent(tmp_path / "scratch.ipynb") is None
    assert start_sandbox_parent(tmp_path / "99_unknown.ipynb") is None


def test_closing_a_parent_still_importing_does_not_wait_for_its_imports():
    # an untouched notebook needs no sandbox: its early parent is closed at once, not after its imports
    zygote = start_sandbox_parent(EXERCISES / "06_deep_learning.ipynb")     # torch: seconds of imports
    started = time.monotonic()
    zygote.close()
    assert time.monotonic() - started < 0.5 and zygote._proc is None



def test_a_parent_closed_while_it_starts_leaves_no_process_behind():
    """Closed at once (an untouched notebook), the parent may still be inside bwrap's own start, where the
    first process of the box's pid namespace does not yet die with bwrap: it would wait for bwrap forever
    (bubblewrap issue 633; 1 to 4 such processes in 60 launch-and-close cycles before the fix). The parent
    has a process group of its own, and closing it kills the whole group."""
    groups = []
    for i in range(20):
        zygote = Zygote(["numpy"])
        zygote.launch()
        pid = zygote._proc.pid
        assert os.getpgid(pid) == pid              # its own group (and session), not ours
        groups.append(pid)
        time.sleep(0.0005 * i)                     # closed at different moments of its start
        zygote.close()
    deadline = time.monotonic() + 10
    alive = groups
    while alive and time.monotonic() < deadline:
        alive = [g for g in groups if _group_alive(g)]
        time.sleep(0.05)
    assert not alive, f"processes left in the groups of {len(alive)} closed parents"


def _group_alive(pgid: int) -> bool:
    """Is a process of this group still running (not merely waiting to be reaped)?"""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


PROGRAM = """
import json, sys
from graders.engine.sandbox import client
seen = []
launch = client.Zygote.launch
def recording(self):
    seen.append(sorted(m for m in ("numpy", "nbformat", "graders.engine.runner") if m in sys.modules))
    launch(self)
client.Zygote.launch = recording
from graders.cli import main
try:
    main(["grade", "--no-history", *sys.argv[1:]])
finally:
    print("SEEN" + json.dumps(seen))
"""


@pytest.mark.parametrize("count", [1, 2])
def test_the_grade_command_launches_one_notebooks_parent_before_its_own_heavy_imports(count):
    notebooks = [str(SOLUTIONS / "02_math.ipynb")] * count
    run = subprocess.run([sys.executable, "-c", PROGRAM, *notebooks], cwd=ROOT, capture_output=True, text=True,
                         check=False, timeout=300)
    seen = json.loads(run.stdout.rsplit("SEEN", 1)[1])
    assert seen, run.stderr[-2000:]
    if count == 1:
        assert seen[0] == []                   # before numpy, nbformat and the runner were imported
    else:
        assert all(seen_then for seen_then in seen)   # several notebooks: each worker starts its own, as before
