"""Grading-process side of the sandbox: start, talk to, time out and replay.

``Zygote`` owns the pre-imported parent process; ``Sandbox`` owns one forked
sandbox (one notebook). Every wait has a deadline. When a cell, or the sandbox
itself, overruns its deadline, the sandbox's whole process session is killed
with SIGKILL and a fresh sandbox replays the cells that had completed, so one
endless loop costs one exercise, never the notebook.
"""
from __future__ import annotations

import os
import pickle
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from .box import command, interpreter, layout, package_dir, unavailable, warn_once
from .plain import revive
from .safe_pickle import load_plain_tree
from .tempdirs import owned_tempdir

SANDBOX_ENV = {
    # one thread everywhere: stable timings on small machines, bit-identical results
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1", "VECLIB_MAXIMUM_THREADS": "1",
    "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "MPLBACKEND": "Agg",
    "PYTHONWARNINGS": "ignore", "TF_CPP_MIN_LOG_LEVEL": "3",
    # torch.cuda.is_available() asks NVML instead of initialising CUDA, so a notebook that checks for a
    # GPU at top level does not break CUDA in the probes forked after it
    "PYTORCH_NVML_BASED_CUDA_CHECK": "1",
    "MLKATA_SANDBOX": "1",   # graders.learner.inline check() is a no-op here (a learner may call it in an answer cell)
}
REPLY_GRACE = 5.0      # seconds the sandbox gets beyond a probe's own deadline
STOP_GRACE = 1.0       # seconds the sandbox parent gets to exit when closed, before SIGKILL


class SandboxUnavailable(RuntimeError):
    """The zygote could not be started or stopped answering: a grader error."""


@dataclass(frozen=True)
class CellRun:
    status: str                      # ok | error | timeout | died
    error: dict | None = None


@dataclass(frozen=True)
class ProbeRun:
    status: str                      # ok | learner_error | missing | timeout | died | probe_error
    value: object = None
    error: dict | None = None
    blocked: tuple = ()
    progress: int = -1
    detail: str = ""
    seconds: float = 0.0
    cpu: float = 0.0                 # CPU seconds of the probe in its child, as the child reports them
    imported: int = 0                # modules the child imported during the probe (the parent's preload lacked)


# what the sandbox parent inherits of the grading process's environment: no tokens, no keys
KEPT_ENV = ("PATH", "USER", "LANG", "LANGUAGE", "TZ", "PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "VIRTUAL_ENV",
            "CONDA_PREFIX", "SYSTEMROOT")


