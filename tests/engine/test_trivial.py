"""No points without the work: trivial answers score 0 on every exercise of every module.

The answers come from each exercise's released stub (``graders.engine.trivial``): the same
names and signatures, returning the first argument, zeros shaped like it, None, 0, 0.0, "x",
printing only, or a fitted-nothing object. One notebook per (module, kind) holds that kind's
answer for every exercise, so the whole battery costs one grading per module and kind.
"""
from __future__ import annotations

import ast
from functools import cache

import pytest

from graders.engine import registry
from graders.engine.live import released_submission
from graders.engine.notebook import Submission
from graders.engine.trivial import KINDS, kinds_for, trivial_answer


@cache
def _stubs(module: str) -> dict[str, str]:
    return dict(released_submission(module).answers)


def _battery():
    for module in registry.module_ids():
        for exercise in registry.load(module).exercises:
            for kind in kinds_for(_stubs(module)[exercise.id]):
                yield pytest.param(module, exercise.id, kind, id=f"{module}-{exercise.id}-{kind}")


_GRADED: dict[tuple[str, str], dict] = {}


def _graded(grader, module: str, kind: str) -> dict:
    """Exercise id -> result, for the notebook answering every exercise with the ``kind`` answer."""
    if (module, kind) not in _GRADED:
        base = released_submission(module)
        wanted = [gid for gid, src in base.answers if kind in kinds_for(src)]
        answers = tuple((gid, trivial_answer(src, kind) if gid in wanted else src) for gid, src in base.answers)
        sub = Submission(base.path, base.module, base.version, base.setup, answers)
        result = grader.grade(sub, only=wanted)
        assert result.error is None, result.error
        _GRADED[module, kind] = {ex.id: ex for ex in result.exercises}
    return _GRADED[module, kind]


@pytest.mark.parametrize("module, exercise, kind", list(_battery()))
def test_trivial_answer_scores_zero(grader, module, exercise, kind):
    ex = _graded(grader, module, kind)[exercise]
    paid = [f"{c.title} ({c.points:g} points)" for c in ex.checks if c.points > 0]
    assert ex.points == 0, (f"the {kind!r} trivial answer earned {ex.points:g} points on {module}/{exercise} from: "
                            + "; ".join(paid) + "\n" + trivial_answer(_stubs(module)[exercise], kind))
    assert ex.status.value != "passed"


@pytest.mark.parametrize("module", registry.module_ids())
def test_trivial_answers_keep_the_stubs_names_and_signatures(module):
    for exercise, stub in _stubs(module).items():
        for kind in kinds_for(stub):
            answer = trivial_answer(stub, kind)
            assert _without_added_init(_signatures(answer), _signatures(stub)) == _signatures(stub), (exercise, kind)
            compile(answer, f"<{exercise} {kind}>", "exec")
            assert "NotImplementedError" not in answer


def test_object_kinds_only_where_the_stub_defines_a_class():
    assert kinds_for("def f(x):\n    raise NotImplementedError()\n") == tuple(k for k in KINDS
                                                                              if not k.startswith("object_"))
    assert set(kinds_for("class A:\n    def fit(self, X):\n        raise NotImplementedError()\n")) == set(KINDS)
    answer = trivial_answer("class A(Base):\n    def fit(self, X, y):\n        pass\n\n"
                            "    def predict(self, X):\n        pass\n\ndef make(n):\n    pass\n", "object_zeros")
    namespace: dict = {"Base": object}
    exec(answer, namespace)  # noqa: S102 - the generated answer, run to see what it does
    model = namespace["make"](3)
    import numpy as np

    X = np.ones((4, 2))
    assert model.fit(X, None) is model and np.array_equal(model.predict(X), np.zeros((4, 2)))


def _without_added_init(answer: dict, stub: dict) -> dict:
    """The answer's signatures less the ``__init__(self)`` the generator adds to a class whose stub has none
    (a pydantic-settings class declares only fields), so that the trivial object can be built without arguments."""
    out = dict(answer)
    for name, methods in stub.items():
        if isinstance(methods, dict) and "__init__" not in methods and isinstance(out.get(name), dict):
            added = out[name].get("__init__")
            if added == ast.dump(ast.parse("def __init__(self): pass").body[0].args):
                out[name] = {k: v for k, v in out[name].items() if k != "__init__"}
    return out


def _signatures(source: str) -> dict:
    """name -> argument names, for top-level functions and for each class's methods."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_mlkata"):
            out[node.name] = ast.dump(node.args)
        elif isinstance(node, ast.ClassDef):
            out[node.name] = {m.name: ast.dump(m.args) for m in node.body if isinstance(m, ast.FunctionDef)}
    return out
