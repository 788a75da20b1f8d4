"""Shrinking a generated case: candidates one step smaller, inside the same domain (pins included).

:class:`graders.engine.search.Search` probes the learner's code on these and keeps the smallest input that
still fails the same way.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from .domains import OMIT, Arrays, Axis, Domain, Drawn, choices, label
from .spec import Case


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
        optional = spec.omit if isinstance(spec, Axis) else OMIT in choices(spec, drawn.sizes)
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
        if callable(spec) and not isinstance(spec, Arrays) and args[pos] not in choices(spec, sizes):
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
