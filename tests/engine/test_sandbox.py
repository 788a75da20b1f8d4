"""The sandbox process: isolation between probes, deadlines, replay after a kill."""
from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pytest

from graders.engine.sandbox import Sandbox, Zygote
from graders.engine.sandbox.probes import call_each


@pytest.fixture(scope="module")
def zygote():
    z = Zygote(["numpy"])
    yield z
    z.close()


def call(sandbox, name, *args, timeout=5.0):
    return sandbox.probe(call_each, (name, [(args, {})]), timeout=timeout)


def test_probes_cannot_change_what_the_next_probe_sees(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "import numpy as np\nstate = [0]\ndef bump():\n    state[0] += 1\n"
                          "    np.sum = lambda *a, **k: -1\n    return state[0]\n", 5)
        first, second = call(sb, "bump"), call(sb, "bump")
        assert first.value[0]["value"] == second.value[0]["value"] == 1


def test_cells_share_a_namespace_like_a_kernel(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "def helper(x):\n    return x * 2\n", 5)
        sb.exec_cell("b", "def f(x):\n    return helper(x) + 1\n", 5)
        assert call(sb, "f", 3).value[0]["value"] == 7


def test_a_hanging_cell_is_killed_and_the_others_are_replayed(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "def f(x):\n    return x + 1\n", 5)
        started = time.monotonic()
        run = sb.exec_cell("b", "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True: pass\n", 1.0)
        assert run.status == "timeout" and time.monotonic() - started < 3
        assert call(sb, "f", 1).value[0]["value"] == 2       # cell "a" was replayed in a fresh sandbox


def test_a_hanging_probe_is_killed_and_reports_the_case(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "def f(x):\n    while x > 1:\n        pass\n    return x\n", 5)
        started = time.monotonic()
        run = sb.probe(call_each, ("f", [((1,), {}), ((2,), {})]), timeout=1.0)
        assert run.status == "timeout" and run.progress == 1
        assert time.monotonic() - started < 3
        assert call(sb, "f", 0).value[0]["value"] == 0


def test_errors_keep_only_the_learners_frames(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("answer cell 'f'", "def f(x):\n    return 1 / x\n", 5)
        obs = call(sb, "f", 0).value[0]
        assert obs["error"]["type"] == "ZeroDivisionError"
        assert obs["error"]["trace"] == ["answer cell 'f', line 2, in f -> return 1 / x"]


def test_missing_names_and_dead_children(zygote):
    with Sandbox(zygote) as sb:
        assert call(sb, "nothing").status == "missing"
        sb.exec_cell("a", "import os\ndef f():\n    os._exit(7)\n", 5)
        run = call(sb, "f")
        assert run.status == "died" and "7" in run.detail


def test_seeds_are_fixed_per_probe(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "import numpy as np\ndef draw():\n    return np.random.rand(3)\n", 5)
        assert np.array_equal(call(sb, "draw").value[0]["value"], call(sb, "draw").value[0]["value"])


def test_memory_limit_applies(zygote):
    with Sandbox(zygote, mem_bytes=200 << 20) as sb:
        sb.exec_cell("a", "import numpy as np\ndef big():\n    return np.ones(40_000_000).sum()\n"
                          "def small():\n    return np.ones(1_000_000).sum()\n", 5)
        assert call(sb, "big").value[0]["error"]["type"] == "MemoryError"
        assert call(sb, "small").value[0]["value"] == 1_000_000



def test_a_cell_run_after_probes_is_what_the_next_probe_sees(zygote):
    # the next probe's child is forked ahead of time; a cell in between must not leave it stale
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "def f():\n    return 1\n", 5)
        assert call(sb, "f").value[0]["value"] == 1
        sb.exec_cell("b", "def f():\n    return 2\n", 5)
        assert call(sb, "f").value[0]["value"] == 2


LINGERER = """
import ctypes, os, time
def start():
    if os.fork() == 0:                 # stays in the probe's process group
        ctypes.CDLL(None).prctl(15, b"mlkata-linger")
        while True:
            time.sleep(0.05)
    time.sleep(0.2)
    return 1
"""


