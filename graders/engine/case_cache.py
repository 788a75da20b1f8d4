"""Generated cases kept on the grading machine: drawn once (hypothesis costs about 5 ms a case plus its
import, more than the battery's whole time budget in a module of ten exercises), then loaded.

The file is named by a hash of everything that decides the cases: the declaration, the code of its
functions, the seed, the versions of hypothesis and numpy, and ``domains.py`` itself. It lives in the
learner's private folder (``.mlkata/cases``), which the box never shows to learner code.
"""
from __future__ import annotations

import dataclasses
import functools
import os

import numpy as np

from . import paths
from .domains import OMIT, Domain, draw_cases
from .spec import Case


def cached_cases(domain: Domain, seed: int, examples: int | None = None) -> list[Case]:
    """:func:`~graders.engine.domains.draw_cases`, from the cache when it holds them; a stale or unreadable
    file is redrawn (and a read-only home only means drawing again next time)."""
    import pickle

    count = examples or domain.examples
    path = paths.home() / "cases" / f"{_key(domain, seed, count)}.pkl"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - no cache yet, or an unreadable one: draw
        pass
    cases = draw_cases(domain, seed, count)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(cases, fh)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a read-only home: grading works, it draws again next time
        pass
    return cases


def _key(domain: Domain, seed: int, count: int) -> str:
    import hashlib

    text = repr((_fingerprint(domain), seed, count, _hypothesis_version(), np.__version__, _this_file()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=1)
def _this_file() -> str:
    """How cases are drawn is part of the key: a change to domains.py draws them afresh."""
    import hashlib

    from . import domains

    with open(domains.__file__, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@functools.lru_cache(maxsize=1)
def _hypothesis_version() -> str:
    from importlib.metadata import version  # not `import hypothesis`: a cached grading never imports it

    return version("hypothesis")


def _fingerprint(value):
    """A stable description: dataclasses by field, functions by name and code (not by address)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, _fingerprint(getattr(value, f.name)))
                                            for f in dataclasses.fields(value)))
    if isinstance(value, (tuple, list)):
        return tuple(_fingerprint(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(k), _fingerprint(v)) for k, v in value.items()))
    code = getattr(value, "__code__", None)
    if code is not None:
        return (value.__module__, value.__qualname__, _code(code))
    if value is OMIT:
        return "OMIT"
    return repr(value)


def _code(code) -> tuple:
    return (code.co_code, tuple(_code(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts),
            code.co_names)
