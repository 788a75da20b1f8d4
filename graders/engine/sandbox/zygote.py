"""The zygote: imports the heavy libraries once, then forks one sandbox per notebook.

Started by the grading process as ``python -m graders.engine.sandbox.zygote FD MODULE...``
with a clean interpreter: it never sees a reference answer, so nothing a learner
finds by walking the stack or the heap of a sandbox can be an expected value.
Each request on the control socket carries one end of a fresh socket pair; the
zygote forks, and the child serves that socket (see ``server.py``).
"""
from __future__ import annotations

import os
import signal
import socket
import sys

from .server import die_with_parent


def main(argv: list[str]) -> None:
    die_with_parent()
    control = socket.socket(fileno=int(argv[0]))
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
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(control, 64, 1)
        except OSError:
            return
        if not msg or not fds:
            return
        pid = os.fork()
        if pid == 0:
            control.close()
            die_with_parent()
            try:
                server.serve(Connection(fds[0]))
            finally:
                os._exit(0)
        os.close(fds[0])
        control.sendall(f"{pid}\n".encode())


if __name__ == "__main__":
    main(sys.argv[1:])
