"""Tripwires for functions an exercise re-implements ("implement it yourself").

Installed in the sandbox *before* any learner cell runs, so every reference the
learner can obtain (``from scipy.special import logsumexp as f``) is already the
tripwire. A tripwire delegates to the original unless the exercise being probed
blocks it; then it records the call and raises :class:`BlockedCall`. The record
is reported with the probe's result, so catching the exception does not hide it.

A blocked path names a function (``scipy.special.logsumexp``), a class
(``sklearn.decomposition.PCA``: its ``__init__`` is wrapped, keeping the signature
scikit-learn introspects), a method of an object (``scipy.stats.norm.logpdf``) or
a whole module (``sklearn.neighbors``: importing it while armed is refused).
"""
from __future__ import annotations

import functools
import importlib
import sys

ARMED: set[str] = set()      # blocked dotted paths that are live right now
CALLS: list[str] = []        # paths the learner called while armed
_INSTALLED: dict[str, object] = {}
_MODULE_BLOCKS: set[str] = set()
_ABSENT: set[str] = set()    # paths not installable here (library missing, or not patchable): not retried


class BlockedCall(Exception):
    """Raised when learner code calls what its exercise must implement."""


def _trip(path: str):
    if path in ARMED:
        CALLS.append(path)
        raise BlockedCall(f"{path} is off limits in this exercise: implement it yourself")


def _wrap_function(path: str, fn):
    @functools.wraps(fn)
    def tripwire(*args, **kwargs):
        _trip(path)
        return fn(*args, **kwargs)

    tripwire.__mlkata_tripwire__ = True
    return tripwire


def _resolve(path: str):
    """Return (owner, attribute name, value) for the longest importable prefix."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:-1]:
            owner = getattr(owner, name)
        return owner, parts[-1], getattr(owner, parts[-1])
    raise ImportError(f"cannot resolve blocked path {path!r}")


class _ModuleGate:
    """Meta-path finder refusing to import a blocked module while it is armed."""

    def find_spec(self, name, path=None, target=None):
        for blocked in _MODULE_BLOCKS:
            if (name == blocked or name.startswith(blocked + ".")) and blocked in ARMED:
                CALLS.append(blocked)
                raise BlockedCall(f"importing {blocked} is off limits in this exercise: implement it yourself")
        return None


def install(paths) -> None:
    """Replace each blocked path by a tripwire (idempotent)."""
    for path in paths:
        if path in _INSTALLED or path in _MODULE_BLOCKS or path in _ABSENT:
            continue
        try:
            _install_one(path)
        except (ImportError, AttributeError, TypeError):
            _ABSENT.add(path)   # not in this library version (or not patchable): nothing to block


def _install_one(path: str) -> None:
    try:
        module = importlib.import_module(path)
    except ImportError:
        module = None
    if module is not None and path in sys.modules:
        _install_module_gate(path)
        return
    owner, name, value = _resolve(path)
    if not isinstance(owner, type) and type(owner).__name__ != "module":
        # a method of an object (scipy.stats.norm.logpdf): patch its class, so that
        # copies of the object (frozen distributions) trip as well
        cls = type(owner)
        setattr(cls, name, _wrap_function(path, getattr(cls, name)))
        _INSTALLED[path] = cls
        return
    if isinstance(value, type):
        init = value.__dict__.get("__init__") or value.__init__
        setattr(value, "__init__", _wrap_function(path, init))
        _INSTALLED[path] = value
        return
    wire = _wrap_function(path, value)
    _INSTALLED[path] = wire
    _replace_everywhere(owner, name, value, wire)


def _replace_everywhere(owner, name, original, wire) -> None:
    """Patch the attribute on its owner and on every loaded module re-exporting it."""
    setattr(owner, name, wire)
    root = getattr(owner, "__name__", "").split(".")[0]
    for mod_name, mod in list(sys.modules.items()):
        if mod is None or not (mod_name == root or mod_name.startswith(root + ".")):
            continue
        try:
            for attr, value in list(vars(mod).items()):
                if value is original:
                    setattr(mod, attr, wire)
        except (TypeError, AttributeError):
            continue


def _install_module_gate(path: str) -> None:
    """Block a whole module: future imports refuse, loaded classes/functions trip."""
    _MODULE_BLOCKS.add(path)
    if not any(isinstance(f, _ModuleGate) for f in sys.meta_path):
        sys.meta_path.insert(0, _ModuleGate())
    for mod_name, mod in list(sys.modules.items()):
        if mod is None or not (mod_name == path or mod_name.startswith(path + ".")):
            continue
        for attr, value in list(vars(mod).items()):
            if attr.startswith("_") or getattr(value, "__module__", "") is None:
                continue
            if not str(getattr(value, "__module__", "")).startswith(path):
                continue
            try:
                if isinstance(value, type) and "__init__" in value.__dict__:
                    if not getattr(value.__dict__["__init__"], "__mlkata_tripwire__", False):
                        value.__init__ = _wrap_function(path, value.__dict__["__init__"])
                elif callable(value) and not isinstance(value, type) \
                        and not getattr(value, "__mlkata_tripwire__", False):
                    setattr(mod, attr, _wrap_function(path, value))
            except (TypeError, AttributeError):
                continue   # extension types cannot be patched; they are internals, not estimators


def arm(paths) -> None:
    ARMED.clear()
    ARMED.update(paths)
    CALLS.clear()


def disarm() -> list[str]:
    ARMED.clear()
    calls = sorted(set(CALLS))
    CALLS.clear()
    return calls
