"""Sandbox side: learner code in a fresh interpreter instead of a fork, and when that is needed.

A probe normally runs in a fork of the sandbox process. Two things make a fork the wrong place: a
memory measurement (``sandbox_fresh``), and polars: once a notebook cell has started polars' thread
pool in the sandbox process, polars hangs in every fork of it (the pool's workers are not copied and
the child waits for them forever). Probes that may meet polars check for that and rerun themselves
in a fresh interpreter, the learner's function copied there by value.
"""
from __future__ import annotations

import os
import pickle
import subprocess
import sys

from graders.engine.sandbox.probing import to_plain_safely


def copy_function(fn) -> bytes:
    """The learner's function by value (cloudpickle, as Spark ships its UDFs), for a fresh interpreter."""
    try:
        from pyspark import cloudpickle
    except ImportError:  # pragma: no cover - pyspark is a dependency of this module
        import cloudpickle
    return cloudpickle.dumps(fn)


PROBE = r"""
import importlib, pickle, sys
from graders.engine.sandbox.probing import Context
module, name, target, result_path = sys.argv[1:5]
fn = pickle.loads(sys.stdin.buffer.read())
args = pickle.loads(bytes.fromhex(sys.argv[5]))
out = getattr(importlib.import_module(module), name)(Context({target: fn}), target, *args)
with open(result_path, "wb") as fh:
    pickle.dump(out, fh)
"""


def polars_threads_in_parent() -> bool:
    """Did a notebook cell start polars' thread pool in the sandbox process this probe was forked from?

    Polars cannot run in a forked child of a process whose pool is running (its workers are not copied,
    and the child waits for them forever). Learners do run polars at the top level of an answer cell.
    """
    import glob

    for comm in glob.glob(f"/proc/{os.getppid()}/task/*/comm"):
        try:
            with open(comm) as fh:
                if fh.read().startswith("polars-"):
                    return True
        except OSError:
            continue
    return False


def probe_in_fresh_process(ctx, probe, target: str, *args):
    """Run ``probe(ctx, target, *args)`` in a fresh interpreter, the learner's function copied by value."""
    fn = ctx.lookup(target)
    try:
        blob = copy_function(fn)
    except BaseException:  # noqa: BLE001 - not copyable: run it here and take the risk of a hang
        return probe(ctx, target, *args)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    result_path = os.path.abspath(f"fresh-probe-{os.getpid()}.pickle")
    subprocess.run([sys.executable, "-c", PROBE, probe.__module__, probe.__name__, target, result_path,
                    pickle.dumps(args).hex()], input=blob, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env, check=False)
    with open(result_path, "rb") as fh:
        out = pickle.load(fh)           # written by the learner's own process: no more trusted than this one
    os.remove(result_path)
    return to_plain_safely(out)
