"""Bytes between the grading process and the sandbox.

Grader -> sandbox: ordinary pickle (the grader is trusted).
Sandbox -> grader: pickle of a *plain* tree (see ``plain.py``) read back with an
unpickler that refuses every global except a few harmless builtins. Learner code
runs in the sandbox and could write any bytes there; the worst it can send is a
plain tree, never an object whose unpickling runs code.
"""
from __future__ import annotations

import io
import pickle

from .plain import revive, to_plain

_ALLOWED = {("builtins", "complex"), ("builtins", "set"), ("builtins", "frozenset"),
            ("builtins", "slice"), ("builtins", "bytearray")}


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"sandbox sent a forbidden global {module}.{name}")

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("sandbox sent a persistent id")


def dump_plain(obj) -> bytes:
    """Sandbox side: plain-convert then pickle."""
    return pickle.dumps(to_plain(obj), protocol=pickle.HIGHEST_PROTOCOL)


def dump_raw(tree) -> bytes:
    """Sandbox side, for trees that are already plain (our own envelopes)."""
    return pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL)


def load_plain(data: bytes):
    """Grader side: unpickle with no code-running globals, then revive arrays."""
    return revive(_PlainUnpickler(io.BytesIO(data)).load())


def load_plain_tree(data: bytes):
    """Grader side: the plain tree itself, without reviving (for envelopes)."""
    return _PlainUnpickler(io.BytesIO(data)).load()
