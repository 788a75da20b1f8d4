"""Temporary folders named after the process that made them, so that a later one can remove them.

A grading process removes its folders at exit, but one that is killed first (SIGKILL, the out-of-memory
killer, a closed terminal's SIGHUP) leaves them in /tmp, and they can be large: a 07 grade copies a
233 MB Parquet file into its files folder, and learner code writes what it likes into its scratch. So each
folder's name carries its maker's pid, and making a new one first removes the old ones of the same prefix
whose maker is gone. Only this user's folders, only dead makers: a live grading process's folder (or one
whose pid was reused) stays until its own cleanup, or the next sweep after it.
"""
from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile


def owned_tempdir(prefix: str) -> str:
    """``tempfile.mkdtemp`` named ``<prefix><pid>-<random>``, after removing what dead makers left."""
    sweep(prefix)
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")


def sweep(prefix: str) -> None:
    """Remove this user's ``<prefix><pid>-*`` folders in the temporary directory whose pid is not running."""
    root = tempfile.gettempdir()
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[^-/]+\Z")
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        found = pattern.match(name)
        if not found or _alive(int(found.group(1))):
            continue
        path = os.path.join(root, name)
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid():
            shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:            # another user's process (EPERM): alive
        return True
    return True
