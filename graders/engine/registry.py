"""Finding a module's spec by its id, by convention: the engine never names a module.

A notebook's metadata says ``"02_math"``; its grader is ``MODULES_PACKAGE.m02_math.spec.MODULE``.
The package is imported by name at run time (a plug-in registry), so the engine holds no
static import of any module's code.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import pkgutil

from .spec import Module

MODULES_PACKAGE = "graders.modules"


class UnknownModule(LookupError):
    pass


def module_ids() -> list[str]:
    package = importlib.import_module(MODULES_PACKAGE)
    return sorted(info.name[1:] for info in pkgutil.iter_modules(package.__path__)
                  if info.name.startswith("m") and info.name[1:3].isdigit())


def package_name(module_id: str) -> str:
    return f"{MODULES_PACKAGE}.m{module_id}"


def load(module_id: str) -> Module:
    if module_id not in module_ids():
        known = ", ".join(module_ids()) or "none"
        raise UnknownModule(f"no grader for module {module_id!r} (known modules: {known})")
    return importlib.import_module(package_name(module_id) + ".spec").MODULE


def declared_preload(module_id: str) -> tuple[str, ...] | None:
    """The ``preload`` a module's spec declares, read from its source without importing it (None when
    it is not a literal). The sandbox parent can then import those libraries while this process imports
    the spec and its oracles: the two biggest costs of a cold grade, side by side on two cores."""
    try:
        found = importlib.util.find_spec(package_name(module_id) + ".spec")
        tree = ast.parse(open(found.origin, encoding="utf-8").read())
    except (ImportError, OSError, SyntaxError, AttributeError, TypeError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Module":
            for keyword in node.keywords:
                if keyword.arg == "preload":
                    try:
                        value = ast.literal_eval(keyword.value)
                    except ValueError:
                        return None
                    return tuple(value) if all(isinstance(v, str) for v in value) else None
    return None
