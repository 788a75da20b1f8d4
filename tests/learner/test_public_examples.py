"""Every notebook's public examples pass with the reference answers, run top to bottom as a learner runs them,
and leave nothing behind: no file next to the notebook, nothing in the temporary folder.

A learner runs the setup cell, each answer and the public example under it, in one kernel; the grader never
runs the examples, so only this test does. It caught an example that wrote a checkpoint next to the notebook
(06), MLflow runs written to ``./mlruns`` beside it (08) and scratch folders left in /tmp by every run (01, 04,
07, 08). (An example that rebinds ``check`` is caught by test_inline.py, which reads every cell.)
"""
from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from graders.engine.paths import EXERCISES, SOLUTIONS

# cells run as a learner runs them (magics included), in one namespace; not the inline-check wiring, the
# check("...") cells or nbgrader's hidden-test cells, which grade rather than show
RUNNER = """
import sys, nbformat
from IPython.core.inputtransformer2 import TransformerManager
nb, ns, shown = nbformat.read(sys.argv[1], as_version=4), {"__name__": "__main__"}, 0
for cell in nb.cells:
    gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    if cell.cell_type != "code" or gid == "mlkata_inline" or gid.startswith(("check_", "test_")):
        continue
    exec(compile(TransformerManager().transform_cell(cell.source), f"<cell {gid}>", "exec"), ns)
    shown += gid.startswith("public_")
print("public examples passed:", shown)
"""
# torch keeps its compiler's cache there by design (shared by every run of the user): not a leftover
TORCH_CACHE = "torchinductor_"


def _public_cells(nb) -> int:
    return sum(c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("public_") for c in nb.cells)


@pytest.mark.parametrize("path", sorted(SOLUTIONS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_the_public_examples_pass_with_the_reference_and_leave_nothing_behind(path, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    before = set(os.listdir(EXERCISES))
    done = subprocess.run([sys.executable, "-c", RUNNER, str(path)], cwd=EXERCISES, capture_output=True, text=True,
                          timeout=300, check=False, env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stderr[-3000:]
    expected = _public_cells(nbformat.read(path, as_version=4))
    assert expected > 0 and f"public examples passed: {expected}" in done.stdout
    assert set(os.listdir(EXERCISES)) == before, "an example wrote next to the notebook"
    assert [n for n in os.listdir(scratch) if not n.startswith(TORCH_CACHE)] == [], "an example left a temp file"
