"""Trivial answers, derived from an exercise's stub: they do none of the work and must score 0.

An answer that returns its input, zeros, ``None`` or a constant, a class whose methods return
``self``, zeros or ``None``, or a function that only prints, must not collect points from
checks that say nothing about correctness. The answers are built with :mod:`ast` from the
released answer cell (the stub): the same functions with the same signatures, the same
classes with the same bases and methods, only the bodies replaced. So an exercise is covered
the day its stub lands, without anyone writing its trivial answers by hand.
"""
from __future__ import annotations

import ast
import copy

# Kinds for every exercise; a class in the cell gets the same behaviour in each of its methods.
FUNCTION_KINDS = ("identity", "zeros", "none", "zero", "zero_float", "text", "prints")
# Kinds for exercises whose cell defines a class: a fitted-nothing object. The cell's functions
# return a fresh instance of the (first) class, e.g. `train_digits` returning an untrained `DigitsCNN()`.
CLASS_KINDS = ("object_self", "object_zeros", "object_none")
KINDS = FUNCTION_KINDS + CLASS_KINDS

# Zeros "of a plausible shape": shaped like the first array, frame or tensor argument.
_ZEROS_HELPER = '''
def _mlkata_trivial_zeros(*args):
    import sys
    import numpy
    pandas, torch = sys.modules.get("pandas"), sys.modules.get("torch")
    for a in args:
        if torch is not None and isinstance(a, torch.Tensor):
            return torch.zeros_like(a, dtype=torch.float32)
        if pandas is not None and isinstance(a, pandas.DataFrame):
            return pandas.DataFrame(index=a.index)
        if pandas is not None and isinstance(a, pandas.Series):
            return pandas.Series(0.0, index=a.index)
        if isinstance(a, numpy.ndarray):
            return numpy.zeros_like(a, dtype=float)
    for a in args:
        if isinstance(a, (list, tuple)):
            return numpy.zeros(len(a))
    return 0.0
'''


def kinds_for(stub: str) -> tuple[str, ...]:
    """The trivial kinds that make sense for this stub (object kinds only where it defines a class)."""
    tree = ast.parse(stub)
    has_class = any(isinstance(node, ast.ClassDef) for node in tree.body)
    return KINDS if has_class else FUNCTION_KINDS


def trivial_answer(stub: str, kind: str) -> str:
    """The answer cell of ``kind``: the stub's imports, functions and classes with trivial bodies."""
    if kind not in KINDS:
        raise ValueError(f"unknown trivial kind {kind!r}; known: {', '.join(KINDS)}")
    tree = ast.parse(stub)
    classes = [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
    if kind in CLASS_KINDS and not classes:
        raise ValueError(f"the {kind!r} answer needs a class in the stub; this one defines none")
    body: list[ast.stmt] = [*ast.parse(_ZEROS_HELPER).body]
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            body.append(node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            body.append(_function(node, kind, classes, method=False))
        elif isinstance(node, ast.ClassDef):
            body.append(_class(node, kind, classes))
    module = ast.Module(body=body, type_ignores=[])
    return ast.unparse(ast.fix_missing_locations(module)) + "\n"


def _class(node: ast.ClassDef, kind: str, classes: list[str]) -> ast.ClassDef:
    methods = [_function(item, kind, classes, method=True) for item in node.body
               if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not any(m.name == "__init__" for m in methods):
        methods.insert(0, _function(ast.parse("def __init__(self): pass").body[0], kind, classes, method=True))
    new = copy.copy(node)
    new.body = methods
    return new


def _function(node, kind: str, classes: list[str], method: bool):
    """The same name, arguments and decorators; a trivial body."""
    names = _arguments(node.args)
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
    params = names if (static or not method) else names[1:]      # without self / cls
    first = params[0] if params else None
    if method and node.name == "__init__":
        source = "super().__init__()"       # nn.Module subclasses need it; object's is harmless
    else:
        source = _body(kind, first, params, method, static, classes, node.name)
    new = copy.copy(node)
    new.body, new.returns = ast.parse(source).body, None
    return new


def _arguments(args: ast.arguments) -> list[str]:
    positional = [a.arg for a in args.posonlyargs + args.args]
    star = [args.vararg.arg] if args.vararg else []
    return positional + [a.arg for a in args.kwonlyargs] + star


def _body(kind: str, first: str | None, params: list[str], method: bool, static: bool, classes: list[str],
          name: str) -> str:
    args = ", ".join(params)
    zeros = f"return _mlkata_trivial_zeros({args})"
    if kind in CLASS_KINDS:
        if not method:                      # a function next to the class: hand back an untrained object
            return f"return {classes[0]}()"
        if not static and (kind == "object_self" or name == "fit"):
            return "return self"
        return zeros if kind == "object_zeros" else "return None"
    return {
        "identity": f"return {first}" if first else ("return self" if method and not static else "return None"),
        "zeros": zeros,
        "none": "return None",
        "zero": "return 0",
        "zero_float": "return 0.0",
        "text": "return 'x'",
        "prints": "print('working on it')",
    }[kind]
