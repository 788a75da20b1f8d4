"""Module specs, one package per curriculum module.

Convention: ``graders/modules/m<id>/spec.py`` defines ``MODULE`` (checks, oracles,
judges: grading process only) and an optional ``helpers.py`` holds what runs in
the sandbox (functions handed to learner code, custom probes). The engine finds a
module by the id in a notebook's metadata ("02_math" -> ``m02_math``); it never
names one.
"""
from __future__ import annotations

import importlib
import pkgutil

from ..spec import Module


class UnknownModule(LookupError):
    pass


def module_ids() -> list[str]:
    return sorted(info.name[1:] for info in pkgutil.iter_modules(__path__)
                  if info.name.startswith("m") and info.name[1:3].isdigit())


def package_name(module_id: str) -> str:
    return f"{__name__}.m{module_id}"


def load(module_id: str) -> Module:
    if module_id not in module_ids():
        known = ", ".join(module_ids()) or "none"
        raise UnknownModule(f"no grader for module {module_id!r} (known modules: {known})")
    return importlib.import_module(package_name(module_id) + ".spec").MODULE
