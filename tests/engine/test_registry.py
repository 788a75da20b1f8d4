"""Finding modules by convention, and reading what a spec declares without importing it."""
from __future__ import annotations

from graders.engine import registry
from graders.engine.runner import Grader


def test_the_preload_read_from_a_spec_source_is_the_one_it_declares():
    declared = {m: registry.declared_preload(m) for m in registry.module_ids()}
    assert any(declared.values())
    for module_id, names in declared.items():
        if names is not None:          # None: the spec computes its list, and only importing it tells
            assert names == tuple(registry.load(module_id).preload), module_id


def test_an_early_launch_keeps_its_parent_when_the_spec_agrees(monkeypatch):
    module_id = next(m for m in registry.module_ids() if registry.declared_preload(m))
    with Grader() as g:
        g.launch_early([module_id])
        early = g._zygote
        assert early is not None and set(registry.declared_preload(module_id)) <= set(early.preload)
        g.prepare([module_id])
        assert g._zygote is early          # not restarted: what it imports is what the spec asked for


def test_no_early_launch_when_a_spec_computes_its_preload(monkeypatch):
    monkeypatch.setattr(registry, "declared_preload", lambda module_id: None)
    with Grader() as g:
        g.launch_early(["02_math"])
        assert g._zygote is None


def test_every_modules_grading_imports_exist():
    # a misspelt name would be skipped in silence (runner._import_for_grading) and the cold grade pay for
    # the import after the sandbox starts again
    import importlib.util

    for module_id in registry.module_ids():
        for name in registry.load(module_id).grading_imports:
            assert importlib.util.find_spec(name) is not None, (module_id, name)
