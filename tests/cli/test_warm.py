"""`mlkata warm` (run by `make setup`): every generated case is drawn once and later gradings only read it."""
from __future__ import annotations

import dataclasses

import pytest

from graders.cli import main
from graders.engine import case_cache, registry


def _searches(module_id):
    return [c.search for e in registry.load(module_id).exercises for c in e.checks if c.search is not None]


def test_warm_draws_every_battery_once_then_reads_the_cache(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path))
    searches = _searches("02_math")
    assert searches, "02_math declares input domains"
    assert main(["warm", "02_math"]) == 0
    assert len(list((tmp_path / "cases").glob("*.pkl"))) == len(searches)
    first = capsys.readouterr().out
    expected = sum(s.examples or s.domain.examples for s in searches)
    assert f"02_math: {expected} generated cases ready" in first

    def no_drawing(*args, **kwargs):
        raise AssertionError("a warmed cache must not draw again")

    monkeypatch.setattr(case_cache, "draw_cases", no_drawing)
    assert main(["warm", "02_math", "--quiet"]) == 0
    assert f"ready: {expected} in" in capsys.readouterr().out
    with pytest.raises(AssertionError):       # the guard itself works: an empty home draws
        monkeypatch.setenv("MLKATA_HOME", str(tmp_path / "empty"))
        searches[0].cases()


def test_warm_makes_what_a_module_makes_once_per_machine(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLKATA_HOME", str(tmp_path))
    module = registry.load("07_data_engineering")
    assert module.warm_up is not None, "07 makes its Spark class archive in `mlkata warm`"
    calls = []
    fake = dataclasses.replace(module, warm_up=lambda: calls.append(1) or "archive made")
    monkeypatch.setattr(registry, "load", lambda module_id: fake if module_id == module.id else None)
    assert main(["warm", module.id]) == 0
    assert calls == [1] and f"{module.id}: archive made" in capsys.readouterr().out
    assert main(["warm", module.id, "--quiet"]) == 0
    assert calls == [1, 1] and "archive made" not in capsys.readouterr().out
