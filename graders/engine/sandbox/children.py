"""Probe children: the forked processes in which every probe runs (see ``server.py``).

A fork of the sandbox costs in proportion to what it has mapped: on a 2-core virtual machine with
numpy, pandas and scikit-learn loaded, about 15 ms to fork and 25 ms for the kernel to tear the child
down, against a few milliseconds of work in a typical probe. Neither needs to sit between the grading
process and its answer:
- **a spare child** is forked right after a probe's reply has gone out, while the grading process
  judges it, and waits on a pipe for the next probe's request. It is a copy of the sandbox at a moment
  when nothing changed since the last probe (probes never touch the sandbox's own namespace); running a
  cell changes it, so a cell discards the spare first;
- **a finished child** is killed with its whole process group as soon as its result is read (what it
  started itself dies with it, as before) and reaped later, without waiting for its memory to be freed.

- **a lane**: a request may name one (the runner names the exercise, for its checks that only call a
  function on copies of their inputs). A child that answered a request of a lane stays alive and serves
  the lane's next request; another lane, a cell, a timeout or a death ends it. An exercise's checks then
  share one child, as a notebook's tests share one kernel under nbgrader, instead of a fork each.

Per request, in the child: its own process group, memory cap, seeds and tripwires, set after the request
arrives. What stays from one request of a lane to the next is only what the learner's own code kept.
"""
from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import sys
import time

from . import blocking
from .probing import Context, LearnerFailure, MissingName, error_info
from .safe_pickle import dump_raw

# captured when the sandbox starts, before learner code can replace them
_fork, _exit, _killpg, _waitpid, _setpgid = os.fork, os._exit, os.killpg, os.waitpid, os.setpgid
_monotonic, _process_time, _rusage = time.monotonic, time.process_time, resource.getrusage
_CHILDREN = resource.RUSAGE_CHILDREN


def run_child(ns: dict, msg: dict, wfd: int, prepare) -> None:
    """In the child: set the probe's limits, run it, write its result on ``wfd`` and exit."""
    prepare(msg)
    ctx = Context(ns, wfd)
    blocking.arm(msg.get("blocked", ()))
    cpu, loaded = _cpu(), _loaded()
    try:
        result = ("ok", msg["func"](ctx, *msg.get("args", ())))
    except LearnerFailure as failure:
        result = ("learner_error", failure.info)
    except MissingName as missing:
        result = ("missing", str(missing))
    except MemoryError:
        result = ("learner_error", {"type": "MemoryError", "message": "ran out of memory", "trace": [],
                                    "stage": "", "not_implemented": False})
    except BaseException as exc:  # noqa: BLE001 - a bug in our probe, or learner code called outside ctx
        result = ("probe_error", error_info(exc), repr(exc)[:500])
    calls = blocking.disarm()
    cpu = _cpu() - cpu    # what the probe computed (the learner's code and ours): threads, and processes it ran
    imported = max(0, _loaded() - loaded)    # imports the sandbox parent could have done once for every probe
    try:
        payload = dump_raw({"result": result, "blocked": calls, "cpu": cpu, "imported": imported})
    except BaseException as exc:  # noqa: BLE001
        payload = dump_raw({"result": ("probe_error", error_info(exc), "result not serialisable"), "blocked": calls})
    _write_all(wfd, b"R" + len(payload).to_bytes(8, "big") + payload)


def _cpu() -> float:
    """CPU seconds of this process (all threads) and of the processes it started and waited for (the pytest
    or git runs a probe makes), read with functions captured before learner code could replace them."""
    children = _rusage(_CHILDREN)
    return _process_time() + children.ru_utime + children.ru_stime


def _loaded() -> int:
    """How many modules are imported (0 if learner code made sys.modules unreadable)."""
    try:
        return len(sys.modules)
    except BaseException:  # noqa: BLE001
        return 0


