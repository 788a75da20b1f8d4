"""The Makefile's set-up rules, dry-run (`make -n`): a set-up checkout grades at once, and the first grading
command after a change to the graders (a pull) runs `mlkata warm` again, which draws new hidden cases and
makes what a module keeps per machine (07's Spark class archive) for checkouts set up before it existed."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from graders.engine.paths import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs `make`")
WARM = "bin/mlkata warm --quiet"


def planned(venv, target: str, *changed: str) -> str:
    """The commands `make <target>` would run with this venv folder, if the ``changed`` files were new."""
    what_if = [f"--what-if={name}" for name in changed]
    done = subprocess.run(["make", "-n", *what_if, target, f"VENV={venv}"], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return done.stdout


@pytest.fixture
def set_up(tmp_path):
    venv = tmp_path / "venv"
    venv.mkdir()
    for stamp in (".mlkata-installed", ".mlkata-warmed"):      # both newer than every file of the checkout
        (venv / stamp).touch()
    return venv


def test_a_set_up_checkout_grades_without_setting_up_or_warming(set_up):
    plan = planned(set_up, "grade")
    assert "mlkata grade" in plan and WARM not in plan and "pip install" not in plan


@pytest.mark.parametrize("changed", ["graders/engine/domains.py", "graders/modules/m07_data_engineering/spark_cds.py"])
def test_a_change_to_the_graders_warms_again_before_grading_but_installs_nothing(set_up, changed):
    plan = planned(set_up, "grade", changed)
    assert WARM in plan and "pip install" not in plan
    assert plan.index(WARM) < plan.index("mlkata grade")


def test_a_fresh_set_up_installs_then_warms_and_the_tests_need_no_warming(tmp_path):
    plan = planned(tmp_path / "venv", "setup")
    assert plan.index("pip install") < plan.index(WARM)
    assert WARM not in planned(tmp_path / "venv", "test")
