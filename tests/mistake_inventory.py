"""Which mistakes a module declares, and which of them are proven to reach a learner.

A mistake is *declared* where a module's grader names it: a :class:`Mistake` object, the id
handed to a failure (``Failure(status, message, "id")``, ``incorrect(case, message, "id")``,
``mistake=``/``mistake_id=``), or a row of a table of known slips (a literal tuple holding an
id next to its message). The ids are read from the module's source with :mod:`ast`, so a
new mistake is counted the day it is written.

A declared mistake is *proven* when an answer of the mistake bank (``# mistake: <id>``,
graded by ``tests/modules/test_mNN_*.py``, which asserts the id is reported) hits it, or,
for a variant of a ``returns`` judge, when the variant differs from the reference on one of
its check's cases and no mistake listed before it claims that value first.
"""
from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import numpy as np
from banks import bank

from graders.engine import batteries, judges, registry
from graders.engine.judges import matches_mistake
from graders.engine.spec import Mistake

ID = re.compile(r"^[A-Za-z0-9_/]+(-[A-Za-z0-9_/]+)+$")     # in a table row an id has a hyphen: "no-max-shift"
MISTAKE_CALLS = {"Mistake": 0, "mistake": 0, "Failure": 2, "incorrect": 2, "_fail": 2}  # call -> position of the id
MISTAKE_KEYWORDS = {"mistake", "mistake_id"}
ENGINE = Path(registry.__file__).parent


def _message_like(node) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value \
        and len(node.value) >= 25


def ids_in_source(folder: Path) -> dict[str, str]:
    """Mistake id -> where it is first declared ("file.py:line"), for the .py files of ``folder``."""
    found: dict[str, str] = {}

    def add(node, where, table=False):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value and \
                not any(ch.isspace() for ch in node.value) and (ID.match(node.value) or not table):
            found.setdefault(node.value, where)
        elif isinstance(node, ast.JoinedStr) and not table:   # f"{lib}-not-seeded": one id per value of lib
            found.setdefault("".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values), where)

    for path in sorted(folder.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.name}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                position = MISTAKE_CALLS.get(name)
                if position is not None and len(node.args) > position:
                    add(node.args[position], where)
                for keyword in node.keywords:
                    if keyword.arg in MISTAKE_KEYWORDS or (name == "Mistake" and keyword.arg == "id"):
                        add(keyword.value, where)
            elif isinstance(node, (ast.Tuple, ast.List)) and any(_message_like(e) for e in node.elts):
                for element in node.elts:                  # a table row: (id, message, ...) in any order
                    if not _message_like(element):
                        add(element, where, table=True)
    return found


def declared(module: str) -> dict[str, str]:
    package = importlib.import_module(registry.package_name(module))
    found = ids_in_source(Path(package.__file__).parent)
    for obj, where in mistake_objects(module):       # built by a helper under another name, say
        found.setdefault(obj.id, where)
    return found


def mistake_objects(module: str):
    """(Mistake, where) for every Mistake object the module's code holds: in the globals of its files
    (alone or in tuples, lists, dicts), in its ``returns`` judges and as checks' timeout mistakes."""
    package = importlib.import_module(registry.package_name(module))
    seen: set[int] = set()

    def walk(value, where, depth=0):
        if isinstance(value, Mistake):
            if id(value) not in seen:
                seen.add(id(value))
                yield value, where
        elif isinstance(value, (tuple, list, set, frozenset)) and depth < 3:
            for item in value:
                yield from walk(item, where, depth + 1)
        elif isinstance(value, dict) and depth < 3:
            for item in value.values():
                yield from walk(item, where, depth + 1)

    for info in pkgutil.iter_modules(package.__path__):
        file = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(file).values():
            yield from walk(value, f"{info.name}.py")
    for exercise in registry.load(module).exercises:
        for check in exercise.checks:
            where = f"check {check.title!r}"
            yield from walk((check.timeout_mistake, getattr(check.judge, "mistakes", ())), where)


def engine_ids() -> set[str]:
    """Ids the engine itself reports for any module (blocked calls, global generators, fit not self...)."""
    defaults = {inspect.signature(judges.unchanged_inputs).parameters["mistake_id"].default,
                inspect.signature(judges.seeded).parameters["mistake"].default}       # "seed-ignored"
    return set(ids_in_source(ENGINE)) | {batteries.GLOBAL_RNG} | defaults


def bank_ids(module: str) -> set[str]:
    return {entry.mistake for entry in bank(module, "mistakes") if entry.mistake}


def hits(declared_id: str, reported: set[str]) -> bool:
    """Is the declared id (or pattern, for an f-string id such as "{}-not-seeded") among the reported ids?"""
    if "{}" not in declared_id:
        return declared_id in reported
    pattern = re.compile(".+".join(re.escape(part) for part in declared_id.split("{}")))
    return any(pattern.fullmatch(r) for r in reported)


def variants(module: str):
    """(mistake, check) for every variant mistake of a ``returns`` judge of the module."""
    for exercise in registry.load(module).exercises:
        for check in exercise.checks:
            for mistake in getattr(check.judge, "mistakes", ()):
                if mistake.variant is not None:
                    yield mistake, check


def variant_fires(mistake: Mistake, check) -> bool:
    """Does the variant differ from the reference on a case of ``check``, unclaimed by an earlier mistake?"""
    judge = check.judge
    earlier = judge.mistakes[:judge.mistakes.index(mistake)]
    for case in check.materialize():
        try:
            with np.errstate(all="ignore"):
                expected = judge.expect(*case.args, **case.kwargs)
                wrong = mistake.variant(*case.args, **case.kwargs)
        except Exception:  # noqa: BLE001, S112 - a variant that cannot run on this case does not fire on it
            continue
        if judge.compare(wrong, expected) is None:
            continue
        if not any(matches_mistake(m, case, {"value": wrong}, expected, judge.compare) for m in earlier):
            return True
    return False


def coverage(module: str) -> dict:
    """declared ids, those the bank hits, variants proven to fire, variants that never can, the rest."""
    ids = declared(module)
    reported = bank_ids(module)
    hit = {i for i in ids if hits(i, reported)}
    fires: set[str] = set()
    silent: set[str] = set()
    for mistake, check in variants(module):
        (fires if variant_fires(mistake, check) else silent).add(mistake.id)
    silent -= fires                               # a variant shared by several checks needs to fire once
    unproven = set(ids) - hit - fires
    return {"declared": ids, "bank": hit, "variant": fires - hit, "never": silent - hit, "unproven": unproven}
