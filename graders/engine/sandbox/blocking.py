"""Tripwires for functions an exercise re-implements ("implement it yourself").

Installed in the sandbox *before* any learner cell runs, so every reference the
learner can obtain (``from scipy.special import logsumexp as f``) is already the
tripwire: on a library already loaded at once, on one not loaded yet the moment
it loads (an import hook), so that blocking a library never imports it. A
tripwire delegates to the original unless the exercise being probed blocks it;
then it records the call and raises :class:`BlockedCall`. The record is reported
with the probe's result, so catching the exception does not hide it.

A blocked path names a function (``scipy.special.logsumexp``), a class
(``sklearn.decomposition.PCA``: its ``__init__`` is wrapped, keeping the signature
scikit-learn introspects), a method of an object (``scipy.stats.norm.logpdf``) or
a whole module (``sklearn.neighbors``: importing it while armed is refused).
"""
from __future__ import annotations

import functools
import importlib.util
import sys
import types

ARMED: set[str] = set()      # blocked dotted paths that are live right now
CALLS: list[str] = []        # paths the learner called while armed
_INSTALLED: dict[str, object] = {}
_MODULE_BLOCKS: set[str] = set()
_ABSENT: set[str] = set()    # paths not installable here (not in this version, or not patchable): not retried
_PENDING: set[str] = set()   # paths whose module has not loaded yet: wired when it does
_MISSING = object()


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


def _lookup(path: str):
    """(owner, attribute name, value) of a blocked function, class or method, reached from the longest
    prefix of ``path`` that is a loaded module; None while that module is not loaded (or not yet holds it).
    Nothing is imported: a module's own ``__dict__`` is read, so a package's lazy ``__getattr__`` (scikit-
    learn's submodules) does not import a library here that the learner never imports."""
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        owner = sys.modules.get(".".join(parts[:cut]))
        if owner is None:
            continue
        for name in parts[cut:]:
            holder = owner
            if isinstance(owner, types.ModuleType):
                owner = vars(owner).get(name, _MISSING)
                if owner is _MISSING:
                    return None
            else:
                owner = getattr(owner, name)       # a class's or an object's attribute: AttributeError is absent
        return holder, parts[-1], owner
    return None


class _ModuleGate:
    """Meta-path finder: refuses to import a blocked module while it is armed, and wires a module that
    holds a pending tripwire (or lies inside a blocked module) the moment it has loaded."""

    def __init__(self):
        self._finding: set[str] = set()

    def find_spec(self, name, path=None, target=None):
        for blocked in _MODULE_BLOCKS | _PENDING:
            if (name == blocked or name.startswith(blocked + ".")) and blocked in ARMED:
                CALLS.append(blocked)
                raise BlockedCall(f"importing {blocked} is off limits in this exercise: implement it yourself")
        if name in self._finding or not _concerns(name):
            return None
        self._finding.add(name)
        try:
            spec = importlib.util.find_spec(name)      # the other finders' answer (this one steps aside)
        except (ImportError, ValueError):
            return None                                # the import system asks them itself, and says why
        finally:
            self._finding.discard(name)
        if spec is not None and getattr(spec.loader, "exec_module", None) is not None:
            spec.loader = _WiringLoader(spec.loader)
        return spec


class _WiringLoader:
    """Runs the real loader, then wires what the new module holds (as post-import hooks do, e.g. wrapt's):
    the module and its spec name the real loader again before its code runs, so nothing sees this one."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec) if hasattr(self.loader, "create_module") else None

    def exec_module(self, module):
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = self.loader
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = self.loader
        self.loader.exec_module(module)
        _loaded(module.__name__)


def _concerns(name: str) -> bool:
    """Must this module be wired when it loads: it is (or may hold) a pending blocked path, or it lies
    inside a blocked module."""
    return any(p == name or p.startswith(name + ".") for p in _PENDING) or \
        any(name.startswith(b + ".") for b in _MODULE_BLOCKS)


def _loaded(name: str) -> None:
    for blocked in tuple(_MODULE_BLOCKS):
        if name.startswith(blocked + ".") and name in sys.modules:
            _gate_module(sys.modules[name], blocked)
    for path in tuple(_PENDING):
        if path == name or path.startswith(name + "."):
            _PENDING.discard(path)
            install((path,))             # pending again if the module that holds it is still to come


def install(paths) -> None:
    """Replace each blocked path by a tripwire (idempotent). A path whose module is not loaded yet is
    pending: it is wired when that module loads, so blocking a library never imports it (13_xai's shap
    and captum cost a second a sandbox parent) and a learner who never imports it never pays for it."""
    for path in paths:
        if path in _INSTALLED or path in _MODULE_BLOCKS or path in _ABSENT or path in _PENDING:
            continue
        try:
            _install_one(path)
        except (AttributeError, TypeError):
            _ABSENT.add(path)   # not in this library version (or not patchable): nothing to block


def _install_one(path: str) -> None:
    if isinstance(sys.modules.get(path), types.ModuleType):
        _install_module_gate(path)
        return
    found = _lookup(path)
    if found is None:
        _PENDING.add(path)
        _ensure_gate()
        return
    owner, name, value = found
    if isinstance(value, types.ModuleType):   # a submodule bound on its package but not in sys.modules
        _ABSENT.add(path)
        return
    if not isinstance(owner, type) and type(owner).__name__ != "module":
        # a method of an object (scipy.stats.norm.logpdf): patch its class, so that
        # copies of the object (frozen distributions) trip as well
        cls = type(owner)
        setattr(cls, name, _wrap_function(path, getattr(cls, name)))
        _INSTALLED[path] = cls
        return
    if isinstance(value, type):
        init = value.__dict__.get("__init__") or value.__init__
        value.__init__ = _wrap_function(path, init)
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


def _ensure_gate() -> None:
    if not any(isinstance(f, _ModuleGate) for f in sys.meta_path):
        sys.meta_path.insert(0, _ModuleGate())


def _install_module_gate(path: str) -> None:
    """Block a whole module: future imports refuse, loaded classes/functions trip (and so do those of its
    submodules that load later)."""
    _MODULE_BLOCKS.add(path)
    _ensure_gate()
    for mod_name, mod in list(sys.modules.items()):
        if mod is not None and (mod_name == path or mod_name.startswith(path + ".")):
            _gate_module(mod, path)


def _gate_module(mod, path: str) -> None:
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
    for path in tuple(_PENDING):      # a module loaded by a loader that could not be wired (no exec_module)
        _PENDING.discard(path)
        install((path,))              # pending again while its module is not loaded
    ARMED.clear()
    ARMED.update(paths)
    CALLS.clear()


def disarm() -> list[str]:
    ARMED.clear()
    calls = sorted(set(CALLS))
    CALLS.clear()
    return calls
