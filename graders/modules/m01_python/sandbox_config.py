"""Sandbox side of 01_python's Settings, prepare_data and retry checks.

The probes set the stage (a YAML file in the scratch directory and ``MLK_*`` variables,
file and network access switched off, a flaky function and a fake ``sleep``), call the
learner's code and report plain observations. Expected values live in the grading
process (``settings.py``, ``prepare.py``, ``retry.py``).
"""
from __future__ import annotations

import builtins
import contextlib
import copy
import io
import os
import socket
import tempfile
import urllib.request
from pathlib import Path, PurePath

from graders.engine.sandbox.probing import error_info

ENV_PREFIX = "MLK_"
FIELDS = ("data_dir", "batch_size", "learning_rate", "use_gpu", "tags", "api_key")


# ------------------------------------------------------------------ Settings / load_settings
def clear_env() -> None:
    for name in [n for n in os.environ if n.upper().startswith(ENV_PREFIX)]:
        del os.environ[name]


def settings_probe(ctx, settings_name, loader_name, scenarios):
    """Per scenario {yaml, env, path, secret}: write the YAML file, set the variables, call the loader."""
    settings_cls = ctx.lookup(settings_name)
    load = ctx.lookup(loader_name)
    out = []
    for i, sc in enumerate(scenarios):
        ctx.progress(i)
        clear_env()
        folder = tempfile.mkdtemp(prefix="settings-", dir=os.getcwd())
        args = ()
        if sc.get("yaml") is not None:
            path = os.path.join(folder, "config.yaml")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(sc["yaml"])
            args = (path,) if sc.get("path") == "str" else (Path(path),)
        os.environ.update(sc.get("env", {}))
        try:
            obj = load(*args)
        except BaseException as exc:  # noqa: BLE001 - learner code may raise anything
            out.append({"error": error_info(exc), "value_error": isinstance(exc, ValueError)})
            continue
        finally:
            clear_env()
        out.append(read_settings(ctx, obj, settings_cls, sc.get("secret")))
    return out


def read_settings(ctx, obj, settings_cls, secret) -> dict:
    fields = {}
    for name in FIELDS:
        try:
            value = getattr(obj, name)
        except BaseException as exc:  # noqa: BLE001 - a property may raise anything
            fields[name] = {"missing": type(exc).__name__}
            continue
        if name == "data_dir":
            fields[name] = {"is_path": isinstance(value, PurePath), "text": _fspath(value)}
        elif name == "api_key":
            getter = getattr(value, "get_secret_value", None)
            try:
                shown = getter() if callable(getter) else None
            except BaseException:  # noqa: BLE001
                shown = None
            fields[name] = {"secret": shown if isinstance(shown, str) else None, "is_str": isinstance(value, str)}
        else:
            fields[name] = {"value": ctx.plain(value), "type": type(value).__name__}
    leaks = False
    if secret:
        for show in (repr, str):
            try:
                leaks = leaks or secret in str.__str__(show(obj))
            except BaseException:  # noqa: BLE001
                pass
    return {"is_settings": isinstance(obj, settings_cls), "type": type(obj).__name__, "fields": fields,
            "leaks": leaks}


def _fspath(value):
    try:
        return str(os.fspath(value))
    except TypeError:
        return None


# ------------------------------------------------------------------ prepare_data
class Config(dict):
    """The ``cfg`` handed to prepare_data: ``cfg["categorical"]`` and ``cfg.categorical`` both work."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _deny(kind: str, attempts: list):
    def refuse(*args, **kwargs):
        attempts.append(kind)
        raise PermissionError(f"{kind} is switched off while prepare_data runs: it must be a pure transform of "
                              "its arguments")

    return refuse


@contextlib.contextmanager
def io_blocked(attempts: list):
    """``open``, ``socket.socket`` and ``urllib.request.urlopen`` raise while the block runs."""
    saved = builtins.open, io.open, socket.socket, urllib.request.urlopen
    builtins.open = io.open = _deny("open()", attempts)
    socket.socket = _deny("socket.socket", attempts)
    urllib.request.urlopen = _deny("urllib.request.urlopen", attempts)
    try:
        yield
    finally:
        builtins.open, io.open, socket.socket, urllib.request.urlopen = saved


def prepare_probe(ctx, target, cases):
    fn = ctx.lookup(target)
    out = []
    for i, (df, cfg) in enumerate(cases):
        ctx.progress(i)
        frame, config, attempts = df.copy(deep=True), Config(copy.deepcopy(cfg)), []

        def call(frame=frame, config=config, attempts=attempts):
            with io_blocked(attempts):
                return fn(frame, config)

        obs = ctx.observe(call)
        obs["io"] = list(attempts)
        obs["df_after"] = ctx.plain(frame)
        out.append(obs)
    return out


# ------------------------------------------------------------------ retry
class FlakyError(Exception):
    """The error a flaky service raises in the retry checks."""


ERRORS = {"ValueError": ValueError, "KeyError": KeyError, "ConnectionError": ConnectionError,
          "ConnectionResetError": ConnectionResetError, "TimeoutError": TimeoutError, "OSError": OSError,
          "FlakyError": FlakyError}


def _errors(spec):
    if isinstance(spec, str):
        return ERRORS[spec]
    return tuple(ERRORS[name] for name in spec)


def retry_probe(ctx, target, scenarios):
    """Per scenario {kwargs, plan, calls}: decorate a flaky ``fetch`` whose attempts follow ``plan`` (an error
    name, or "ok"), call it, report values, errors (is it the very object the last attempt raised?),
    attempts, the delays handed to ``sleep`` and the wrapper's metadata."""
    retry = ctx.lookup(target)
    out = []
    for i, sc in enumerate(scenarios):
        ctx.progress(i)
        plan, raised, attempts, delays = list(sc["plan"]), [], [0], []

        def fetch(item, retries_ok=True, plan=plan, raised=raised, attempts=attempts):
            """Fetch one item from a flaky service."""
            attempts[0] += 1
            outcome = plan.pop(0) if plan else "ok"
            if outcome != "ok":
                exc = ERRORS[outcome](f"attempt {attempts[0]} failed")
                raised.append(exc)
                raise exc
            return {"item": item, "retries_ok": retries_ok, "attempt": attempts[0]}

        def sleep(*args, delays=delays, **kwargs):
            value = args[0] if args else next(iter(kwargs.values()), None)
            delays.append(value if isinstance(value, (int, float)) else repr(value))

        kwargs = dict(sc["kwargs"])
        if "exceptions" in kwargs:
            kwargs["exceptions"] = _errors(kwargs["exceptions"])
        try:
            wrapped = retry(**kwargs, sleep=sleep)(fetch)
        except BaseException as exc:  # noqa: BLE001
            out.append({"setup_error": error_info(exc)})
            continue
        calls = []
        for args, call_kwargs in sc["calls"]:
            record = {}
            try:
                record["value"] = ctx.plain(wrapped(*args, **call_kwargs))
            except BaseException as exc:  # noqa: BLE001
                record.update(raised=type(exc).__name__, same=bool(raised) and exc is raised[-1],
                              error=error_info(exc))
            record.update(attempts=attempts[0], delays=list(delays))
            calls.append(record)
        out.append({"calls": calls, "name": _attr(wrapped, "__name__"), "doc": _attr(wrapped, "__doc__"),
                    "wrapped_is_fetch": getattr(wrapped, "__wrapped__", None) is fetch})
    return out


def _attr(obj, name):
    try:
        value = getattr(obj, name)
    except BaseException:  # noqa: BLE001
        return None
    return str.__str__(value) if isinstance(value, str) else None