def test_what_a_probe_started_dies_when_the_probe_returns(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", LINGERER, 5)
        assert call(sb, "start").value[0]["value"] == 1
        deadline = time.monotonic() + 5
        while _daemons("mlkata-linger") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _daemons("mlkata-linger")


SIBLINGS = """
import os
def siblings():
    parent, count = os.getppid(), 0
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                count += entry.isdigit() and int(fh.read().rsplit(")", 1)[1].split()[1]) == parent
        except OSError:
            pass
    return count
"""


def test_finished_probe_children_are_reaped_not_left_as_zombies(zygote):
    # finished children are killed and collected later, off the critical path: they must not pile up
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", SIBLINGS, 5)
        counts = [call(sb, "siblings").value[0]["value"] for _ in range(25)]
        assert max(counts[5:]) <= 4, counts


DAEMON = """
import ctypes, os, time
if os.fork() == 0:
    os.setsid()                        # leaves the sandbox's session: killing the sandbox misses it
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"mlkata-daemon")     # PR_SET_NAME: how the test finds it
        while True:
            time.sleep(0.05)
    os._exit(0)
"""


def test_processes_a_notebook_leaves_behind_are_gone_before_the_next_one_starts(zygote):
    with Sandbox(zygote) as sb:
        assert sb.exec_cell("a", DAEMON, 5).status == "ok"
        deadline = time.monotonic() + 5
        while not _daemons("mlkata-daemon") and time.monotonic() < deadline:
            time.sleep(0.05)
        left = _daemons("mlkata-daemon")
        assert left, "the daemon did not start"
    with Sandbox(zygote) as sb:
        assert sb.exec_cell("b", "x = 1\n", 5).status == "ok"
        time.sleep(0.2)
        assert not (_daemons("mlkata-daemon") & left)


def _daemons(name: str) -> set[int]:
    """The processes named ``name``, seen from here (whatever pid namespace they run in)."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            if entry.isdigit() and Path(f"/proc/{entry}/comm").read_text().strip() == name:
                found.add(int(entry))
        except OSError:
            continue
    return found


def test_a_launched_parent_is_not_waited_for_until_the_first_sandbox():
    z = Zygote(["numpy"])
    try:
        z.launch()
        first = z._proc
        z.launch()                                   # a second launch starts nothing more
        assert z._proc is first and z._control is None
        with Sandbox(z) as sb:
            sb.exec_cell("a", "def f():\n    return 3\n", 5)
            assert call(sb, "f").value[0]["value"] == 3
        assert z._proc is first                      # the launched process is the one that served
    finally:
        z.close()


COUNTER = """
import numpy as np
calls = [0]
def count():
    calls[0] += 1
    return calls[0]
def draw():
    return float(np.random.rand())
def hang():
    while True:
        pass
def crash():
    import os
    os._exit(5)
"""


def lane_call(sandbox, name, lane, timeout=5.0):
    return sandbox.probe(call_each, (name, [((), {})]), timeout=timeout, lane=lane)


def test_probes_of_one_lane_share_a_child_and_other_probes_do_not(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", COUNTER, 5)
        assert [lane_call(sb, "count", "ex1").value[0]["value"] for _ in range(3)] == [1, 2, 3]
        assert lane_call(sb, "count", "ex2").value[0]["value"] == 1      # another lane: a fresh child
        assert lane_call(sb, "count", "ex1").value[0]["value"] == 1      # ex1's child ended with ex2's start
        assert [call(sb, "count").value[0]["value"] for _ in range(2)] == [1, 1]   # no lane: fresh each time
        assert lane_call(sb, "count", "ex1").value[0]["value"] == 1
        sb.exec_cell("b", "calls = [10]\n", 5)                         # a cell ends the lane's child
        assert lane_call(sb, "count", "ex1").value[0]["value"] == 11


def test_each_request_of_a_lane_gets_its_seeds_again(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", COUNTER, 5)
        draws = [lane_call(sb, "draw", "ex1").value[0]["value"] for _ in range(3)]
        assert draws[0] == draws[1] == draws[2]


def test_a_lane_goes_on_in_a_fresh_child_after_a_timeout_or_a_crash(zygote):
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", COUNTER, 5)
        assert lane_call(sb, "count", "ex1").value[0]["value"] == 1
        assert lane_call(sb, "hang", "ex1", timeout=0.5).status == "timeout"
        assert lane_call(sb, "count", "ex1").value[0]["value"] == 1
        assert lane_call(sb, "crash", "ex1").status == "died"
        assert lane_call(sb, "count", "ex1").value[0]["value"] == 1


def test_learner_code_can_import_what_the_grader_process_hides_from_jsonschema(zygote):
    # graders/__init__.py hides rfc3987_syntax from jsonschema in the grader's process; not from learners
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "import importlib.util, sys\n"
                          "def visible():\n    return sys.modules.get('rfc3987_syntax', 1) is not None and "
                          "importlib.util.find_spec('rfc3987_syntax') is not None\n", 5)
        assert call(sb, "visible").value[0]["value"] is True


def test_a_probe_reports_the_cpu_time_it_spent_not_its_wall_time(zygote):
    """ProbeRun.cpu is the CPU time of the child and of the processes it ran: what the learner's code computed
    in the probe, as the benchmarks read it (a fork, a wait or a sleep is not the code's compute). Even a
    learner who replaces time.process_time cannot change it: the child reads the one captured at its start."""
    spin = "import time\ns = time.process_time()\nwhile time.process_time() - s < 0.25:\n    pass\n"
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "import subprocess, sys, time\ndef spin():\n    start = time.process_time()\n"
                          "    while time.process_time() - start < 0.25:\n        pass\n"
                          "    time.process_time = lambda: 0.0\n    return 1\n"
                          "def nap():\n    time.sleep(0.3)\n    return 2\n"
                          "def run():\n"
                          f"    subprocess.run([sys.executable, '-c', {spin!r}], check=True)\n    return 3\n", 5)
        busy, idle, ran = call(sb, "spin"), call(sb, "nap"), call(sb, "run", timeout=20)
    assert busy.status == idle.status == ran.status == "ok"
    assert 0.25 <= busy.cpu < busy.seconds + 0.05
    assert idle.cpu < 0.1 <= 0.3 <= idle.seconds
    assert ran.cpu >= 0.25                                  # a pytest or git run a probe makes counts too


def test_a_probe_reports_the_modules_it_had_to_import(zygote):
    """ProbeRun.imported counts what a probe's child imported that the sandbox parent had not: work every
    probe repeats (benchmarks/section_learner.py prints it per module, to keep the preload lists whole)."""
    with Sandbox(zygote) as sb:
        sb.exec_cell("a", "def fresh():\n    import colorsys, sched\n    return 1\n"
                          "def old():\n    import numpy\n    return 2\n", 5)
        fresh, old = call(sb, "fresh"), call(sb, "old")
    assert fresh.imported >= 2 and old.imported == 0
