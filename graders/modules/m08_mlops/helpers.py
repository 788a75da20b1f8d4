"""Sandbox side of 08_mlops, shared by its probes: calling learner code and reporting plain data.

Only this file and the ``sandbox_*`` files of the module are imported inside the sandbox; the oracles,
references and mistake variants in the sibling files stay in the grading process. Heavy libraries are
imported inside the probes (the grading process imports these files too, to name the probes) and are
preloaded in the sandbox by the module's ``preload``.

Everything a probe creates (bundles, the MLflow database, files to upload, pytest runs) lives in the
sandbox's scratch directory, its working directory; servers and clients run inside the probe itself.
"""
from __future__ import annotations

import copy
import hashlib
import os
import tempfile
from pathlib import Path

# MLflow must never phone home (nothing here may use the network): set before mlflow is first used
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("DO_NOT_TRACK", "true")


def fresh_dir(prefix: str) -> Path:
    """A new empty directory in the scratch directory (the probe's working directory)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=os.getcwd()))


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def message_of(exc: BaseException) -> str:
    try:
        return str(exc)[:2000]
    except Exception:  # noqa: BLE001 - a hostile __str__
        return "<unprintable message>"


def outcome(fn, *args, **kwargs) -> dict:
    """Call learner code: ``{"returned": value}`` or ``{"raised": type, "value_error": bool, "message": str}``.

    NotImplementedError (an untouched stub) propagates, so that ``ctx.observe`` reports "not attempted"."""
    try:
        return {"returned": fn(*args, **kwargs)}
    except NotImplementedError as exc:
        if not message_of(exc).strip():
            raise
        return {"raised": type(exc).__name__, "value_error": False, "message": message_of(exc)}
    except Exception as exc:  # noqa: BLE001 - a refusal is an exception; which one is judged outside
        return {"raised": type(exc).__name__, "value_error": isinstance(exc, ValueError), "message": message_of(exc)}


def stop_if_untouched(fn) -> None:
    """An untouched stub (a body that only raises NotImplementedError) ends the probe as "not attempted" before
    it builds anything costly (an MLflow store, a mocked bucket, 20 MiB of files): the engine turns the
    learner failure into "not attempted". Anything else, even a stub that misbehaves, goes on as usual."""
    import inspect

    from graders.engine.sandbox.probing import LearnerFailure, error_info

    code = getattr(fn, "__code__", None)
    if code is None or tuple(code.co_names) != ("NotImplementedError",):
        return
    try:
        required = [p for p in inspect.signature(fn).parameters.values() if p.default is p.empty
                    and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        fn(*[None for p in required if p.kind is not p.KEYWORD_ONLY],
           **{p.name: None for p in required if p.kind is p.KEYWORD_ONLY})
    except NotImplementedError as exc:
        if not message_of(exc).strip():
            raise LearnerFailure(error_info(exc)) from None
    except Exception:  # noqa: BLE001 - not a plain stub after all: the probe proper will judge it
        return


def call_each_copied(ctx, target: str, cases):
    """The engine's ``call_each`` for cases whose args the probe must not share between calls."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        out.append(ctx.observe(fn, copy.deepcopy(args), copy.deepcopy(kwargs)))
    return out


def json_dumps_probe(ctx, target: str, cases):
    """Call ``target`` per case and report ``json.dumps(value, allow_nan=False)``: ``{"json": text}``, or
    ``{"json_error": why, "returned": value}``. The learner's own object is dumped, not its plain copy, so
    a numpy integer or a NaN fails here exactly as it would for them."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        out.append(ctx.observe(_dumped, (fn, copy.deepcopy(args), copy.deepcopy(kwargs))))
    return out


def _dumped(fn, args, kwargs) -> dict:
    import json

    value = fn(*args, **kwargs)
    try:
        return {"json": json.dumps(value, allow_nan=False)}
    except Exception as exc:  # noqa: BLE001 - what json.dumps says is the observation
        return {"json_error": f"{type(exc).__name__}: {message_of(exc)}"[:300], "returned": value}


def outcome_each(ctx, target: str, cases, keep_args: bool = False):
    """Per case, ``outcome`` of the call: what it returned, or which exception it raised (and whether that
    is a ValueError), for checks where raising is the right answer."""
    fn = ctx.lookup(target)
    out = []
    for i, (args, kwargs) in enumerate(cases):
        ctx.progress(i)
        out.append(ctx.observe(outcome, (fn, *copy.deepcopy(args)), copy.deepcopy(kwargs)))
    return out
