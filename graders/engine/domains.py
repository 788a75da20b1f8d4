"""Input domains: what an array or frame exercise's contract accepts, declared in a few lines, and cases drawn
from it.

A :class:`Domain` lists the positional arguments (an :class:`Arrays` for each array, a :class:`Frames` for
each DataFrame or Series, a tuple of choices for anything else), the keyword arguments (choices, or an :class:`Axis` of one of the arrays), the axis
lengths (1 allowed: unit axes; 0 only with ``empty``), the scales, the non-finite values the oracle defines
behaviour for, and the syllabus' pins: a :class:`Pin` quotes a Pinned paragraph and excludes what it says
is not tested. Nothing a pin excludes is ever generated, nor reached while shrinking.

:func:`draw_cases` draws the cases with hypothesis, derandomised (a fixed seed, no example database, no
shrinking phase), in the grading process: the same cases for every submission and every run. Each case
keeps its :class:`Drawn` record (``Case.extra``), with the choices that drew it, so hypothesis' shrinker
(:mod:`graders.engine.shrinking`) can replay it and make it smaller when a learner's answer fails on it;
:mod:`graders.engine.case_cache` keeps the drawn cases between runs.
"""
from __future__ import annotations

import contextlib
import dataclasses
import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

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
    optional: bool = False                # None instead of an array in some cases (e.g. a bias)
    unique: bool = False                  # all entries distinct (where rows are recognised by their values)


@dataclass(frozen=True)
class Column:
    """One column of a :class:`Frames`: ``dtype`` "float64" (values in [low, high] x the case's scale, plus
    its offset), "int64" (in ``ints``), "bool", "category" or "object" (drawn from ``values``), or
    "datetime64[ns]" (minutes ``ints`` after ``start``, shown in ``tz`` when given; a tuple of time zones and
    None: one drawn per case). ``missing``: NaN /
    None / NaT entries are part of the contract."""

    dtype: str = "float64"
    low: float = -1.0
    high: float = 1.0
    ints: tuple[int, int] = (-9, 9)
    values: tuple = ()
    missing: bool = False
    start: str = "2024-01-01"
    tz: str | tuple | None = None


@dataclass(frozen=True)
class Frames:
    """One DataFrame argument (or a Series: ``series=True``, its one column): ``columns`` maps each name to a
    :class:`Column` (or a dtype name). Its rows are the named axis ``rows``: a frame and an array (or another
    frame) sharing the name share the length, and shrinking cuts rows like any axis. ``index``: "range"
    (0..n-1) or "ids" (distinct, unsorted integers: an answer that drops or resets the index shows)."""

    columns: dict
    rows: str = "rows"
    offsets: tuple[float, ...] = (0.0,)   # float columns' location, in units of the scale (as Arrays)
    index: str = "range"
    series: bool = False

    def column(self, name) -> Column:
        spec = self.columns[name]
        return Column(spec) if isinstance(spec, str) else spec


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
    args: tuple                                      # per position: Arrays, Frames, a tuple of choices, or f(sizes)
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
    choices: tuple = ()   # hypothesis' choices that drew it: what its shrinker replays (engine/shrinking.py)


def draw_cases(domain: Domain, seed: int, examples: int | None = None) -> list[Case]:
    """``examples`` cases drawn from ``domain``; the same on every run for the same seed and hypothesis."""
    from hypothesis import HealthCheck, Phase, assume, given, settings
    from hypothesis import seed as fixed_seed
    from hypothesis import strategies as st

    count = examples or domain.examples
    strata = strata_of(domain)
    left = [count // len(strata) + (i < count % len(strata)) for i in range(len(strata))]
    out: list[Case] = []
    seen: set = set()

    @fixed_seed(seed)
    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              phases=(Phase.generate,), suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.data())
    def collect(data):
        stratum, case = draw_one(domain, data.draw, strata)
        # rejected only once everything is drawn (hypothesis replays choices: the draws must not depend on
        # what came before): outside the contract (a pin, ill-posed), a full stratum, or a structure (shapes,
        # dtypes, keywords, which non-finite values) already drawn: hypothesis mutates what it drew before,
        # and the cases should spread over the contract instead of repeating
        assume(case is not None and left[stratum] > 0 and case.extra.kind not in seen)
        seen.add(case.extra.kind)
        left[stratum] -= 1
        out.append(dataclasses.replace(case, extra=dataclasses.replace(case.extra,
                                                                       choices=data.conjecture_data.choices)))

    with no_local_constants():
        collect()
    return out


