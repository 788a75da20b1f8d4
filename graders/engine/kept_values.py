"""An oracle's outputs kept on the grading machine between grading runs, so that a cold grade need not import
the library the oracle is written with: 09's oracles are torch autograd, scikit-learn, seqeval and sacrebleu,
whose imports made most of a 2.6 s cold grade (0.7 s once the outputs are kept) for milliseconds of arithmetic.

The outputs are kept in the learner's private folder (``.mlkata/values``, never shown to the box), one file
per oracle, under a digest of its *recipe*: the source files of the oracle's folder (its module's package,
whose helpers it may call), its name, and the versions of numpy and of the libraries it computes with.
Within the file each output is found by a digest of the pickled arguments, so only the very same inputs
(same dtype, shape and bytes) get a kept output; anything that cannot be pickled, or a file that cannot be
read or written, only means calling the oracle. Tensors enter that digest by their values
(:class:`_ContentPickler`): torch pickles a tensor's storage under its memory address, so the same network
would get another key in every process (13's oracles take torch networks and tensors). Each caller gets
its own copy, so a judge that changes what it was given changes nothing kept. Use it only for an oracle
whose output depends on its arguments alone (no clock, no global state), as :func:`judges.once_per_case`
requires.
"""
from __future__ import annotations

import contextlib
import contextvars
import copy
import functools
import hashlib
import inspect
import io
import os
import pickle
import sys
import threading
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import kept_files

FOLDER = "values"
KEYS = "keys without pickle's memo"     # how outputs are found in a table: a new way makes new tables
# False while a search shrinks a failure (engine/search.py): the inputs it proposes, up to 48 a failure and new
# with every wrong answer, are computed but not kept, or each wrong answer would grow the tables for good
_KEEPING = contextvars.ContextVar("mlkata_keeping_outputs", default=True)


@contextlib.contextmanager
def computed_only():
    """Within it, kept oracles still find what is kept, but keep nothing new."""
    token = _KEEPING.set(False)
    try:
        yield
    finally:
        _KEEPING.reset(token)


def kept_oracle(oracle: Callable, name: str, libraries: tuple[str, ...] = ()) -> Callable:
    """``oracle``, with its outputs kept between grading runs under ``name`` (the module's id first), its
    recipe naming the distributions of ``libraries`` (e.g. ``("torch",)``), read without importing them."""
    lock = threading.Lock()
    state: dict = {}

    def table() -> dict:
        if not state:
            state["path"] = path = _location(oracle, name, libraries)
            try:
                with open(path, "rb") as fh:
                    state["values"] = dict(pickle.load(fh))
            except Exception:  # noqa: BLE001 - nothing kept yet, or an unreadable file: compute afresh
                state["values"] = {}
        return state["values"]

    @functools.wraps(oracle)
    def kept(*args, **kwargs):
        try:
            key = _digest((args, sorted(kwargs.items())))
        except Exception:  # noqa: BLE001 - an argument pickle cannot write: nothing to key it by
            return oracle(*args, **kwargs)
        with lock:
            values = table()
            if key in values:
                return copy.deepcopy(values[key])
        value = oracle(*args, **kwargs)
        if not _KEEPING.get():
            return value
        with lock:
            values[key] = copy.deepcopy(value)
            _write(state["path"], name, values)
        return value

    kept.oracle = oracle            # the plain oracle, for tests and meta-tests
    return kept


def keep_outputs(module, oracles: dict | None = None) -> int:
    """Call each kept oracle of ``oracles`` (judge -> the kept oracle it judges with) on every case of the
    module's checks judged by that judge: a module's ``warm_up``, so that even its first grade finds them
    kept. The oracle gets the case's arguments, or, where the judge calls it with others (10's focal loss
    gradient: the case's extra weights too), the value is ``(oracle, arguments)``, ``arguments(case)``
    giving the tuple it is called with. A judge made by :func:`judges.returns` with a kept oracle needs no
    entry: its oracle is found on the judge, as ``judge.expect``; a judge of a module's own may carry one the
    same way, a function of the case's arguments with ``.oracle`` set (04's fit/transform judges). Every
    check's cases are made here too, so that what their makers keep (03's datasets, 09's BPE merges, 13's
    fitted trees) is kept as well. Returns how many outputs it computed or found."""
    count = 0
    for exercise in module.exercises:
        for check in exercise.checks:
            cases = check.materialize()
            oracle = (oracles or {}).get(check.judge) or _kept_expectation(check.judge)
            if oracle is None:
                continue
            oracle, arguments = oracle if isinstance(oracle, tuple) else (oracle, None)
            for case in cases:
                oracle(*arguments(case)) if arguments else oracle(*case.args, **case.kwargs)
                count += 1
    return count


def _kept_expectation(judge) -> Callable | None:
    """The kept oracle a ``returns`` judge compares with (it keeps ``expect`` on itself), or None."""
    expect = getattr(judge, "expect", None)
    return expect if hasattr(expect, "oracle") else None


class _ContentPickler(pickle.Pickler):
    """Pickles as usual, but a torch tensor (a network's parameters and buffers too) as its type, dtype, shape,
    ``requires_grad`` and values: what decides an oracle's output, without the memory address torch's own
    pickle writes. Used for digests only, never read back."""

    def reducer_override(self, obj):
        torch = sys.modules.get("torch")     # a tensor exists only once torch is loaded: never imported here
        if torch is None or not isinstance(obj, torch.Tensor):
            return NotImplemented
        values = obj.detach().cpu().contiguous()
        if values.dtype == torch.bfloat16:   # numpy has no bfloat16; float32 holds its values exactly
            values = values.float()
        fields = (type(obj).__qualname__, str(obj.dtype), tuple(obj.shape), obj.requires_grad,
                  values.numpy().tobytes())
        return tuple, (fields,)


def _digest(value) -> str:
    buffer = io.BytesIO()
    pickler = _ContentPickler(buffer, protocol=5)
    # no memo: pickle writes an object met twice as a reference to the first, so the same values would get
    # another key where two arguments share one array in one process and not in the next (05's drawn
    # cross-validation cases: X is the factory's own array when drawn, a copy once read from the case cache).
    # A cyclic argument cannot be written so: it goes straight to the oracle, as anything pickle cannot write
    pickler.fast = True
    pickler.dump(value)
    return hashlib.sha256(buffer.getvalue()).hexdigest()


def _location(oracle: Callable, name: str, libraries: tuple[str, ...]) -> Path:
    recipe = (_package_digest(Path(inspect.getsourcefile(oracle)).parent), oracle.__qualname__,
              [(lib, _version(lib)) for lib in ("numpy", *libraries)], KEYS)
    return kept_files.location(name, recipe, ".pkl", folder=FOLDER)


@functools.lru_cache(maxsize=None)
def _package_digest(folder: Path) -> str:
    """Every source file of the oracle's package: it may call the package's helpers (09's TF-IDF oracle does).
    Read once per process, whatever number of oracles the package has."""
    return kept_files.code_digest(*sorted(folder.glob("*.py")))


def _version(distribution: str) -> str | None:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def _write(path, name: str, values: dict) -> None:
    """Write the table whole (beside it, then renamed) and drop the tables of ``name``'s older recipes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(values, fh, protocol=5)
        os.replace(tmp, path)
        kept_files.prune(path, name)
    except OSError:
        pass                         # a home that cannot be written: computed again next time
