"""Folders a killed grading process leaves in /tmp are removed by the next one (engine/sandbox/tempdirs.py)."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from graders.engine.paths import ROOT
from graders.engine.sandbox.tempdirs import owned_tempdir


def _prefix() -> str:
    return f"mlkata-test-{uuid.uuid4().hex[:8]}-"      # this test's own folders only


def _killed_maker(code: str) -> Path:
    """Run ``code`` (which prints a folder's path) in a process that is then killed with SIGKILL: no exit
    handler of its runs. Returns the folder it made, with a file in it."""
    script = f"{code}\nimport os, signal, sys\nprint(folder, flush=True)\n" \
             "open(os.path.join(folder, 'big.bin'), 'wb').write(b'x' * 1000)\nos.kill(os.getpid(), signal.SIGKILL)\n"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    folder = Path(proc.stdout.strip())
    assert (folder / "big.bin").exists()
    return folder


def test_a_killed_makers_folder_is_removed_by_the_next_and_a_live_ones_is_kept():
    prefix = _prefix()
    dead = _killed_maker(f"from graders.engine.sandbox.tempdirs import owned_tempdir\nfolder = owned_tempdir({prefix!r})")
    assert dead.name.startswith(prefix) and dead.name[len(prefix):].split("-")[0].isdigit()    # <prefix><pid>-
    live = subprocess.Popen([sys.executable, "-c", "from graders.engine.sandbox.tempdirs import owned_tempdir\n"
                             f"print(owned_tempdir({prefix!r}), flush=True)\nimport time\ntime.sleep(60)"],
                            stdout=subprocess.PIPE, text=True, cwd=ROOT)
    other = Path(tempfile.mkdtemp(prefix=f"{prefix}not-a-pid-"))          # not named by a pid: never ours
    try:
        live_folder = Path(live.stdout.readline().strip())
        mine = Path(owned_tempdir(prefix))
        assert not dead.exists()                   # its maker was killed: removed
        assert live_folder.is_dir()                # its maker runs: kept
        assert other.is_dir()
        assert mine.is_dir() and mine.name.startswith(f"{prefix}{os.getpid()}-")
        assert Path(owned_tempdir(prefix)).is_dir() and mine.is_dir()   # our own live folder is kept too
    finally:
        live.kill()
        live.wait()
    owned_tempdir(prefix)                          # the sweep after the live maker died
    assert not live_folder.exists() and other.is_dir()
    for folder in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        shutil.rmtree(folder, ignore_errors=True)


def test_the_grading_processs_files_folder_is_swept_after_a_kill():
    """The folder that holds a grade's generated inputs (07 copies a 233 MB Parquet file there)."""
    dead = _killed_maker("from graders.engine.paths import grader_files\nfolder = str(grader_files())")
    subprocess.run([sys.executable, "-c", "from graders.engine.paths import grader_files\ngrader_files()"],
                   cwd=ROOT, check=True)
    assert not dead.exists()


def test_threads_asking_at_once_share_one_grader_files_folder_and_it_goes_at_exit():
    """A class's workers ask for it at the same moment (graders/instructor/batch.py). Without the lock, eight
    threads made eight folders, used one and left seven in /tmp after every grade-batch."""
    script = ("import os, tempfile, threading\nfrom graders.engine.paths import grader_files\n"
              "go, seen = threading.Barrier(8), []\n"
              "def ask():\n    go.wait()\n    seen.append(str(grader_files()))\n"
              "threads = [threading.Thread(target=ask) for _ in range(8)]\n"
              "for t in threads: t.start()\nfor t in threads: t.join()\n"
              "mine = f'mlkata-grader-files-{os.getpid()}-'\n"
              "made = [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(mine)]\n"
              "print(os.getpid(), len(set(seen)), len(made))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    pid, used, made = done.stdout.split()
    assert (used, made) == ("1", "1")
    assert not list(Path(tempfile.gettempdir()).glob(f"mlkata-grader-files-{pid}-*"))     # removed at exit


def test_a_zygotes_scratch_root_is_swept_after_a_kill():
    """Where learner code writes, inside the box: whatever it wrote goes with the folder."""
    dead = _killed_maker("from graders.engine.sandbox.client import Zygote\nfolder = Zygote(()).scratch_root()")
    subprocess.run([sys.executable, "-c", "from graders.engine.sandbox.client import Zygote\n"
                    "z = Zygote(())\nz.scratch_root()\nz.close()"], cwd=ROOT, check=True)
    assert not dead.exists()
