"""The course file of `mlkata serve` (TOML or YAML) and the `mlkata tokens` command."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

from graders.service.config import load_config
from graders.service.security import hash_token
from graders.service.store import Store

from conftest import ROOT, _env, issue, write_config


def test_toml_and_yaml_give_the_same_course_with_the_store_next_to_the_file(tmp_path):
    toml = load_config(write_config(tmp_path, workers=3, solution_policy={"mode": "never"}))
    (tmp_path / "course.yaml").write_text("course: test-course\nmodules: [02_math]\nroster: [ada, grace]\n"
                                          "workers: 3\nsolution_policy: {mode: never}\n")
    yaml = load_config(tmp_path / "course.yaml")
    assert toml.model_dump() == yaml.model_dump()
    assert toml.db_url == f"sqlite:///{tmp_path.resolve() / 'mlkata-service.db'}"
    assert toml.solution_policy.mode == "never" and toml.workers == 3


@pytest.mark.parametrize("text, words", [
    ('course = "c"\nmodules = ["../02_math"]\n', "not a valid id"),
    ('course = "c"\nmodules = ["02_math"]\nroster = ["a/b"]\n', "not a valid id"),
    ('course = "c"\nmodules = ["02_math"]\nroster = ["instructor"]\n', "reserved for the admin token"),
    ('course = "c"\nmodules = ["02_math"]\n[solution_policy]\nmode = "after_deadline"\n', "needs a deadline"),
    ('course = "c"\nmodules = ["02_math"]\n[solution_policy]\nmode = "sometimes"\n', "solution_policy.mode"),
])
def test_a_bad_course_file_is_refused_with_the_reason(tmp_path, text, words):
    (tmp_path / "bad.toml").write_text(text)
    with pytest.raises(ValidationError, match=words.replace(".", r"\.")):
        load_config(tmp_path / "bad.toml")


def test_tokens_are_printed_once_and_stored_hashed(tmp_path):
    config = write_config(tmp_path)
    tokens = issue(config)
    assert set(tokens) == {"ada", "grace", "instructor"} and len(set(tokens.values())) == 3
    store = Store(load_config(config).db_url)
    assert store.who(hash_token(tokens["ada"])) == ("ada", False)
    assert store.who(hash_token(tokens["instructor"])) == ("instructor", True)
    again = issue(config)                                  # reissued: the old token stops working
    assert store.who(hash_token(tokens["ada"])) is None and store.who(hash_token(again["ada"])) == ("ada", False)
    run = subprocess.run([sys.executable, "-m", "graders", "tokens", "--config", str(config), "mallory"],
                         capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120)
    assert run.returncode == 2 and "not on the roster" in run.stderr and run.stdout == ""
