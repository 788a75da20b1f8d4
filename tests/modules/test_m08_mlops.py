"""08_mlops graders: reference, stub, banks, and the pieces the graders rely on (the card schema shared with
the notebook, the refusal verdicts, the Dockerfile parser, Kubernetes quantities, the cost model, the stub
short-cut of the costly probes)."""
from __future__ import annotations

import ast
import math

import pytest
from banks import ModuleGraderSuite, bank, graded_in_fresh_processes, solution_notebook, written_tables

from graders.engine.paths import SOLUTIONS
from graders.engine.registry import load

MODULE = "08_mlops"
SPEC = load(MODULE)


class TestGrader(ModuleGraderSuite):
    MODULE = MODULE


SYLLABUS_CATCHES = {
    # the "catch" lists of the syllabus, each must be in the mistake bank
    "save_bundle": {"checksum-after-load", "patch-level-refused", "feature-order-ignored", "features-not-named"},
    "create_app": {"global-registry", "columns-from-key-order", "not-422", "empty-batch-accepted",
                   "oversized-batch-accepted", "counter-counts-requests", "row-by-row"},
    "train_pipeline": {"scaler-before-split", "split-not-seeded", "split-not-stratified", "metrics-on-training-rows",
                       "run-left-active"},
    "promote_if_better": {"promoted-on-tie", "duplicate-version", "higher-is-better-ignored", "compared-with-latest",
                          "min-delta-ignored", "other-aliases-touched"},
    "write_behavioral_tests": {"passes-everything", "too-few-examples", "outside-contract"},
    "make_dockerfile": {"source-before-deps", "runs-as-root", "shell-form-cmd", "unpinned-base", "apt-unpinned",
                        "pip-cache-kept"},
    "k8s_manifests": {"probes-on-pod-spec", "selector-mismatch", "service-wrong-port", "no-resource-requests",
                      "hpa-wrong-target", "round-not-ceil", "floor-not-ceil", "no-tolerance-band", "no-clamping"},
    "upload_artifacts": {"pointer-before-files", "latest-by-string-order", "no-checksum-verification",
                         "republished-version", "single-put-large-file"},
    "plan_training_cost": {"last-segment-full", "checkpoint-not-exposed", "first-order-approximation",
                           "deadline-ignored-for-spot", "zero-rate-division", "tie-not-on-demand"},
    "model_card": {"nan-not-null", "threshold-ignored", "small-slices-flagged", "gap-sign-reversed", "slices-unsorted",
                   "labels-not-strings"},
}


@pytest.mark.parametrize("exercise", sorted(SYLLABUS_CATCHES))
def test_every_syllabus_catch_is_in_the_bank(exercise):
    named = {e.mistake for e in bank(MODULE, "mistakes") if e.exercise == exercise}
    assert SYLLABUS_CATCHES[exercise] <= named, SYLLABUS_CATCHES[exercise] - named


def _setup_source() -> str:
    nb = solution_notebook(MODULE)
    return next(c.source for c in nb.cells if "setup" in c.metadata.get("tags", []))


def test_the_card_schema_is_the_notebooks():
    from graders.modules.m08_mlops.card_schema import MODEL_CARD_SCHEMA

    tree = ast.parse(_setup_source())
    assigned = [node.value for node in tree.body if isinstance(node, ast.Assign)
                and any(getattr(t, "id", "") == "MODEL_CARD_SCHEMA" for t in node.targets)]
    assert len(assigned) == 1
    assert ast.literal_eval(assigned[0]) == MODEL_CARD_SCHEMA


def test_the_reference_card_validates_and_survives_strict_json():
    import json

    import jsonschema
    import numpy as np

    from graders.modules.m08_mlops import card

    for case in card._cases():
        made = card.card_ref(*case.args, **case.kwargs)
        jsonschema.validate(json.loads(json.dumps(made, allow_nan=False)), card.MODEL_CARD_SCHEMA)
    # the cases show what they are meant to: undefined metrics, a limitation, a small slice
    made = [card.card_ref(*c.args, **c.kwargs) for c in card._cases()]
    assert any(s["recall"] is None for m in made for s in m["slices"])
    assert any(s["roc_auc"] is None for m in made for s in m["slices"])
    assert any(m["limitations"] for m in made) and any(m["insufficient_data"] for m in made)
    assert made[3]["metrics"]["precision"] == 0.0 and np.isclose(made[3]["metrics"]["recall"], 0.0)