def strata_of(domain: Domain) -> list[tuple]:
    """Every combination of scale, dtypes and offsets (a stratum): each gets its share of the cases, and
    hypothesis draws the rest (shapes, values, non-finite entries, keywords). Left to pick them itself its
    choices cluster, and a scale it never picks for a float64 array is an edge never searched."""
    arrays = [spec for spec in domain.args if isinstance(spec, (Arrays, Frames))]
    strata = list(itertools.product(domain.scales, *[list(itertools.product(getattr(a, "dtypes", (None,)), a.offsets))
                                                     for a in arrays]))
    if domain.same_offsets:
        strata = [s for s in strata if len({offset for _, offset in s[1:]}) <= 1]
    return strata


def draw_one(domain: Domain, draw, strata: list[tuple]) -> tuple[int, Case | None]:
    """(its stratum, one case or None outside the contract), drawn with ``draw``: the code that both draws
    the cases and replays a case's choices while shrinking it, so a shrunk case is drawn like any other."""
    from hypothesis import strategies as st

    stratum = draw(st.integers(0, len(strata) - 1))
    return stratum, _draw(domain, draw, strata[stratum])


# hypothesis is not thread-safe, and no_local_constants patches it for the whole process: one thread at a time
# draws or shrinks (the runner grades two exercises at once in threads: runner.Grader.exercise_workers)
HYPOTHESIS_LOCK = threading.RLock()


@contextlib.contextmanager
def no_local_constants():
    """Hypothesis mixes into its draws the literals of the non-installed modules loaded in the process
    (``providers._get_local_constants``): the grader's own files, which differ between ``mlkata grade``, a
    notebook kernel and a test run, and would change the cases. Drawn without them, only the seed decides.
    (A private name of the pinned hypothesis; ``tests/engine/test_domains.py`` proves the cases the same.)"""
    from hypothesis.internal.conjecture import providers

    empty = providers.Constants(integers=providers.SortedSet(), floats=providers.SortedSet(key=providers.float_to_int),
                                bytes=providers.SortedSet(), strings=providers.SortedSet())
    with HYPOTHESIS_LOCK:
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
        elif isinstance(spec, Frames):
            dims[pos] = (spec.rows,)
        for name in dims.get(pos, ()):
            if name not in sizes:
                sizes[name] = draw(st.integers(*domain.size_range(name)))
    args = []
    for pos, spec in enumerate(domain.args):
        if isinstance(spec, Arrays):
            dtype, offsets[pos] = next(kinds)
            if spec.optional and draw(st.booleans()):
                args.append(None)
                del dims[pos]             # nothing to cut while shrinking; its lengths stay shared with others
                continue
            args.append(_draw_array(spec, dtype, tuple(sizes[n] for n in dims[pos]), scale, offsets[pos], draw))
        elif isinstance(spec, Frames):
            _, offsets[pos] = next(kinds)
            args.append(_draw_frame(spec, sizes[spec.rows], scale, offsets[pos], draw))
        else:
            args.append(draw(st.sampled_from(choices(spec, sizes))))
    kwargs = {}
    for name, spec in domain.kwargs.items():
        value = draw(_axis_strategy(spec, args[spec.of].ndim) if isinstance(spec, Axis)
                     else st.sampled_from(choices(spec, sizes)))
        if value is not OMIT:
            kwargs[name] = value
    args = tuple(args)
    if not domain.admits(args, kwargs):
        return None
    drawn = Drawn(dims, sizes, scale, offsets, _kind(args, kwargs, scale, offsets))
    return Case(args, kwargs, label(domain, args, kwargs, drawn), frozenset({"generated"}), drawn)


def _kind(args, kwargs, scale, offsets) -> tuple:
    def structure(a):
        if isinstance(a, np.ndarray):
            return (a.shape, a.dtype.str, tuple(bool(f(a).any()) for f in (np.isneginf, np.isposinf, np.isnan))
                    if a.dtype.kind == "f" else ())
        if is_frame(a):          # rows, and per column its dtype and whether it has missing entries
            frame = a.to_frame() if a.ndim == 1 else a
            return (frame.shape, tuple((str(c), str(t), bool(frame[c].isna().any()))
                                       for c, t in frame.dtypes.items()))
        return repr(a)
    return tuple(structure(a) for a in args), repr(sorted(kwargs.items())), scale, tuple(sorted(offsets.items()))


def is_frame(value) -> bool:
    """A pandas DataFrame or Series, without importing pandas for array-only domains."""
    return type(value).__module__.startswith("pandas") and type(value).__name__ in ("DataFrame", "Series")


def _draw_array(spec: Arrays, dtype: str, shape: tuple, scale: float, offset: float, draw) -> np.ndarray:
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays

    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return draw(arrays(dtype, shape, elements=st.integers(*spec.ints), unique=spec.unique))
    values = st.floats(spec.low, spec.high, allow_subnormal=False)
    if spec.unique:                   # distinct on the grid, where they stay distinct
        values = values.map(lambda v: float(np.round(v / GRID) * GRID))
    unit = draw(arrays(np.float64, shape, elements=values, unique=spec.unique))
    x = (np.round(unit / GRID) * GRID + offset) * scale
    if spec.nonfinite and x.size and draw(st.booleans()):
        mask = draw(arrays(np.bool_, shape))
        x[mask] = draw(st.sampled_from(spec.nonfinite))
    return x.astype(dtype)


