"""The zygote: imports the heavy libraries once, then forks one sandbox per notebook.

Started by the grading process as ``python -m graders.engine.sandbox.zygote FD MODULE...``
with a clean interpreter: it never sees a reference answer, so nothing a learner
finds by walking the stack or the heap of a sandbox can be an expected value.
Each request on the control socket carries one end of a fresh socket pair and the
tripwires the new sandbox needs (``blocking.py``); the zygote installs those once, in
itself, so that every later sandbox inherits them instead of patching the loaded
libraries again (a library not loaded is not imported for it: its tripwires are wired
when a learner's import loads it), then forks, and the child serves that socket (see
``server.py``). Before each fork it kills whatever earlier sandboxes left running
(:func:`kill_strays`).
"""
from __future__ import annotations

import os
import signal
import socket
import sys

from . import blocking
from .server import die_with_parent, prctl

PR_SET_CHILD_SUBREAPER = 36


def _children() -> set[int]:
    """Our child processes, read from /proc (empty where there is none)."""
    me, found = os.getpid(), set()
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if int(fields[1]) == me:
                found.add(int(entry))
    return found


def kill_strays(sandboxes: set[int]) -> None:
    """Kill what earlier sandboxes left behind before the next one starts.

    We are a child subreaper, so a learner's process that outlives its sandbox (a daemon that left
    the sandbox's session) becomes our child; any child that is not a live sandbox is one, and must
    not meet the next notebook. Killing one may orphan its own children to us: repeat.
    """
    for _ in range(50):
        children = _children()
        sandboxes &= children
        strays = children - sandboxes
        if not strays:
            return
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def read_request(control: socket.socket) -> tuple[list[str], list[int]] | None:
    """One fork request: ``fork [blocked path ...]\n`` with one file descriptor; None when closed."""
    msg, fds, _, _ = socket.recv_fds(control, 1 << 16, 1)
    if not msg or not fds:
        return None
    while not msg.endswith(b"\n"):        # a long list of tripwires may arrive in pieces
        more = control.recv(1 << 16)
        if not more:
            return None
        msg += more
    return msg.decode().split()[1:], fds


def install_tripwires(paths: list[str]) -> None:
    """Tripwires live in the zygote from the first sandbox that needs them; they stay inert until a
    probe arms them, so a sandbox of another module (a batch of several) is not affected."""
    try:
        blocking.install(paths)
    except BaseException:  # noqa: BLE001 - each sandbox installs its own again if this failed
        pass


def main(argv: list[str]) -> None:
    die_with_parent()
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    control = socket.socket(fileno=int(argv[0]))
    if sys.modules.get("rfc3987_syntax", "") is None:
        del sys.modules["rfc3987_syntax"]       # hidden by graders/__init__.py; learner code may import it
    for name in argv[1:]:
        try:
            __import__(name)
        except ImportError:
            pass  # a module the learner's notebook will not get preloaded; it can still import it
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(1)
    from multiprocessing.connection import Connection

    from . import server

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # sandboxes are reaped automatically
    control.sendall(b"ready\n")
    sandboxes: set[int] = set()
    while True:
        try:
            request = read_request(control)
        except OSError:
            os._exit(0)
        if request is None:
            os._exit(0)            # closed by the grading process: no interpreter teardown to wait for
        blocks, fds = request
        install_tripwires(blocks)
        kill_strays(sandboxes)
        pid = os.fork()
        if pid == 0:
            control.close()
            die_with_parent()
            try:
                server.serve(Connection(fds[0]))
            finally:
                os._exit(0)
        os.close(fds[0])
        sandboxes.add(pid)
        control.sendall(f"{pid}\n".encode())


if __name__ == "__main__":
    main(sys.argv[1:])