def test_the_reference_cards_are_kept_and_warm_keeps_them(tmp_path):
    """model_card's reference card of each case is kept (card.CARD, engine/kept_values.py: scikit-learn's metrics
    per slice, for each case and each of the three facts checks, were 0.3 s of a cold grade): in fresh grading
    processes, the first grade on a machine computes and writes them, a later one and one after `mlkata warm`
    (08's warm_up) write none, and all give the same points and named mistakes."""
    from graders.modules.m08_mlops import spec

    before, written = written_tables(MODULE)
    runs = graded_in_fresh_processes(MODULE, ("model_card__gap_sign_reversed",), tmp_path, also=written,
                                     before=before, only=("model_card",))
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert runs.named == {"model_card": ["gap-sign-reversed"]}
    assert runs.also == (["08_mlops-model-card"], [], [])
    assert "reference model cards kept" in runs.warmed and SPEC.warm_up is spec.keep_oracle_outputs
    assert runs.tables(MODULE) == ["model-card"]


def test_kubernetes_quantities_compare_as_numbers():
    from graders.modules.m08_mlops.k8s_checks import quantity

    assert quantity("0.5") == quantity("500m") == quantity(0.5)
    assert quantity("1Gi") == quantity("1024Mi") and quantity("1G") != quantity("1Gi")
    assert quantity("lots") is None and quantity(True) is None


def test_the_cost_model_at_rate_zero_is_the_exposed_time():
    from graders.modules.m08_mlops.cost import plans

    found = plans(6.0, 10.0, 2.0, 0.5, 0.0, 0.5, 1.0, [2.0, 4.0])
    assert [p["expected_hours"] for p in found] == [6.0, 7.5, 7.0]
    # small rates: the exact expectation approaches the exposed time from above
    hours = plans(6.0, 10.0, 2.0, 0.5, 1e-9, 0.5, 1.0, [4.0])[1]["expected_hours"]
    assert 7.0 < hours < 7.0 + 1e-6
    assert math.isclose(plans(1.0, 9.0, 1.0, 1.0, 0.5, 0.0, 0.0, [1.0])[1]["expected_hours"], math.expm1(0.5) / 0.5)


def test_refusals_need_a_value_error_that_says_why():
    from graders.engine.spec import Case
    from graders.modules.m08_mlops.common import refusal_failure

    case = Case(label="a tampered file")
    assert refusal_failure(case, {"raised": "ValueError", "value_error": True, "message": "SHA256 differs"},
                           ("sha256",), what="x") is None
    assert refusal_failure(case, {"raised": "RuntimeError", "value_error": False, "message": "sha256"},
                           ("sha256",), what="x").mistake == "not-a-value-error"
    assert refusal_failure(case, {"raised": "ValueError", "value_error": True, "message": "no"},
                           ("sha256",), what="x").mistake == "vague-message"
    assert refusal_failure(case, {"returned": None}, ("sha256",), what="x").mistake is None


def test_the_dockerfile_parser_reads_continuations_and_exec_forms():
    from graders.modules.m08_mlops import dockerparse as dp

    text = "FROM python:3.11-slim AS base\nRUN apt-get update \\\n    && apt-get install -y x=1\n" \
           "FROM base\nCMD [\"uvicorn\", \"a:b\"]\n"
    items = dp.instructions(text)
    assert [i.keyword for i in items] == ["FROM", "RUN", "FROM", "CMD"]
    assert "apt-get install -y x=1" in items[1].rest
    assert len(dp.stages(items)) == 2
    assert dp.exec_form('["uvicorn", "a:b"]') == ["uvicorn", "a:b"] and dp.exec_form("uvicorn a:b") is None


def test_an_untouched_stub_stops_a_probe_before_its_set_up():
    from graders.engine.sandbox.probing import LearnerFailure
    from graders.modules.m08_mlops.helpers import stop_if_untouched

    def stub(client, name, run_id, metric, higher_is_better=True):
        """As released."""
        # YOUR CODE HERE
        raise NotImplementedError()

    def answer(client, name, run_id, metric):
        if client is None:
            raise NotImplementedError()
        return len(name)

    with pytest.raises(LearnerFailure) as caught:
        stop_if_untouched(stub)
    assert caught.value.info["not_implemented"]
    stop_if_untouched(lambda x: x)           # an answer: the probe goes on
    stop_if_untouched(answer)                # uses more names than NotImplementedError: goes on


STORE_CHECK = r'''
import json, os, sqlite3, sys, tempfile
from graders.modules.m08_mlops import sandbox_mlflow as sm
import mlflow

uri = sm.tracking_uri("train_pipeline")      # a copy of the parent's empty store, in this folder
fresh = os.path.join(tempfile.mkdtemp(dir="."), "migrated.db")
sm._migrate(__import__("pathlib").Path(fresh))
def shape(path):
    con = sqlite3.connect(path)
    tables = sorted(r[0] for r in con.execute("select name from sqlite_master where type='table'"))
    return tables, con.execute("select version_num from alembic_version").fetchall()
mlflow.set_tracking_uri(uri)
mlflow.set_experiment("e1")
with mlflow.start_run():
    mlflow.log_param("C", 1)
places = {e.name: e.artifact_location for e in mlflow.MlflowClient(uri).search_experiments()}
other = sm.tracking_uri("promote_if_better")  # the other exercise's store: its own copy
print(json.dumps({"made": sm.EMPTY_STORE is not None, "same": shape(uri[len("sqlite:///"):]) == shape(fresh),
                  "places": places, "cwd": os.getcwd(), "uris": [uri, other],
                  "other": [e.name for e in mlflow.MlflowClient(other).search_experiments()]}))
'''