def _serve(ns: dict, req_r: int, res_w: int, prepare) -> None:
    """In a child: answer requests until one without a lane, or until the sandbox closes the pipe."""
    while True:
        size = int.from_bytes(_read_exactly(req_r, 8), "big")
        msg = pickle.loads(_read_exactly(req_r, size))
        run_child(ns, msg, res_w, prepare)
        if msg.get("lane") is None:
            _exit(0)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _read_exactly(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            _exit(0)          # the sandbox went away before sending a request
        data += chunk
    return data


class ProbeChildren:
    """The sandbox's side: at most one spare child, and finished children waiting to be reaped."""

    def __init__(self, ns: dict, prepare, at_fork):
        self.ns, self.prepare = ns, prepare      # prepare(msg): limits, seeds, process group, in the child
        self.at_fork = at_fork                   # at_fork(): in a new child at once (die with the sandbox)
        self.spare: tuple[int, int, int] | None = None   # (pid, request fd, result fd)
        self.lane: tuple[str, int, int, int] | None = None    # (lane, pid, request fd, result fd)
        self.finished: list[int] = []

    def fork_spare(self) -> None:
        """Fork the next probe's child now, so the fork is off the next probe's critical path."""
        if self.spare is not None:
            return
        self.reap()
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        pid = _fork()
        if pid == 0:
            try:
                self.at_fork()
                os.close(req_w)
                os.close(res_r)
                if self.lane is not None:          # the lane's pipes belong to the sandbox and that child
                    os.close(self.lane[2])
                    os.close(self.lane[3])
                _setpgid(0, 0)
                _serve(self.ns, req_r, res_w, self.prepare)
            finally:
                _exit(3)
        try:
            _setpgid(pid, pid)   # also here, so a kill right after the fork reaches the child's group
        except OSError:
            pass
        os.close(req_r)
        os.close(res_w)
        self.spare = (pid, req_w, res_r)

    def discard(self) -> None:
        """The namespace is about to change (a cell runs): the spare and the lane's child hold the old one."""
        if self.spare is not None:
            self._retire(*self.spare)
            self.spare = None
        self.end_lane()

    def end_lane(self) -> None:
        if self.lane is not None:
            self._retire(*self.lane[1:])
            self.lane = None

    def forget(self) -> None:
        """In a twin of the sandbox (``server._twin``): the spare and the lane's child belong to the sandbox it
        was forked from; close the twin's copies of their pipes and leave the children alone."""
        for held in (self.spare, self.lane[1:] if self.lane is not None else None):
            if held is not None:
                os.close(held[1])
                os.close(held[2])
        self.spare, self.lane, self.finished = None, None, []

    def _retire(self, pid: int, req_w: int, res_r: int) -> None:
        os.close(req_w)
        os.close(res_r)
        self._kill(pid)
        self.finished.append(pid)

    def run(self, raw: bytes, msg: dict) -> dict:
        """Run one probe (``raw`` is its pickled request) in its lane's child or the spare; the reply."""
        lane = msg.get("lane")
        if lane is not None and self.lane is not None and self.lane[0] == lane:
            pid, req_w, rfd = self.lane[1:]
            self.lane = None
        else:
            self.end_lane()
            self.fork_spare()
            (pid, req_w, rfd), self.spare = self.spare, None
        deadline = _monotonic() + float(msg.get("timeout", 10.0))
        try:
            _write_all(req_w, len(raw).to_bytes(8, "big") + raw)
        except OSError:
            pass              # the child is gone; reading its result below says how
        progress, payload = self._collect(rfd, deadline, msg.get("cut_after_progress"))
        if payload == "timeout":
            os.close(req_w)
            os.close(rfd)
            self._kill(pid)
            self._wait(pid)
            return {"status": "timeout", "progress": progress}
        if payload is None:
            os.close(req_w)
            os.close(rfd)
            status = self._wait(pid)
            if os.WIFSIGNALED(status):
                detail = f"killed by signal {os.WTERMSIG(status)}"
            else:
                detail = f"exited with status {os.WEXITSTATUS(status)}"
            return {"status": "died", "progress": progress, "detail": detail}
        if lane is not None:
            self.lane = (lane, pid, req_w, rfd)      # it waits for the lane's next request
        else:
            self._retire(pid, req_w, rfd)   # what it started dies now; its memory is freed while we go on
        return {"status": "ok", "progress": progress, "payload": payload}

    @staticmethod
    def _collect(rfd: int, deadline: float, cut: float | None = None):
        """Progress marks and the result from the child: (last progress, payload | None | "timeout").
        With ``cut``, the first progress mark brings the deadline forward to ``cut`` seconds after it
        (a timed call whose verdict is settled once it runs that long)."""
        progress, buf = -1, b""
        while True:
            left = deadline - _monotonic()
            if left <= 0 or not select.select([rfd], [], [], left)[0]:
                return progress, "timeout"
            chunk = os.read(rfd, 1 << 20)
            if not chunk:
                return progress, None
            buf += chunk
            while buf:
                if buf[:1] == b"P" and len(buf) >= 5:
                    progress, buf = int.from_bytes(buf[1:5], "big"), buf[5:]
                    if cut is not None:
                        deadline, cut = min(deadline, _monotonic() + cut), None
                elif buf[:1] == b"R" and len(buf) >= 9:
                    size = int.from_bytes(buf[1:9], "big")
                    if len(buf) < 9 + size:
                        break
                    return progress, buf[9:9 + size]
                else:
                    break

    def reap(self) -> None:
        """Collect finished children that have exited, without waiting for the others."""
        still = []
        for pid in self.finished:
            try:
                done, _ = _waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue          # already collected (learner code may call os.wait in a cell)
            if not done:
                still.append(pid)
        self.finished = still

    @staticmethod
    def _kill(pid: int) -> None:
        try:
            _killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    @staticmethod
    def _wait(pid: int) -> int:
        try:
            return _waitpid(pid, 0)[1]
        except ChildProcessError:
            return 0
