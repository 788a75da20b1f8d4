"""The sandbox process: holds the learner namespace, runs cells and probes.

Forked from the zygote (``zygote.py``) once per notebook. Cells run here, so
their definitions accumulate as in a notebook kernel. Every probe runs in a
*forked child* of this process: whatever it does (patch numpy, loop forever,
``os._exit``, exhaust memory) dies with the child, is bounded by the child's
deadline, and never changes the namespace the next probe sees.

Timeouts of the probe child are enforced here with SIGKILL on its process group
(a learner can ignore SIGINT and SIGTERM, not SIGKILL). Timeouts of cells, and
of this process itself, are enforced by the grading process, which kills this
process's whole session and replays the cells that completed.
"""
from __future__ import annotations

import builtins
import ctypes
import linecache
import os
import pickle
import random
import resource
import signal
import socket
import sys
import tempfile
import types
from multiprocessing.connection import Connection

from . import blocking
from .children import ProbeChildren
from .probing import error_info
from .safe_pickle import dump_raw

_exit = os._exit  # captured before learner code runs
# what a twin (``_twin``) is made with, captured too: a cell that replaces os.fork must not break grading
_fork, _dup, _setsid, _recv_fds = os.fork, os.dup, os.setsid, socket.recv_fds


def prctl(option: int, value: int) -> None:
    """Linux's prctl(2); nothing elsewhere."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value)
    except (OSError, AttributeError):
        pass


def die_with_parent() -> None:
    """Ask Linux to SIGKILL us when our parent dies, so nothing outlives a grader."""
    prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def seed_everything(seed: int) -> None:
    """Fixed seeds and one torch thread before every cell and probe: results identical run to run
    (thread count changes the low bits), also when torch was first imported by a learner cell."""
    random.seed(seed)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)
        sys.modules["torch"].set_num_threads(1)


def limit_memory(extra_bytes: int | None) -> None:
    """Cap the address space at what is mapped now plus ``extra_bytes``."""
    if not extra_bytes:
        return
    with open("/proc/self/statm") as fh:
        mapped = int(fh.read().split()[0]) * resource.getpagesize()
    cap = mapped + int(extra_bytes)
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _silence_output() -> None:
    """Learner prints and library warnings go nowhere: scores never come from output."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = open(os.devnull, "w")


class _IPythonStub:
    """``get_ipython()`` for cells that use magics: magics are ignored when grading."""

    def run_line_magic(self, *args, **kwargs):
        return None

    run_cell_magic = system = getoutput = run_line_magic


def new_namespace() -> dict:
    """The learner's globals, registered as ``sys.modules["__main__"]`` as in a Jupyter kernel: libraries that
    resolve names through a class's module (pydantic, dataclasses, typing.get_type_hints) find the cells'
    names there, not the zygote's."""
    stub = _IPythonStub()
    module = types.ModuleType("__main__")
    module.__dict__.update({"__builtins__": builtins, "get_ipython": lambda: stub})
    sys.modules["__main__"] = module
    return module.__dict__


def exec_cell(ns: dict, label: str, source: str) -> tuple:
    filename = f"<cell {label}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    try:
        code = compile(source, filename, "exec", dont_inherit=True)   # not this file's `from __future__`
    except SyntaxError as exc:
        return ("error", {"type": type(exc).__name__, "message": str(exc.msg), "trace": [
            f"{label}, line {exc.lineno}" + (f" -> {exc.text.strip()}" if exc.text else "")],
            "stage": "cell", "not_implemented": False})
    try:
        exec(code, ns)
    except BaseException as exc:  # noqa: BLE001 - sys.exit() and KeyboardInterrupt cost only this cell
        return ("error", error_info(exc, "cell"))
    return ("ok",)


def _prepare_child(msg: dict) -> None:
    """In a probe's child, once its request has arrived: its own process group (so a timeout kills
    whatever it started), death with the sandbox, the memory cap and the seeds."""
    os.setpgid(0, 0)
    die_with_parent()
    limit_memory(msg.get("mem_bytes"))
    seed_everything(msg.get("seed", 0))


def serve(conn: Connection) -> None:
    """Main loop; requests are trusted pickles, replies are plain trees."""
    os.setsid()
    os.write(conn.fileno(), b"H")   # the grading process reads our pid from this message's credentials
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    ns = new_namespace()
    _silence_output()
    children = ProbeChildren(ns, _prepare_child, die_with_parent)
    while True:
        try:
            raw = conn.recv_bytes()
        except (EOFError, OSError):
            _exit(0)
        msg = None
        try:
            msg = pickle.loads(raw)
            if isinstance(msg, dict) and msg.get("op") == "twin":
                twin = _twin(conn, msg, children)
                if isinstance(twin, Connection):       # in the twin: from now on it serves its own connection
                    conn, children = twin, ProbeChildren(ns, _prepare_child, die_with_parent)
                    continue
                children.finished.append(twin)        # reaped with the probe children once it has gone
                reply = ("ok", twin)
            else:
                reply = _handle(ns, msg, raw, children)
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            reply = ("error", error_info(exc, "sandbox"), repr(exc)[:300])
        conn.send_bytes(dump_raw(reply))
        if isinstance(msg, dict) and msg.get("op") == "probe":
            children.fork_spare()     # while the grading process judges this reply: probes come in runs


def _twin(conn: Connection, msg: dict, children: ProbeChildren) -> Connection | int:
    """Fork a second sandbox with this one's namespace (its cells already run), for the grading process to
    probe two exercises at once. Its socket arrives right after the request, as one byte with the descriptor.
    Returns the twin's connection in the twin, its pid here. The twin has a session of its own (the grading
    process kills it by itself), its own scratch folder (``msg["cwd"]``, a copy of this one's), and dies
    with this sandbox."""
    sock = socket.socket(fileno=_dup(conn.fileno()))
    try:
        _, fds, _, _ = _recv_fds(sock, 1, 1)
    finally:
        sock.close()
    if not fds:
        raise OSError("no socket came with the request for a twin")
    pid = _fork()
    if pid:
        os.close(fds[0])
        return pid
    try:
        die_with_parent()
        conn.close()
        children.forget()                      # this sandbox's spare and lane children are not the twin's
        _setsid()
        twin = Connection(fds[0])
        _enter_scratch(msg["cwd"])
        os.write(twin.fileno(), b"H")
        return twin
    except BaseException:  # noqa: BLE001 - a twin that cannot start goes away; the grading process sees it
        _exit(3)


def _enter_scratch(cwd: str) -> None:
    """The scratch folder is the only writable place in the box: the working folder, home and temporary
    files go there."""
    os.chdir(cwd)
    os.environ["HOME"] = os.environ["TMPDIR"] = cwd
    tempfile.tempdir = cwd


def _handle(ns: dict, msg: dict, raw: bytes, children: ProbeChildren):
    op = msg["op"]
    if op == "init":
        _enter_scratch(msg["cwd"])
        for name in msg.get("imports", ()):
            __import__(name)
        blocking.install(msg.get("blocks", ()))
        limit_memory(msg.get("mem_bytes"))
        seed_everything(msg.get("seed", 0))
        return ("ok",)
    if op == "exec":
        children.discard()
        seed_everything(msg.get("seed", 0))
        return exec_cell(ns, msg["label"], msg["source"])
    if op == "probe":
        return children.run(raw, msg)
    _exit(0)
