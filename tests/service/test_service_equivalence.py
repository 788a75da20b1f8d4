"""Item 2 of issue 18: the server's result for some cells is the result of local `mlkata grade` for a
notebook holding the same cells (same points, statuses, messages, mistake ids)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import BANK, ROOT, _env, answers, notebook_with

from graders.service.content import reference_source


def local_grade(nb: dict, tmp_path: Path) -> dict:
    path, out = tmp_path / "02_math.ipynb", tmp_path / "local.json"
    path.write_text(json.dumps(nb), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "graders", "grade", str(path), "--json", str(out)], cwd=ROOT,
                         env=_env(), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    return json.loads(out.read_text())["notebooks"][0]


def comparable(result: dict) -> dict:
    return {k: v for k, v in result.items() if k != "path"}


def test_server_results_equal_local_grading_for_the_same_cells(service, tmp_path):
    svc, tokens = service
    cells = answers()
    nb = notebook_with(cells)
    local = local_grade(nb, tmp_path)
    assert 0 < local["points"] < local["max_points"]                 # the mix really is mixed
    assert {"logsumexp", "ridge_fit"} <= {e["id"] for e in local["exercises"] if e["mistakes"]}
    with svc.client(tokens["ada"]) as ada:
        by_cells = ada.post("/api/v1/check", json={"module": "02_math", "cells": cells}).json()
        by_notebook = ada.post("/api/v1/check", json={"module": "02_math", "notebook": nb}).json()
        one = ada.post("/api/v1/check", json={"module": "02_math", "exercise": "logsumexp", "cells": cells}).json()
    assert by_cells["status"] == by_notebook["status"] == "graded"
    assert comparable(by_cells["result"]) == comparable(local)
    assert comparable(by_notebook["result"]) == comparable(local)
    assert (by_cells["points"], by_cells["max_points"]) == (local["points"], local["max_points"])
    # one exercise: the same record as in the whole-notebook grading
    assert one["result"]["exercises"] == [e for e in local["exercises"] if e["id"] == "logsumexp"]
    # what check() shows is the inline renderer's view of that result
    assert "logsumexp" in one["view"]["text"] and one["view"]["html"].lstrip().startswith("<")


def test_the_gradebook_export_holds_each_students_best_result(service):
    svc, tokens = service
    wrong = {"softmax": (BANK / "softmax__global_max.py").read_text()}
    with svc.client(tokens["ada"]) as ada, svc.client(tokens["instructor"]) as teacher:
        assert ada.post("/api/v1/check", json={"module": "02_math", "exercise": "softmax",
                                               "cells": {"softmax": reference_source("02_math", "softmax")}}
                        ).json()["points"] == 10
        low = ada.post("/api/v1/check", json={"module": "02_math", "exercise": "softmax", "cells": wrong}).json()
        assert low["status"] == "graded" and low["points"] < 10        # a later, worse check ...
        listed = teacher.get("/api/v1/admin/submissions").json()
        csv_text = teacher.get("/api/v1/admin/export.csv").text
    assert [s["student"] for s in listed] == ["ada", "ada"]
    lines = csv_text.splitlines()
    assert lines[0] == "student,assignment,module,exercise,points,max_points,status"
    assert lines[1:] == ["ada,02_math,02_math,softmax,10,10,passed"]   # ... never lowers the grade
