"""Sandbox side: run a learner function in a *fresh* Python process and measure its peak memory.

The probe child is a fork of a process that already holds the notebook's libraries and data, so
its memory peak says nothing about the learner's code (Linux even carries ``ru_maxrss`` across
fork and exec). A fresh interpreter started from the probe child, which imports duckdb, polars,
pyarrow and pandas first, reads ``VmHWM`` from /proc/self/status before and after the call: the
difference is what the learner's code needed. The function travels there by value (cloudpickle,
as Spark ships its UDFs); its result is described there (a lazy relation runs inside the window),
and only the plain description and the two readings come back.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

from graders.engine.sandbox.probing import to_plain_safely

from .sandbox_forks import copy_function

CHILD = r"""
import pickle, sys
import duckdb, numpy, pandas, polars, pyarrow, pyarrow.parquet
from graders.engine.sandbox.probing import error_info
from graders.modules.m07_data_engineering.helpers import describe_table
from graders.modules.m07_data_engineering.sandbox_fresh import high_water_kb
args, result_path = pickle.loads(bytes.fromhex(sys.argv[1])), sys.argv[2]
try:
    fn = pickle.loads(sys.stdin.buffer.read())
except BaseException as exc:
    fn, out = None, {"error": {"type": type(exc).__name__, "message": str(exc)[:300], "trace": [],
                               "stage": "unpickle", "not_implemented": False}}
if fn is not None:
    before = high_water_kb()
    try:
        out = {"value": describe_table(fn(*args))}
    except BaseException as exc:
        out = {"error": error_info(exc)}
    out["before_kb"], out["after_kb"] = before, high_water_kb()
with open(result_path, "wb") as fh:
    pickle.dump(out, fh)
"""


def high_water_kb() -> int:
    """This process's peak resident memory so far (VmHWM), in KiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def fresh_calls(ctx, target: str, cases, timeout: float, marker: str | None = None):
    """Each case: a tuple of arguments. Returns one observation per case, with ``peak_mb`` added.
    With ``marker``, the files are being written by the grading process: wait for them first."""
    from .helpers import is_stub, wait_marker

    fn = ctx.lookup(target)
    if is_stub(fn):
        return [ctx.observe(fn, tuple(cases[0]))]
    if marker:
        ready = wait_marker(marker, timeout)
        if "error" in ready:
            return [{"grader_error": f"the data file was not written: {ready['error']}"}]
    try:
        blob = copy_function(fn)
    except BaseException as exc:  # noqa: BLE001 - e.g. a global connection or file handle it refers to
        return [{"error": {"type": type(exc).__name__, "message": f"your function could not be copied to a fresh "
                           f"process ({str(exc)[:200]}): create connections and open files inside it",
                           "trace": [], "stage": "", "not_implemented": False}}]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    out = []
    for i, args in enumerate(cases):
        ctx.progress(i)
        result_path = os.path.abspath(f"fresh-result-{os.getpid()}-{i}.pickle")
        try:
            subprocess.run([sys.executable, "-c", CHILD, pickle.dumps(tuple(args)).hex(), result_path], input=blob,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, timeout=timeout,
                           check=False)
        except subprocess.TimeoutExpired:
            out.append({"timeout": True})
            break
        try:
            with open(result_path, "rb") as fh:
                obs = pickle.load(fh)      # written by the learner's own process: no more trusted than this one
            os.remove(result_path)
        except (OSError, EOFError, pickle.UnpicklingError):
            out.append({"died": True})
            continue
        if isinstance(obs, dict) and "before_kb" in obs:
            obs["peak_mb"] = (obs.pop("after_kb") - obs.pop("before_kb")) / 1024
        out.append(to_plain_safely(obs))     # whatever that process wrote, only plain data goes on
    return out
