"""What each exercise took to grade, kept between grading runs (engine/timings.py): read back per module,
merged over what was kept, and never a failure where the private folder cannot be read or written."""
from __future__ import annotations

import json

from graders.engine import timings


def test_what_a_grade_took_is_read_back_for_its_module_only(home):
    assert timings.load("05_evaluation") == {}
    timings.save("05_evaluation", {"psi": 0.07, "DriftMonitor": 0.19})
    timings.save("02_math", {"softmax": 0.01})
    assert timings.load("05_evaluation") == {"psi": 0.07, "DriftMonitor": 0.19}
    assert timings.load("02_math") == {"softmax": 0.01}


def test_a_grade_of_some_exercises_updates_theirs_and_keeps_the_others(home):
    timings.save("05_evaluation", {"psi": 0.07, "DriftMonitor": 0.19})
    timings.save("05_evaluation", {"psi": 0.5})                   # check("psi") alone
    assert timings.load("05_evaluation") == {"psi": 0.5, "DriftMonitor": 0.19}


def test_a_broken_file_reads_as_nothing_kept_and_is_replaced(home):
    home.mkdir(parents=True)
    for broken in ("{not json", "[1, 2]", json.dumps({"05_evaluation": ["psi"]}),
                   json.dumps({"05_evaluation": {"psi": "slow"}})):
        (home / timings.FILE).write_text(broken)
        assert timings.load("05_evaluation") == {}
        timings.save("05_evaluation", {"psi": 0.07})
        assert timings.load("05_evaluation") == {"psi": 0.07}


def test_a_home_that_cannot_be_written_only_means_guessing_again(unwritable_home):
    timings.save("05_evaluation", {"psi": 0.07})
    assert timings.load("05_evaluation") == {}