class Zygote:
    """The sandbox parent: started once, in the box (``box.py``) unless ``box`` is False or it cannot be.

    ``data`` are folders learner code may read; each sandbox gets a scratch folder inside this
    zygote's scratch root, the only place it can write. ``trusted`` marks a parent that never runs
    learner code (the reference timer of speed budgets): it is not boxed and warns of nothing.
    """

    def __init__(self, preload=(), start_timeout: float = 120.0, box: bool | None = None, data=(),
                 trusted: bool = False):
        self.preload = tuple(dict.fromkeys(preload))
        self._start_timeout = start_timeout
        self._box = box
        self._data = tuple(data)
        self._trusted = trusted
        self._proc = None
        self._control = None
        self._pending: socket.socket | None = None     # launched, not yet known to be ready
        self._scratch_root: str | None = None
        self.boxed = False
        self._spawning = threading.Lock()   # a notebook's two sandboxes (parallel.py) may both need a new one

    @property
    def trusted(self) -> bool:
        """Does this parent never run learner code (the speed budgets' reference timer)?"""
        return self._trusted

    def scratch_root(self) -> str:
        if self._scratch_root is None:
            self._scratch_root = owned_tempdir("mlkata-box-")     # swept by a later process if this one is killed
        return self._scratch_root

    def _command(self, fd: int) -> tuple[list[str], dict]:
        root = self.scratch_root()
        env = {k: v for k, v in os.environ.items() if k in KEPT_ENV or k.startswith("LC_")}
        env.update(SANDBOX_ENV, HOME=root, TMPDIR=root)
        env.setdefault("USER", os.environ.get("LOGNAME", "learner"))   # getpass works without /etc/passwd
        # the sandbox imports the very grader package this process imported, whatever sys.path says
        env["PYTHONPATH"] = os.pathsep.join([str(package_dir().parent)] + (
            [env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
        safe_path = ["-P"] if sys.version_info >= (3, 11) else []     # no cwd on sys.path
        argv = [interpreter(), *safe_path, "-m", f"{__package__}.zygote", str(fd), *self.preload]
        self.boxed = False
        if self._trusted:
            return argv, env
        reason = "the grader was asked to run without it" if self._box is False else unavailable()
        if reason is not None:
            warn_once(reason)
            return argv, env
        self.boxed = True
        return command(argv, layout(self.preload, self._data, Path(root))), env

    def launch(self) -> None:
        """Start the process and return at once: its imports run while this process does other work
        (reads notebooks, imports its oracles); the first :meth:`spawn` waits for it to be ready."""
        if self._pending is not None or (self._control is not None and self._proc.poll() is None):
            return
        parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        argv, env = self._command(child.fileno())
        # a session of its own, so a kill reaches bwrap's child too (_kill); stdio is /dev/null: no terminal
        self._proc = subprocess.Popen(
            argv, pass_fds=[child.fileno()], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self.scratch_root(), start_new_session=True)
        child.close()
        self._pending = parent

    def _kill(self) -> None:
        """SIGKILL the process and its group, before it is reaped. bwrap forks the first process of the new
        pid namespace, which arms its own ``--die-with-parent`` only once it has started: killed in that
        window, bwrap would leave it waiting for bwrap forever (bubblewrap issue 633). It is in bwrap's group
        (the sandbox parent itself leaves it, ``--new-session``, and dies with it)."""
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            self._proc.kill()

    def _start(self) -> None:
        self.launch()
        parent, self._pending = self._pending, None
        parent.settimeout(self._start_timeout)
        try:
            if _readline(parent) != "ready":
                raise SandboxUnavailable("the sandbox parent process did not start")
        except (OSError, socket.timeout) as exc:
            self._kill()
            parent.close()
            raise SandboxUnavailable(f"the sandbox parent process did not start: {exc}") from exc
        self._control = parent

    def start(self) -> None:
        """Start now and wait until it is ready (imports done before the first notebook arrives); a no-op
        while it runs."""
        if self._control is None or self._proc.poll() is not None:
            self._start()

    def spawn(self, blocks=()) -> tuple[int, Connection]:
        """A new sandbox: its pid *in this process's pid namespace* (the box has its own) and its connection.
        ``blocks``: the tripwires it needs, installed once in the parent (``zygote.py``)."""
        with self._spawning:
            return self._spawn(blocks)

    def _spawn(self, blocks) -> tuple[int, Connection]:
        request = " ".join(["fork", *blocks]).encode() + b"\n"
        for attempt in range(2):
            if self._control is None or self._proc.poll() is not None:
                self._start()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            if PASSCRED:
                ours.setsockopt(socket.SOL_SOCKET, PASSCRED, 1)
            try:
                sent = socket.send_fds(self._control, [request], [theirs.fileno()])
                self._control.sendall(request[sent:])
                inner_pid = int(_readline(self._control))
                ours.settimeout(self._start_timeout)
                pid = _hello(ours) or inner_pid
                ours.settimeout(None)
            except (OSError, ValueError, socket.timeout):
                ours.close()
                self._stop()
                continue
            finally:
                theirs.close()
            if PASSCRED:
                ours.setsockopt(socket.SOL_SOCKET, PASSCRED, 0)
            return pid, Connection(ours.detach())
        raise SandboxUnavailable("could not fork a sandbox")

    def _stop(self) -> None:
        if self._pending is not None:
            self._pending.close()
            self._pending = None
            if self._proc is not None:
                self._kill()               # still importing, no sandbox forked yet: nothing to wind down
        if self._control is not None:
            self._control.close()          # the zygote exits on end of file; its sandboxes die with it
            self._control = None
        if self._proc is not None:
            try:                           # an orderly exit lets bwrap reap its own processes
                self._proc.wait(timeout=STOP_GRACE)
            except subprocess.TimeoutExpired:
                self._kill()
                self._proc.wait()
            self._proc = None

    def close(self) -> None:
        self._stop()
        if self._scratch_root is not None:
            shutil.rmtree(self._scratch_root, ignore_errors=True)
            self._scratch_root = None


PASSCRED = getattr(socket, "SO_PASSCRED", None)     # Linux: the kernel tells us who sent a message
_UCRED = struct.Struct("3i")


def _hello(sock: socket.socket) -> int | None:
    """Read the sandbox's first byte; return its pid as the kernel reports it to us (None if it cannot).

    Inside the box the sandbox has its own pid namespace, so the number the zygote sees is not the
    one this process must kill; the credentials attached to the message are translated by the kernel.
    """
    msg, ancillary, _, _ = sock.recvmsg(1, socket.CMSG_SPACE(_UCRED.size) if PASSCRED else 0)
    if msg != b"H":
        raise OSError("the sandbox did not say hello")
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == getattr(socket, "SCM_CREDENTIALS", None):
            return _UCRED.unpack(data[:_UCRED.size])[0]
    return None


def _readline(sock: socket.socket) -> str:
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data.decode().strip()


@dataclass
class Sandbox:
    """One learner namespace. Not thread-safe; use one per notebook."""

    zygote: Zygote
    blocks: tuple = ()
    imports: tuple = ()
    mem_bytes: int | None = 2 << 30
    seed: int = 0
    history: list = field(default_factory=list)   # (label, source) of cells that completed
    _pid: int | None = None
    _conn: Connection | None = None
    _scratch: str | None = None

    def _ensure(self) -> None:
        if self._conn is not None:
            return
        if self._scratch is None:
            self._scratch = tempfile.mkdtemp(prefix="scratch-", dir=self.zygote.scratch_root())
        self._pid, self._conn = self.zygote.spawn(self.blocks)
        init = {"op": "init", "cwd": self._scratch, "imports": self.imports,
                "blocks": self.blocks, "mem_bytes": self.mem_bytes, "seed": self.seed}
        reply = self._request(init, 60.0)
        if reply is None or reply[0] != "ok":
            detail = reply[-1] if reply else "no answer"
            self._kill()
            raise SandboxUnavailable(f"a new sandbox did not initialise ({detail})")
        replay, self.history = self.history, []
        for label, source, timeout in replay:
            run = self.exec_cell(label, source, timeout)
            if run.status in ("timeout", "died"):
                continue   # it completed before; if it no longer does, it is left out

    def _request(self, msg: dict, timeout: float):
        """Send one request and wait for the raw reply tree, or None on overrun/death."""
        try:
            self._conn.send_bytes(pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))
            if not self._conn.poll(timeout):
                self._kill()
                return None
            return load_plain_tree(self._conn.recv_bytes())
        except (EOFError, OSError, pickle.UnpicklingError):
            self._kill()
            return None

    def _kill(self) -> None:
        if self._pid is not None:
            try:
                os.killpg(self._pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        if self._conn is not None:
            self._conn.close()
        self._pid, self._conn = None, None

    def exec_cell(self, label: str, source: str, timeout: float) -> CellRun:
        self._ensure()
        started = time.monotonic()
        reply = self._request({"op": "exec", "label": label, "source": source, "seed": self.seed}, timeout)
        if reply is None:
            status = "timeout" if time.monotonic() - started >= timeout * 0.95 else "died"
            return CellRun(status)
        self.history.append((label, source, timeout))
        if reply[0] == "ok":
            return CellRun("ok")
        return CellRun("error", dict(reply[1]) if isinstance(reply[1], dict) else None)

    def probe(self, func, args=(), timeout: float = 10.0, blocked=(), mem_bytes=None, seed: int = 0,
              lane: str | None = None, cut_after_progress: float | None = None) -> ProbeRun:
        """Run ``func(ctx, *args)`` in a child of the sandbox. Probes of one ``lane`` may share a child,
        one after another (sandbox/children.py); without a lane, every probe gets a fresh one.
        ``cut_after_progress``: stop it that many seconds after its first progress mark."""
        self._ensure()
        msg = {"op": "probe", "func": func, "args": tuple(args), "timeout": timeout,
               "blocked": tuple(blocked), "mem_bytes": mem_bytes, "seed": seed, "lane": lane,
               "cut_after_progress": cut_after_progress}
        started = time.monotonic()
        reply = self._request(msg, timeout + REPLY_GRACE)
        seconds = time.monotonic() - started
        if reply is None:
            return ProbeRun("timeout", detail="the sandbox stopped answering", seconds=seconds)
        if not isinstance(reply, dict):
            return ProbeRun("probe_error", detail="malformed reply from the sandbox", seconds=seconds)
        progress = reply.get("progress", -1)
        if reply.get("status") == "timeout":
            return ProbeRun("timeout", progress=progress, seconds=seconds)
        if reply.get("status") == "died":
            return ProbeRun("died", progress=progress, detail=str(reply.get("detail", "")), seconds=seconds)
        try:
            inner = load_plain_tree(reply["payload"])
            kind, *rest = inner["result"]
            blocked_calls = tuple(str(b) for b in inner.get("blocked", ()))
            # what every reply of a child carries: the calls it blocked, its time and what it imported
            common = {"blocked": blocked_calls, "seconds": seconds, "cpu": float(inner.get("cpu", 0.0)),
                      "imported": int(inner.get("imported", 0))}
        except Exception as exc:  # noqa: BLE001 - anything malformed comes from a hostile sandbox
            return ProbeRun("probe_error", detail=f"unreadable probe result: {exc!r}", seconds=seconds)
        if kind == "ok":
            return ProbeRun("ok", value=revive(rest[0]), progress=progress, **common)
        if kind == "missing":
            return ProbeRun("missing", detail=str(rest[0]), **common)
        if kind == "learner_error":
            return ProbeRun("learner_error", error=rest[0], progress=progress, **common)
        return ProbeRun("probe_error", error=rest[0], detail=str(rest[1]) if len(rest) > 1 else "",
                        progress=progress, **common)

    def twin(self, timeout: float = 10.0) -> Sandbox | None:
        """A second sandbox holding this one's namespace as it is now (a fork of it, its cells not run again),
        with a copy of its scratch folder; probes of both may run at the same time, one thread each. None
        when it cannot be made (the caller grades on this one alone). If the twin dies later, it is replaced
        like any sandbox: a fresh one replays the cells."""
        self._ensure()
        scratch = tempfile.mkdtemp(prefix="scratch-", dir=self.zygote.scratch_root())
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        asked = answered = False
        try:
            shutil.copytree(self._scratch, scratch, symlinks=True, dirs_exist_ok=True)
            if PASSCRED:
                ours.setsockopt(socket.SOL_SOCKET, PASSCRED, 1)
            asked = True
            self._conn.send_bytes(pickle.dumps({"op": "twin", "cwd": scratch}))
            with socket.socket(fileno=os.dup(self._conn.fileno())) as sock:
                socket.send_fds(sock, [b"T"], [theirs.fileno()])
            theirs.close()
            if not self._conn.poll(timeout):
                raise OSError("the sandbox did not answer")
            reply = load_plain_tree(self._conn.recv_bytes())
            answered = True
            if not (isinstance(reply, tuple) and reply[:1] == ("ok",)):
                raise OSError(f"the sandbox refused: {reply!r:.200}")
            ours.settimeout(timeout)
            pid = _hello(ours) or int(reply[1])     # the kernel's word for it, when it gives one (the box)
            ours.settimeout(None)
            if PASSCRED:
                ours.setsockopt(socket.SOL_SOCKET, PASSCRED, 0)
        except (OSError, EOFError, ValueError, socket.timeout, pickle.UnpicklingError, shutil.Error):
            if asked and not answered:
                self._kill()       # it may wait for the socket or owe a reply: a fresh one replays the cells
            ours.close()
            theirs.close()
            shutil.rmtree(scratch, ignore_errors=True)
            return None
        twin = Sandbox(self.zygote, self.blocks, self.imports, self.mem_bytes, self.seed, list(self.history))
        twin._pid, twin._conn, twin._scratch = pid, Connection(ours.detach()), scratch
        return twin

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send_bytes(pickle.dumps({"op": "close"}))
            except OSError:
                pass
        self._kill()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


