"""Sandbox-side probes of 09_nlp: they call learner code and report plain data, nothing else.

Only this file of the module is imported inside the sandbox; the oracles, references and
mistake variants in the sibling files stay in the grading process.

Two things the engine's probes do not do:
- ``scenario_probe`` drives a class (``TfidfVectorizer``, ``NGramLM``) through a list of
  steps and records the values of some of them (scipy sparse results are densified here);
- the call probes report when a learner's function reaches a library it must not use: one whose
  classes are compiled (HF ``tokenizers``, tiktoken's Rust core), which the engine's tripwires
  cannot wrap once the answer cell has bound them, and torch in the numpy-only word2vec
  exercise, which is refused this way so that the sandbox never has to import torch (seconds
  per grading run) just to arm tripwires on its autograd.
"""
from __future__ import annotations

import copy
import dis
import sys
import types

CELL_PREFIX = "<cell "


def _origin(value) -> str:
    """The package a value comes from: a module's name, a class's or function's module, an instance's type."""
    if isinstance(value, types.ModuleType):
        return getattr(value, "__name__", "") or ""
    module = getattr(value, "__module__", None)
    if isinstance(module, str) and not isinstance(value, (str, bytes, int, float)):
        return module
    return getattr(type(value), "__module__", "") or ""


def _from_cell(obj) -> bool:
    code = getattr(obj, "__code__", None)
    return code is not None and str(code.co_filename).startswith(CELL_PREFIX)


def library_uses(fn, libraries) -> list[str]:
    """Libraries among ``libraries`` that ``fn`` (or a cell-defined helper it uses) refers to by name."""
    found, seen, stack = set(), set(), [fn]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, type):
            for member in vars(obj).values():
                stack.append(getattr(member, "__func__", getattr(member, "fget", member)))
            continue
        code = getattr(obj, "__code__", None)
        if code is None:
            continue
        names, codes = set(), [code]
        while codes:
            c = codes.pop()
            names.update(c.co_names)
            codes.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
            for ins in dis.get_instructions(c):      # `import torch` inside the function itself
                if ins.opname == "IMPORT_NAME":
                    found.update(lib for lib in libraries
                                 if ins.argval == lib or str(ins.argval).startswith(lib + "."))
        scope = getattr(obj, "__globals__", {}) or {}
        closure = [cell.cell_contents for cell in (getattr(obj, "__closure__", None) or ())
                   if _has_contents(cell)]
        for value in [scope[n] for n in names if n in scope] + closure:
            origin = _origin(value)
            for lib in libraries:
                if origin == lib or origin.startswith(lib + "."):
                    found.add(lib)
            if _from_cell(value) or (isinstance(value, type) and getattr(value, "__module__", "") == "__main__"):
                stack.append(value)
    return sorted(found)


def _has_contents(cell) -> bool:
    try:
        _ = cell.cell_contents
    except ValueError:
        return False
    return True


def call_each(ctx, target: str, cases, libraries=()):
    """Call ``target(*args, **kwargs)`` per case, like the engine's probe, plus the library report: the
    libraries the function refers to, or imports while it runs (a library not loaded before the calls)."""
    fn = ctx.lookup(target)
    uses = set(library_uses(fn, libraries)) if libraries else set()
    loaded = {lib for lib in libraries if lib in sys.modules}
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        out.append(ctx.observe(fn, copy.deepcopy(args), copy.deepcopy(kwargs)))
    uses |= {lib for lib in libraries if lib not in loaded and lib in sys.modules}
    if uses and out:
        out[0]["uses"] = sorted(uses)
    return out


def _dense(value):
    """A scipy sparse result as a dense array (the contract allows either)."""
    sparse = sys.modules.get("scipy.sparse")
    if sparse is not None and sparse.issparse(value):
        return value.toarray()
    return value


def scenario_probe(ctx, target: str, cases, keep_args=False):
    """Per case ``((init_args, init_kwargs, steps), {})``: build ``target``, run the steps in order.

    A step is ``(method, args, kwargs, record, name)``; ``"@name"`` reads an attribute. The observation
    is ``{"value": [recorded values]}``, or the first error (the remaining steps are skipped).
    """
    cls = ctx.lookup(target)
    out = []
    for i, (args, _) in enumerate(cases):
        ctx.progress(i)
        init_args, init_kwargs, steps = args
        holder = {}

        def build(*a, _cls=cls, _holder=holder, **k):
            _holder["obj"] = _cls(*a, **k)

        built = ctx.observe(build, copy.deepcopy(tuple(init_args)), copy.deepcopy(dict(init_kwargs)),
                            stage="the constructor")
        if "error" in built:
            out.append({"error": built["error"]})
            continue
        obj = holder["obj"]
        values, failed = [], None
        for method, m_args, m_kwargs, record, *_ in steps:
            if method.startswith("@"):
                obs = ctx.observe(lambda _o=obj, _n=method[1:]: _dense(getattr(_o, _n)), stage=method[1:])
            else:
                obs = ctx.observe(lambda *a, _o=obj, _n=method, **k: _dense(getattr(_o, _n)(*a, **k)),
                                  copy.deepcopy(tuple(m_args)), copy.deepcopy(dict(m_kwargs)), stage=method)
            if "error" in obs:
                failed = {"error": obs["error"]}
                break
            if record:
                values.append(obs["value"])
        out.append(failed if failed is not None else {"value": values})
    return out

