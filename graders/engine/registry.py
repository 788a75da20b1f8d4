"""Finding a module's spec by its id, by convention: the engine never names a module.

A notebook's metadata says ``"02_math"``; its grader is ``MODULES_PACKAGE.m02_math.spec.MODULE``.
The package is imported by name at run time (a plug-in registry), so the engine holds no
static import of any module's code.
"""
from __future__ import annotations

import importlib
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
