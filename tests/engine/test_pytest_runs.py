"""Learner-written pytest modules run as forks of the probe (engine/sandbox/pytest_runs.py) do what
``python -m pytest`` in a new interpreter would: exit codes, output, the folder as cwd and import root,
nothing of the probe's descriptors, no PYTEST_* settings of the caller, no bytecode written,
every run within the time given. Run in a process of their own, as the sandbox's probes do (MLKATA_SANDBOX:
pytest imported once when the module loads), not inside this test session's pytest."""
from __future__ import annotations

import json
import os
import subprocess
import sys

from graders.engine.paths import ROOT

SCRIPT = r'''
import json, os, sys, tempfile, time
from graders.engine.sandbox import pytest_runs

root = tempfile.mkdtemp()
os.chdir(root)
leak_r, leak_w = os.pipe()                     # a descriptor of "the probe's" that no test may write to
os.set_blocking(leak_r, False)
os.environ["PYTEST_ADDOPTS"] = "--collect-only"   # a caller's pytest setting: would pass every suite


def folder(name, files):
    path = os.path.join(root, name)
    os.mkdir(path)
    for file, text in {**files, "pytest.ini": "[pytest]\n"}.items():
        with open(os.path.join(path, file), "w") as fh:
            fh.write(text)
    return path


ARGS = ("-q", "-p", "no:cacheprovider")
runs = [
    folder("passing", {"helper.py": "X = 2\n", "test_a.py":
        "import os, sys\nfrom helper import X\n"
        "def test_imports_from_its_folder():\n    assert X == 2 and os.getcwd() == sys.path[0]\n"
        f"def test_probe_pipe_is_not_reachable():\n    os.write({leak_w}, b'leak')\n"
        "def test_no_pytest_settings_of_the_caller():\n    assert 'PYTEST_ADDOPTS' not in os.environ\n"}),
    folder("failing", {"test_b.py": "def test_fails():\n    assert 1 + 1 == 3, 'arithmetic'\n"}),
    folder("exits", {"test_c.py": "import os\ndef test_exits():\n    os._exit(3)\n"}),
    folder("nothing", {"test_d.py": "X = 1\n"}),
]
results = pytest_runs.run_all([(f, ARGS) for f in runs], 60)
leaked = b""
try:
    leaked = os.read(leak_r, 100)
except BlockingIOError:
    pass
written = sorted(name for f in runs for _, dirs, _ in os.walk(f) for name in dirs)

endless = folder("endless", {"test_e.py": "def test_forever():\n    while True:\n        pass\n"})
later = folder("later", {"test_f.py": "def test_ok():\n    assert True\n"})
started = time.monotonic()
timed = pytest_runs.run_all([(endless, ARGS)] * 3 + [(later, ARGS)], 2.0)
print(json.dumps({"ready": pytest_runs.READY, "results": results, "leaked": leaked.decode(),
                  "written": written, "timed": timed, "took": time.monotonic() - started}))
'''


def test_runs_behave_as_new_pytest_processes_and_end_in_time(tmp_path):
    env = {**os.environ, "MLKATA_SANDBOX": "1", "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_ADDOPTS", None)
    proc = subprocess.run([sys.executable, "-c", SCRIPT], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["ready"]                                     # pytest was imported once, before the runs
    (passed, out_a), (failed, out_b), (exited, _), (empty, _) = seen["results"]
    assert passed == 0, out_a                                # cwd, imports, no leak, no PYTEST_ADDOPTS
    assert "3 passed" in out_a
    assert failed == 1 and "FAILED test_b.py::test_fails" in out_b and "arithmetic" in out_b
    assert exited == 3                                       # os._exit in a test ends the run with its code
    assert empty == 5                                        # no test collected, as pytest says it
    assert seen["leaked"] == ""                              # the probe's pipe got nothing
    assert "__pycache__" not in seen["written"] and ".pytest_cache" not in seen["written"]
    # three endless suites and a good one, as many at once as there are cores, 2 s for all: the endless ones
    # come back as not finished (killed at 2 s, or never started), and so does the good one where it had to wait
    assert seen["timed"][:3] == [[None, ""]] * 3
    assert seen["timed"][3][0] in (None, 0)
    assert seen["took"] < 10


def test_runs_beyond_the_cores_wait_their_turn_and_finish(tmp_path):
    script = SCRIPT.split("results = pytest_runs.run_all")[0] + r'''
quick = [folder(f"quick{i}", {"test_q.py": "import time\ndef test_q():\n    time.sleep(0.3)\n"}) for i in range(5)]
out = pytest_runs.run_all([(f, ARGS) for f in quick], 60)
print(json.dumps({"codes": [code for code, _ in out]}))
'''
    env = {**os.environ, "MLKATA_SANDBOX": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.strip().splitlines()[-1])["codes"] == [0] * 5