def _draw_frame(spec: Frames, rows: int, scale: float, offset: float, draw):
    """A DataFrame (or Series) of ``rows`` rows: each column drawn as :class:`Column` says."""
    import pandas as pd
    from hypothesis import strategies as st
    from hypothesis.extra.numpy import arrays

    data = {}
    for name in spec.columns:
        col = spec.column(name)
        if col.dtype == "float64":
            values = _draw_array(Arrays(low=col.low, high=col.high), "float64", (rows,), scale, offset, draw)
        elif col.dtype in ("int64", "datetime64[ns]"):
            values = draw(arrays(np.int64, (rows,), elements=st.integers(*col.ints)))
        elif col.dtype == "bool":
            values = draw(arrays(np.bool_, (rows,)))
        else:                                         # category, object: drawn from the declared values
            picks = draw(arrays(np.int64, (rows,), elements=st.integers(0, len(col.values) - 1)))
            values = np.array([col.values[i] for i in picks], dtype=object)
        missing = draw(arrays(np.bool_, (rows,))) if col.missing and rows and draw(st.booleans()) else None
        if col.dtype == "datetime64[ns]":
            values = pd.Timestamp(col.start) + pd.to_timedelta(values, unit="min")
            values = pd.Series(values)       # minutes after `start` in UTC, shown in tz: no DST gaps to fall in
            tz = draw(st.sampled_from(col.tz)) if isinstance(col.tz, tuple) else col.tz
            values = values.dt.tz_localize("UTC").dt.tz_convert(tz) if tz else values
        values = pd.Series(values, dtype=None if col.dtype in ("datetime64[ns]", "category") else col.dtype)
        if missing is not None:
            values = values.astype("float64") if col.dtype in ("int64", "bool") else values
            values[missing] = None
        data[name] = values.astype("category") if col.dtype == "category" else values
    if spec.index == "ids":
        index = pd.Index(draw(st.lists(st.integers(0, 10 ** 5), min_size=rows, max_size=rows, unique=True)))
    else:
        index = pd.RangeIndex(rows)
    frame = pd.DataFrame({name: values.set_axis(index) for name, values in data.items()}, index=index)
    return frame.iloc[:, 0] if spec.series else frame


def choices(spec, sizes: dict) -> tuple:
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


# ------------------------------------------------------------------ labels
def label(domain: Domain, args: tuple, kwargs: dict, drawn: Drawn) -> str:
    """Learner-facing: "a generated (1, 5) float64 array z (scale 1e-06, some -inf), axis=1"."""
    parts = []
    for pos, value in enumerate(args):
        name = domain.names[pos] if pos < len(domain.names) else f"argument {pos + 1}"
        if isinstance(value, np.ndarray):
            parts.append(_array_words(value, name, drawn.scale, drawn.offsets.get(pos, 0.0)))
        elif is_frame(value):
            parts.append(_frame_words(value, name, drawn.scale, drawn.offsets.get(pos, 0.0)))
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


_KINDS = {"f": "float", "i": "int", "u": "int", "b": "bool", "M": "datetime", "O": "text"}


def _frame_words(frame, name: str, scale: float, offset: float) -> str:
    """ "df = a 3-row frame with columns a (float, 1 missing), b (category)", or for a Series
    "ts = a 4-row Series (datetime, Europe/Lisbon, 2 missing)"."""
    def words(column) -> str:
        dtype = column.dtype
        kind = "category" if str(dtype) == "category" else _KINDS.get(dtype.kind, str(dtype))
        notes = [kind]
        tz = getattr(dtype, "tz", None)
        if tz is not None:
            notes.append(str(tz))
        missing = int(column.isna().sum())
        if missing:
            notes.append("all missing" if missing == len(column) else f"{missing} missing")
        return ", ".join(notes)

    rows, note = f"{len(frame)}-row", ""
    floats = [frame.dtype.kind] if frame.ndim == 1 else [t.kind for t in frame.dtypes]
    if "f" in floats and offset:     # said once for the frame: every float column is drawn at the case's scale
        note = f" (float values around {offset * scale:g} with a spread of {scale:g})"
    elif "f" in floats and scale != 1:
        note = f" (float values of scale {scale:g})"
    if frame.ndim == 1:
        return f"{name} = a {rows} Series{note} ({words(frame)})"
    columns = ", ".join(f"{c} ({words(frame[c])})" for c in frame.columns)
    return f"{name} = a {rows} frame{note} with columns {columns or 'none'}"


__all__ = ["OMIT", "Arrays", "Axis", "Column", "Domain", "Drawn", "Frames", "Pin", "choices", "draw_cases", "is_frame", "label"]
