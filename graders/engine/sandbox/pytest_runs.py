"""Learner-written pytest modules run in the sandbox, each run a fork of the probe instead of a new interpreter.

An exercise whose answer is a test suite (01's write_tests_for_median, 08's write_behavioral_tests) runs the
learner's tests once per implementation, each run ``python -m pytest ARGS`` in a folder of its own. A new
interpreter spent about 0.2 s of each run's 0.3 s starting, importing pytest and its plugins before it
collected a test, fourteen times a grade between the two modules. :func:`run_all` forks the probe's child
instead, where the sandbox parent imported pytest and its built-in plugins once (:data:`READY`), and the fork
does what ``python -m pytest`` would: stdin from /dev/null, stdout and stderr to a file of its own, the run's
folder as the working directory and first on ``sys.path``, pytest's argv, no ``PYTEST_*`` variables, no plugin
autoload, no bytecode written, a new interpreter's signal handlers, then ``pytest.main`` and an exit with its code.

The tests get no more than a new process would: every other descriptor the probe holds (its pipe to the
sandbox) is pointed at /dev/null before they run, and the fork is one more child of the probe, in the same box
and process group, killed when its run's time is up. What the learner's answer cell did to the process before
(the write_tests function ran in it) a learner's own test module could do too. Random and hash seeds are the
probe's, so every run of the same tests draws the same values, where new interpreters drew their own.
"""
from __future__ import annotations

import gc
import os
import signal
import sys
import tempfile
import time

# captured when the sandbox parent imports this file, before any learner cell runs
_fork, _exit, _dup2, _waitpid, _kill = os.fork, os._exit, os.dup2, os.waitpid, os.kill


def _import_pytest() -> bool:
    """pytest and the plugins every run loads, imported once here (the sandbox parent, MLKATA_SANDBOX)."""
    try:
        import importlib

        import pytest  # noqa: F401
        from _pytest.config import default_plugins, essential_plugins

        for name in (*essential_plugins, *default_plugins):
            try:
                importlib.import_module(f"_pytest.{name}")
            except ImportError:
                pass               # a plugin this pytest does not have: the run loads what it has
        return True
    except Exception:  # noqa: BLE001 - each run imports what it needs
        return False


READY = _import_pytest() if os.environ.get("MLKATA_SANDBOX") else False


def run_all(runs, timeout: float) -> list[tuple[int | None, str]]:
    """Run ``python -m pytest *args`` in each ``(folder, args)`` of ``runs``, as many at once as there are cores,
    all within ``timeout`` seconds from now: per run, in order, its exit code and what it printed, or (None, "")
    for a run still going then (killed) or not started by then. Seven forks of a big probe at once on two cores
    spent four times the CPU each that two at a time do (08's probe: 0.4 s a run against 0.1), where seven new
    interpreters at once cost what they cost alone."""
    waiting = list(enumerate(runs))
    running: dict[int, tuple[int, object]] = {}         # pid: (index, output file)
    results: list[tuple[int | None, str]] = [(None, "")] * len(runs)
    at_once = max(1, os.cpu_count() or 1)
    deadline = time.monotonic() + timeout
    pause = 0.001
    while running or (waiting and time.monotonic() < deadline):
        while waiting and len(running) < at_once and time.monotonic() < deadline:
            index, (folder, args) = waiting.pop(0)
            out = tempfile.TemporaryFile(dir=os.getcwd())  # noqa: SIM115 - closed below; outside the tests' folder
            pid = _fork()
            if pid == 0:
                _become_pytest(str(folder), list(args), out.fileno())
            running[pid] = (index, out)
            pause = 0.001
        for pid, (index, out) in list(running.items()):
            done, status = _waitpid(pid, os.WNOHANG)
            if not done and time.monotonic() < deadline:
                continue
            if not done:
                _kill(pid, signal.SIGKILL)
                _waitpid(pid, 0)
            else:
                out.seek(0)
                results[index] = (os.waitstatus_to_exitcode(status), out.read().decode("utf-8", "replace"))
            out.close()
            del running[pid]
        if running:
            time.sleep(pause)
            pause = min(pause * 2, 0.01)
    return results


def _become_pytest(folder: str, args: list[str], out_fd: int) -> None:
    """In the forked child: do what ``python -m pytest *args`` does in ``folder`` (above), then exit."""
    code = 1
    try:
        null = os.open(os.devnull, os.O_RDWR)
        _dup2(null, 0)
        _dup2(out_fd, 1)
        _dup2(out_fd, 2)
        for fd in _open_fds():
            if fd > 2 and fd != null:
                _dup2(null, fd)        # not closed: an object that closes its fd later cannot close one of pytest's
        # the run's standard streams, for as long as the run lives
        text = {"encoding": "utf-8", "errors": "backslashreplace", "closefd": False, "buffering": 1}
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", **text)  # noqa: SIM115
        sys.stderr = open(2, "w", **text)  # noqa: SIM115
        for name in [name for name in os.environ if name.startswith("PYTEST_")]:
            del os.environ[name]
        os.environ.update(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTHONDONTWRITEBYTECODE="1")
        sys.dont_write_bytecode = True
        for sig in (signal.SIGTERM, signal.SIGALRM):       # as a new interpreter has them
            signal.signal(sig, signal.SIG_DFL)
        for sig in (signal.SIGPIPE, signal.SIGXFSZ):
            signal.signal(sig, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(folder)
        sys.path.insert(0, folder)
        # the probe's objects (08's: MLflow, scikit-learn, moto) out of the collector's way: a new interpreter
        # has none, and every full collection of the run would walk them all and copy the pages it touches
        gc.freeze()
        import pytest

        sys.argv = [os.path.join(os.path.dirname(pytest.__file__), "__main__.py"), *args]
        code = pytest.main(args)
    except SystemExit as exc:           # as the interpreter exits on it
        code = 0 if exc.code is None else exc.code
        if not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 - whatever happened, this child only ever exits
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            _exit(int(code) & 0xFF if isinstance(code, int) else 1)


def _open_fds() -> list[int]:
    """The descriptors open in this process: /proc's list where there is one, else each number up to the soft
    limit (at most 4096) that fstat accepts."""
    try:
        listed = [int(name) for name in os.listdir("/proc/self/fd")]
    except (OSError, ValueError):
        import resource

        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        listed = range(4096 if soft == resource.RLIM_INFINITY else min(soft, 4096))
    found = []
    for fd in listed:
        try:
            os.fstat(fd)               # the listing's own descriptor is closed by now
            found.append(fd)
        except OSError:
            pass
    return found