def test_each_exercise_store_is_a_copy_of_the_parents_empty_store_made_here(tmp_path):
    """The sandbox parent migrates one empty MLflow store (1.6 s, and it imports what every probe needs) and
    keeps its bytes; an exercise's first probe copies them. The copy has the tables of a store migrated in
    place, and its Default experiment, like every new one, keeps its artifacts in this notebook's folder.
    Each exercise has its own: what train_pipeline's runs left is not in promote_if_better's store, so the
    two grade alike in either order, or at once (engine/parallel.py)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "MLKATA_SANDBOX": "1", "MLFLOW_DISABLE_TELEMETRY": "true",
           "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    run = subprocess.run([sys.executable, "-c", STORE_CHECK], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["made"] and seen["same"]
    assert set(seen["places"]) == {"Default", "e1"}
    assert all(place.startswith(seen["cwd"] + os.sep) for place in seen["places"].values()), seen
    first, other = seen["uris"]
    assert first != other and seen["other"] == ["Default"]


S3_CHECK = r'''
import json, os, sys, tempfile
from graders.engine.notebook import read_submission
from graders.engine.registry import load
from graders.engine.sandbox.plain import revive
from graders.engine.sandbox.probing import Context
from graders.modules.m08_mlops import sandbox_s3

env_after = {name: os.environ.get(name) for name in sandbox_s3.AWS_ENV}
ns = {}
sub = read_submission(sys.argv[1])
for _, source in sub.setup:
    exec(source, ns)
exec(dict(sub.answers)["upload_artifacts"], ns)
exercise = next(e for e in load("08_mlops").exercises if e.id == "upload_artifacts")


def timeless(tree):
    """The observations without the seconds each call took."""
    if isinstance(tree, dict):
        return {k: timeless(v) for k, v in tree.items() if k != "seconds"}
    return [timeless(v) for v in tree] if isinstance(tree, (list, tuple)) else tree


def observe_all():
    seen = []
    for check in exercise.checks:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:      # each probe in a child of its own, as in the sandbox
            try:
                os.chdir(tempfile.mkdtemp(dir="."))
                cases = check.materialize()
                out = check.probe(Context(ns), *check.args_for("upload_artifacts", cases))
                verdict = check.judge(cases, revive(out))     # as the grading process reads it
                os.write(w, json.dumps([None if verdict is None else verdict.message, timeless(out)],
                                       default=str, sort_keys=True).encode())
            except BaseException as exc:
                os.write(w, repr(exc).encode())
            finally:
                os._exit(0)
        os.close(w)
        data = b""
        while chunk := os.read(r, 1 << 20):
            data += chunk
        os.waitpid(pid, 0)
        seen.append(data.decode())
    return seen


made = sandbox_s3.WARM_SESSION is not None
warm = observe_all()
sandbox_s3.WARM_SESSION = None
fresh = observe_all()
print(json.dumps({"made": made, "env_after": env_after, "warm": warm, "fresh": fresh}))
'''


def test_the_parents_warm_s3_session_observes_what_a_fresh_session_in_each_probe_does(tmp_path):
    """The sandbox parent makes one boto3 session with S3's models loaded (sandbox_s3.WARM_SESSION), and the
    probes make their clients from it under mock_aws instead of a fresh session each. The reference's six
    probes observe exactly the same with it as without; it is made with the probes' AWS environment, so a
    user's AWS config (here one that would send every request to a dead port) reaches neither, and the
    environment it was made in is left as it was."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = eu-west-3\nendpoint_url = http://127.0.0.1:9\n")
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(MLKATA_SANDBOX="1", AWS_CONFIG_FILE=str(config), PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    run = subprocess.run([sys.executable, "-c", S3_CHECK, str(SOLUTIONS / "08_mlops.ipynb")], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["made"]
    assert seen["env_after"] == {name: (str(config) if name == "AWS_CONFIG_FILE" else None)
                                 for name in seen["env_after"]}
    warm = [json.loads(probe) for probe in seen["warm"]]
    assert len(warm) == 6 and [verdict for verdict, _ in warm] == [None] * 6, seen["warm"]    # all passed
    assert seen["warm"] == seen["fresh"]
