"""Input domains: what an array exercise's contract accepts, declared in a few lines, and cases drawn from it.

A :class:`Domain` lists the positional arguments (an :class:`Arrays` for each array, a tuple of choices
for anything else), the keyword arguments (choices, or an :class:`Axis` of one of the arrays), the axis
lengths (1 allowed: unit axes; 0 only with ``empty``), the scales, the non-finite values the oracle defines
behaviour for, and the syllabus' pins: a :class:`Pin` quotes a Pinned paragraph and excludes what it says
is not tested. Nothing a pin excludes is ever generated, nor reached while shrinking.

:func:`draw_cases` draws the cases with hypothesis, derandomised (a fixed seed, no example database, no
shrinking phase), in the grading process: the same cases for every submission and every run. Each case
keeps its :class:`Drawn` record (``Case.extra``) so :mod:`graders.engine.search` can shrink it.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import itertools
import os
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np

from . import paths
from .spec import Case

OMIT = object()          # a keyword "choice" that leaves the keyword out (the default applies)
GRID = 1e-6              # drawn values sit on a grid of 1e-6 of their scale: no subnormals, exact zeros common


@dataclass(frozen=True)
class Arrays:
    """One array argument. ``dims`` names its axes (arrays sharing a name share that length, e.g.
    ``("n", "d")`` and ``("m", "d")``); without ``dims``, its rank is drawn from ``ranks`` and each axis
    has a length of its own (and may be dropped while shrinking)."""

    dims: tuple[str, ...] | None = None
    ranks: tuple[int, int] = (1, 3)
    dtypes: tuple[str, ...] = ("float64",)
    low: float = -1.0                     # values in [low, high] x scale (+ offset x scale)
    high: float = 1.0
    offsets: tuple[float, ...] = (0.0,)   # locations, in units of the scale (1e6: a large mean, small spread)
    nonfinite: tuple[float, ...] = ()     # values the oracle defines behaviour for, e.g. (-np.inf,)
    ints: tuple[int, int] = (-9, 9)       # value range of integer dtypes (not scaled)


@dataclass(frozen=True)
class Axis:
    """An ``axis`` keyword valid for the array at position ``of``: an int (negative too), maybe None,
    maybe a tuple of distinct axes, maybe left out (``omit``: the default applies)."""

    of: int = 0
    none: bool = False
    tuples: bool = False
    negative: bool = True
    omit: bool = False


@dataclass(frozen=True)
class Pin:
    """A syllabus pin: ``text`` quotes it, ``excludes(args, kwargs)`` is True for what it leaves untested."""

    text: str
    excludes: Callable[[tuple, dict], bool]


@dataclass(frozen=True)
class Domain:
    args: tuple                                      # per position: Arrays, a tuple of choices, or f(sizes)
    kwargs: dict = field(default_factory=dict)       # name -> choices (OMIT allowed), Axis, or f(sizes)
    names: tuple[str, ...] = ()                      # parameter names, for the labels
    sizes: tuple[int, int] = (1, 5)                  # every axis length (1: unit axes are allowed)
    dim_sizes: dict = field(default_factory=dict)    # a named axis' own range, e.g. {"n": (2, 30)}
    empty: bool = False                              # zero-length axes allowed
    scales: tuple[float, ...] = (1.0,)               # every array of a case is drawn at one of these scales
    pins: tuple[Pin, ...] = ()
    where: Callable[[tuple, dict], bool] | None = None   # well-posed inputs only (the oracle is defined)
    examples: int = 30
    same_offsets: bool = False                       # all arrays of a case sit at one offset (two samples)

    def size_range(self, dim: str) -> tuple[int, int]:
        lo, hi = self.dim_sizes.get(dim, self.sizes)
        return (lo if self.empty else max(lo, 1)), hi

    def admits(self, args: tuple, kwargs: dict) -> bool:
        """Inside the contract: well-posed (checked first: a pin may need the oracle) and no pin excludes it."""
        with np.errstate(all="ignore"):
            if self.where is not None and not self.where(args, kwargs):
                return False
            return not any(pin.excludes(args, kwargs) for pin in self.pins)


@dataclass(frozen=True)
class Drawn:
    """How a case was drawn: the axis names of each array argument, the lengths, the scale."""

    dims: dict            # position -> tuple of axis names
    sizes: dict           # axis name -> length
    scale: float
    offsets: dict         # position -> offset (in units of the scale)
    kind: tuple = ()      # the case's structure, without its values (see draw_cases)


def cached_cases(domain: Domain, seed: int, examples: int | None = None) -> list[Case]:
    """:func:`draw_cases`, kept in the grading machine's private folder (``.mlkata/cases``, which the box
    never shows to learner code): drawing costs about 5 ms a case plus hypothesis' import, more than the
    battery's whole time budget in a module of ten exercises, and the cases are the same on every run
    anyway. The file is named by a hash of everything that decides them (the declaration, the code of
    its functions, the seed, the versions of hypothesis and numpy, this file); a stale or unreadable file is
    redrawn."""
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
    """How cases are drawn is part of the key: a change to this file draws them afresh."""
    import hashlib

    with open(__file__, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


@functools.lru_cache(maxsize=1)
def _hypothesis_version() -> str:
    from importlib.metadata import version     # not `import hypothesis`: a cached grading never imports it

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


def draw_cases(domain: Domain, seed: int, examples: int | None = None) -> list[Case]:
    """``examples`` cases drawn from ``domain``; the same on every run for the same seed and hypothesis."""
    from hypothesis import HealthCheck, Phase, assume, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st

    count = examples or domain.examples
    # every combination of scale, dtypes and offsets (a stratum) gets its share of the cases; hypothesis
    # draws the rest (shapes, values, non-finite entries, keywords). Left to pick them itself its choices
    # cluster, and a scale it never picks for a float64 array is an edge never searched
    arrays = [spec for spec in domain.args if isinstance(spec, Arrays)]
    strata = list(itertools.product(domain.scales, *[list(itertools.product(a.dtypes, a.offsets)) for a in arrays]))
    if domain.same_offsets:
        strata = [s for s in strata if len({offset for _, offset in s[1:]}) <= 1]
    left = [count // len(strata) + (i < count % len(strata)) for i in range(len(strata))]
    out: list[Case] = []
    seen: set = set()

    @fixed_seed(seed)
    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=(Phase.generate,), suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.data())
    def collect(data):
        stratum = data.draw(st.integers(0, len(strata) - 1))
        case = _draw(domain, data.draw, strata[stratum])
        # rejected only once everything is drawn (hypothesis replays choices: the draws must not depend on
        # what came before): outside the contract (a pin, ill-posed), a full stratum, or a structure (shapes,
        # dtypes, keywords, which non-finite values) already drawn: hypothesis mutates what it drew before,
        # and the cases should spread over the contract instead of repeating
        assume(case is not None and left[stratum] > 0 and case.extra.kind not in seen)
        seen.add(case.extra.kind)
        left[stratum] -= 1
        out.append(case)

    with _no_local_constants():
        collect()
    return out


@contextlib.contextmanager
def _no_local_constants():
    """Hypothesis mixes into its draws the literals of the non-installed modules loaded in the process
    (``providers._get_local_constants``): the grader's own files, which differ between ``mlkata grade``, a
    notebook kernel and a test run, and would change the cases. Drawn without them, only the seed decides.
    (A private name of the pinned hypothesis; ``tests/engine/test_domains.py`` proves the cases the same.)"""
    from hypothesis.internal.conjecture import providers

    empty = providers.Constants(integers=providers.SortedSet(), floats=providers.SortedSet(key=providers.float_to_int),
                                bytes=providers.SortedSet(), strings=providers.SortedSet())
    saved = providers._get_local_constants
    providers._get_local_constants = lambda: empty
    providers.CONSTANTS_CACHE.cache.clear()     # it caches each draw kind's local constants once computed
    try:
        yield
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()


def _draw(domain: Domain, draw, stratum: tuple) -> Case | None:
    from hypothesis import strategies as st

    dims, sizes, offsets = {}, {}, {}
    scale, kinds = stratum[0], iter(stratum[1:])
    for pos, spec in enumerate(domain.args):
        if isinstance(spec, Arrays):
            if spec.dims is not None:
                dims[pos] = spec.dims
            else:
                rank = draw(st.integers(*spec.ranks))
                dims[pos] = tuple(f"{pos}.{axis}" for axis in range(rank))
            for name in dims[pos]:
                if name not in sizes:
                    sizes[name] = draw(st.integers(*domain.size_range(name)))
    args = []
    for pos, spec in enumerate(domain.args):
        if isinstance(spec, Arrays):
            dtype, offsets[pos] = next(kinds)
            args.append(_draw_array(spec, dtype, tuple(sizes[n] for n in dims[pos]), scale, offsets[pos], draw))
        else:
            args.append(draw(st.sampled_from(_choices(spec, sizes))))
    kwargs = {}
    for name, spec in domain.kwargs.items():
        value = draw(_axis_strategy(spec, args[spec.of].ndim) if isinstance(spec, Axis)
                     else st.sampled_from(_choices(spec, sizes)))
        if value is not OMIT:
            kwargs[name] = value
    args = tuple(args)
    if not domain.admits(args, kwargs):
        return None
    drawn = Drawn(dims, sizes, scale, offsets, _kind(args, kwargs, scale, offsets))
    return Case(args, kwargs, label(domain, args, kwargs, drawn), frozenset({"generated"}), drawn)


def _kind(args, kwargs, scale, offsets) -> tuple:
    shapes = tuple((a.shape, a.dtype.str, tuple(bool(f(a).any()) for f in (np.isneginf, np.isposinf, np.isnan))
                    if a.dtype.kind == "f" else ()) if isinstance(a, np.ndarray) else repr(a) for a in args)
    return shapes, repr(sorted(kwargs.items())), scale, tuple(sorted(offsets.items()))


def _draw_array(spec: Arrays, dtype: str, shape: tuple, scale: float, offset: float, draw) -> np.ndarray:
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays

    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return draw(arrays(dtype, shape, elements=st.integers(*spec.ints)))
    unit = draw(arrays(np.float64, shape, elements=st.floats(spec.low, spec.high, allow_subnormal=False)))
    x = (np.round(unit / GRID) * GRID + offset) * scale
    if spec.nonfinite and x.size and draw(st.booleans()):
        mask = draw(arrays(np.bool_, shape))
        x[mask] = draw(st.sampled_from(spec.nonfinite))
    return x.astype(dtype)


def _choices(spec, sizes: dict) -> tuple:
    values = spec(sizes) if callable(spec) else spec
    return tuple(values)


def _axis_strategy(spec: Axis, ndim: int):
    from hypothesis import strategies as st

    axes = list(range(ndim)) + ([a - ndim for a in range(ndim)] if spec.negative else [])
    options = [st.sampled_from(axes)] if axes else []
    if spec.none:
        options.append(st.none())
    if spec.tuples and ndim >= 2:
        options.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple))
    if spec.omit:
        options.append(st.just(OMIT))
    return st.one_of(*options)


# ------------------------------------------------------------------ shrinking support
def smaller(domain: Domain, case: Case) -> list[Case]:
    """Candidates one step smaller than ``case``: an axis length cut to its minimum or halved, a rank-free
    array's axis dropped, an optional keyword left out. Only what the domain admits (pins included)."""
    drawn: Drawn = case.extra
    out = []
    for name, n in drawn.sizes.items():
        lo = domain.size_range(name)[0]
        for new in sorted({lo, n // 2} - {n}):
            if lo <= new < n:
                out.append(_with_length(domain, case, name, new))
    for pos, names in drawn.dims.items():
        spec = domain.args[pos]
        if spec.dims is None and len(names) > spec.ranks[0]:
            for axis in range(len(names)):
                out.append(_without_axis(domain, case, pos, axis))
    for name, spec in domain.kwargs.items():
        optional = spec.omit if isinstance(spec, Axis) else OMIT in _choices(spec, drawn.sizes)
        if name in case.kwargs and optional:
            out.append(_rebuild(domain, case, case.args, {k: v for k, v in case.kwargs.items() if k != name},
                                drawn))
    return [c for c in out if c is not None]


def measure(case: Case) -> tuple:
    """Smaller is simpler: fewer entries, fewer axes, fewer keywords."""
    arrays = [a for a in case.args if isinstance(a, np.ndarray)]
    return sum(a.size for a in arrays), sum(a.ndim for a in arrays), len(case.kwargs)


def _with_length(domain: Domain, case: Case, name: str, new: int) -> Case | None:
    drawn: Drawn = case.extra
    args = list(case.args)
    for pos, names in drawn.dims.items():
        for axis, dim in enumerate(names):
            if dim == name:
                args[pos] = np.take(args[pos], np.arange(new), axis=axis)
    sizes = {**drawn.sizes, name: new}
    for pos, spec in enumerate(domain.args):         # a choice that depends on the lengths (k <= d) must stay valid
        if callable(spec) and not isinstance(spec, Arrays) and args[pos] not in _choices(spec, sizes):
            return None
    return _rebuild(domain, case, tuple(args), case.kwargs, replace(drawn, sizes=sizes))


def _without_axis(domain: Domain, case: Case, pos: int, axis: int) -> Case | None:
    drawn: Drawn = case.extra
    ndim = case.args[pos].ndim
    kwargs = dict(case.kwargs)
    for name, spec in domain.kwargs.items():
        if isinstance(spec, Axis) and spec.of == pos and kwargs.get(name) is not None:
            moved = _axis_without(kwargs[name], axis, ndim)
            if moved is None:
                return None
            kwargs[name] = moved
    args = list(case.args)
    args[pos] = np.take(args[pos], 0, axis=axis)
    names = drawn.dims[pos][:axis] + drawn.dims[pos][axis + 1:]
    sizes = {k: v for k, v in drawn.sizes.items() if k != drawn.dims[pos][axis]}
    return _rebuild(domain, case, tuple(args), kwargs, replace(drawn, dims={**drawn.dims, pos: names}, sizes=sizes))


def _axis_without(value, removed: int, ndim: int):
    """An axis keyword after axis ``removed`` of an ``ndim`` array is dropped; None when it named that axis."""
    if isinstance(value, tuple):
        kept = [_axis_without(v, removed, ndim) for v in value if v % ndim != removed]
        return tuple(kept) if kept else None
    a = value % ndim
    if a == removed:
        return None
    a -= a > removed
    return a if value >= 0 else a - (ndim - 1)


def _rebuild(domain: Domain, case: Case, args: tuple, kwargs: dict, drawn: Drawn) -> Case | None:
    if not domain.admits(args, kwargs):
        return None
    return Case(args, kwargs, label(domain, args, kwargs, drawn), case.tags, drawn)


# ------------------------------------------------------------------ labels
def label(domain: Domain, args: tuple, kwargs: dict, drawn: Drawn) -> str:
    """Learner-facing: "a generated (1, 5) float64 array z (scale 1e-06, some -inf), axis=1"."""
    parts = []
    for pos, value in enumerate(args):
        name = domain.names[pos] if pos < len(domain.names) else f"argument {pos + 1}"
        if isinstance(value, np.ndarray):
            parts.append(_array_words(value, name, drawn.scale, drawn.offsets.get(pos, 0.0)))
        else:
            parts.append(f"{name}={getattr(value, '__name__', None) or repr(value)}")
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    return "a generated input: " + ", ".join(parts)


def _array_words(x: np.ndarray, name: str, scale: float, offset: float) -> str:
    shape = f"({x.shape[0]},)" if x.ndim == 1 else str(x.shape)
    notes = []
    if x.dtype.kind == "f":
        if offset:
            notes.append(f"values around {offset * scale:g} with a spread of {scale:g}")
        elif scale != 1:
            notes.append(f"values of scale {scale:g}")
        for kind, mask in (("-inf", np.isneginf(x)), ("+inf", np.isposinf(x)), ("NaN", np.isnan(x))):
            if mask.any():
                notes.append(f"{'all' if mask.all() else int(mask.sum())} {kind} entries")
    return f"{name} = a {shape} {x.dtype} array" + (f" ({', '.join(notes)})" if notes else "")


__all__ = ["OMIT", "Arrays", "Axis", "Domain", "Drawn", "Pin", "cached_cases", "draw_cases", "label", "measure", "smaller"]
