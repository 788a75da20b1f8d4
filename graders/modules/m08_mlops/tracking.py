"""train_pipeline: a seeded, stratified split, a scaler + logistic regression pipeline, params, metrics
and the model logged to an MLflow sqlite store; FAILED and re-raised on error. The probe reads back the
runs from the store; the reference fit here says what they must hold."""
from __future__ import annotations

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import sandbox_mlflow
from .common import MODULE_ID

EX = "train_pipeline"
METRICS = ("train_accuracy", "val_accuracy", "val_roc_auc")

LEAK = Mistake("scaler-before-split", "the scaler saw the validation rows: it was fitted before the split (or on all "
               "of X). Split first, then fit make_pipeline(StandardScaler(), LogisticRegression(...)) on the "
               "training rows only")
NOT_SEEDED = Mistake("split-not-seeded", "two runs with the same cfg logged different metrics: pass "
                     "random_state=cfg['seed'] to train_test_split")
NOT_STRATIFIED = Mistake("split-not-stratified", "the split must keep the class balance: "
                         "train_test_split(X, y, test_size=..., random_state=seed, stratify=y)")
TRAIN_METRICS = Mistake("metrics-on-training-rows", "val_accuracy and val_roc_auc must be measured on the validation "
                        "rows; yours equal the training-set scores")
LEFT_ACTIVE = Mistake("run-left-active", "after the exception a run was still active, so the next start_run nests "
                      "under it (or fails): use `with mlflow.start_run():`, which ends the run as FAILED when its "
                      "block raises")
SWALLOWED = Mistake("exception-swallowed", "train_pipeline must let the exception propagate (after ending the run "
                    "as FAILED); yours returned normally")
NOT_FAILED = Mistake("run-not-failed", "a run whose training raised must end with status FAILED (`with "
                     "mlflow.start_run():` does it, or MlflowClient.set_terminated(run_id, 'FAILED'))")


def reference_fit(X, y, cfg, *, leak=False, stratify=True, train_metrics=False):
    """Metrics, n_train and the fitted model of the pinned recipe (or of a known slip)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if leak:
        scaler = StandardScaler().fit(X)
        X = scaler.transform(X)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"],
                                              stratify=y if stratify else None)
    model = make_pipeline(StandardScaler(), LogisticRegression(C=cfg["C"], max_iter=1000))
    if leak:
        model = make_pipeline(scaler, LogisticRegression(C=cfg["C"], max_iter=1000))
        model.steps[-1][1].fit(X_tr, y_tr)
        predict = model.steps[-1][1]
    else:
        model.fit(X_tr, y_tr)
        predict = model
    if train_metrics:
        X_va, y_va = X_tr, y_tr
    metrics = {"train_accuracy": accuracy_score(y_tr, predict.predict(X_tr)),
               "val_accuracy": accuracy_score(y_va, predict.predict(X_va)),
               "val_roc_auc": roc_auc_score(y_va, predict.predict_proba(X_va)[:, 1])}
    return {"metrics": metrics, "n_train": len(X_tr), "model": model}


def _data(seed, n, weights):
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=n, n_features=6, n_informative=4, n_redundant=1, weights=weights,
                               class_sep=0.8, flip_y=0.05, random_state=seed)
    X[:, 0] = X[:, 0] * 40 + 100          # features on different scales: the scaler matters
    return X, y


def _case(tag, cfg, precreate, label, n=240, weights=(0.7, 0.3)):
    seed = seed_for(MODULE_ID, EX, tag)
    X, y = _data(seed, n, list(weights))
    X_probe = np.random.default_rng(seed).normal(size=(25, 6)) * X.std(axis=0) + X.mean(axis=0)
    return Case((X, y, cfg, precreate, X_probe), {}, label, extra={"cfg": cfg, "tag": tag})


CFG_A = {"experiment": "churn-baseline", "seed": 7, "C": 0.3, "test_size": 0.25}
CFG_B = {"experiment": "churn-tuned", "seed": 11, "C": 2.5, "test_size": 0.3}


def _run_cases():
    return [_case("a", CFG_A, True, "cfg seed=7, C=0.3, test_size=0.25, an experiment the grader created"),
            _case("b", CFG_B, False, "cfg seed=11, C=2.5, test_size=0.3, an experiment that does not exist yet",
                  n=200, weights=(0.6, 0.4))]


def _metric_cases():
    a = _run_cases()[0]
    again = Case(a.args, {}, "the same cfg a second time (seed=7, C=0.3, test_size=0.25)", extra=a.extra)
    return [a, again, _run_cases()[1]]


def _failure_cases():
    cfg = {"experiment": "churn-broken", "seed": 3, "C": -1.0, "test_size": 0.25}
    return [_case("broken", cfg, True, "cfg with C=-1 (LogisticRegression refuses it when fitting)")]


def _the_run(case, obs):
    """(the one run the call logged, None) or (None, the failure)."""
    name = case.extra["cfg"]["experiment"]
    runs = obs.get("runs", [])
    if not runs:
        other = obs.get("returned_run")
        if other is not None:
            return None, incorrect(case, f"the run went to the experiment {other['experiment']!r}: use the experiment "
                                         "named cfg['experiment'] (mlflow.set_experiment(cfg['experiment']))")
        return None, incorrect(case, "no run was logged in the experiment named cfg['experiment'] of the store "
                                     "cfg['tracking_uri']")
    if len(runs) > 1:
        return None, incorrect(case, f"one call must log one run; {len(runs)} runs appeared in {name!r}")
    return runs[0], None


def _judge_runs(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        run, failure = _the_run(case, obs)
        if failure:
            return failure
        if obs.get("value") != run["run_id"] or not isinstance(obs.get("value"), str):
            return incorrect(case, "train_pipeline must return the run id (a str: run.info.run_id)")
        if run["status"] != "FINISHED":
            return incorrect(case, f"the run ended with status {run['status']}; a run that completed must be "
                                   "FINISHED (end it: leave the `with mlflow.start_run():` block)")
        if obs.get("active_after"):
            return incorrect(case, LEFT_ACTIVE.message, LEFT_ACTIVE.id)
        cfg = case.extra["cfg"]
        ref = reference_fit(case.args[0], case.args[1], cfg)
        want = {"C": str(cfg["C"]), "seed": str(cfg["seed"]), "test_size": str(cfg["test_size"]),
                "n_train": str(ref["n_train"])}
        params = run["params"]
        missing = sorted(k for k in want if k not in params)
        if missing:
            return incorrect(case, f"the run lacks the param(s) {missing}: log C, seed, test_size and n_train")
        wrong = sorted(k for k in want if params[k] != want[k])
        if wrong == ["n_train"]:
            return incorrect(case, "n_train must be the number of training rows (after the split)", "wrong-n-train")
        if wrong:
            return incorrect(case, f"the param(s) {wrong} are not the cfg's values as str(value) (log the values "
                                   "themselves: mlflow.log_params({'C': cfg['C'], ...}))")
    return None


def _close(got: dict, want: dict) -> bool:
    return all(k in got and np.isclose(got[k], want[k], rtol=1e-6, atol=1e-9) for k in want)


def _judge_metrics(cases, observations):
    # the same cfg twice must log the same metrics: judged first, since an unseeded split also misses the
    # reference metrics, and "not the pinned recipe" would hide the reason
    same_cfg = [obs["runs"][0]["metrics"] for case, obs in zip(cases, observations)
                if case.extra["tag"] == "a" and "error" not in obs and len(obs.get("runs", [])) == 1]
    if len(same_cfg) == 2 and set(METRICS) <= set(same_cfg[0]) and set(METRICS) <= set(same_cfg[1]) \
            and not _close(same_cfg[1], same_cfg[0]):
        return incorrect(cases[1], NOT_SEEDED.message, NOT_SEEDED.id)
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        run, failure = _the_run(case, obs)
        if failure:
            return failure
        got = run["metrics"]
        missing = [m for m in METRICS if m not in got]
        if missing:
            return incorrect(case, f"the run lacks the metric(s) {missing}")
        X, y, cfg = case.args[0], case.args[1], case.extra["cfg"]
        ref = reference_fit(X, y, cfg)
        if not _close(got, ref["metrics"]):
            for mistake, kwargs in ((LEAK, {"leak": True}), (NOT_STRATIFIED, {"stratify": False}),
                                    (TRAIN_METRICS, {"train_metrics": True})):
                if _close(got, reference_fit(X, y, cfg, **kwargs)["metrics"]):
                    return incorrect(case, mistake.message, mistake.id)
            return incorrect(case, "the logged metrics are not those of the pinned recipe: train_test_split(X, y, "
                                   "test_size, random_state=seed, stratify=y), make_pipeline(StandardScaler(), "
                                   "LogisticRegression(C=C, max_iter=1000)) fitted on the training rows, accuracy on "
                                   "each set and ROC AUC of predict_proba[:, 1] on the validation rows")
        if "model/model.joblib" not in run.get("artifacts", []):
            return incorrect(case, "the run has no artifact model/model.joblib: joblib.dump the fitted pipeline to a "
                                   "file named model.joblib and mlflow.log_artifact(file, artifact_path='model')")
        if "proba" not in run:
            return incorrect(case, f"model/model.joblib cannot predict_proba: {run.get('model_error', '')}")
        X_probe = case.args[4]
        want = ref["model"].predict_proba(X_probe)[:, 1]
        proba = np.asarray(run["proba"], dtype=float)
        if proba.shape != want.shape or not np.allclose(proba, want, rtol=1e-6, atol=1e-6):
            leaky = reference_fit(X, y, cfg, leak=True)["model"].predict_proba(X_probe)[:, 1]
            if proba.shape == leaky.shape and np.allclose(proba, leaky, rtol=1e-6, atol=1e-6):
                return incorrect(case, LEAK.message, LEAK.id)
            return incorrect(case, "model/model.joblib is not the fitted pipeline (scaler + logistic regression "
                                   "fitted on the training rows): its predict_proba differs on new rows")
    return None


def _judge_failure(cases, observations):
    case, obs = cases[0], observations[0]
    if obs.get("active_after"):
        return incorrect(case, LEFT_ACTIVE.message, LEFT_ACTIVE.id)
    if "error" not in obs:
        return incorrect(case, SWALLOWED.message, SWALLOWED.id)
    if obs["error"].get("not_implemented"):
        return error_failure(case, obs["error"])
    runs = obs.get("runs", [])
    if len(runs) != 1:
        return incorrect(case, f"the call must start one run before fitting, and that run must end FAILED; "
                               f"{len(runs)} run(s) appeared in the experiment")
    if runs[0]["status"] != "FAILED":
        return incorrect(case, f"{NOT_FAILED.message}; it ended {runs[0]['status']}", NOT_FAILED.id)
    return None


def _check(title, points, cases, judge, timeout=60.0):
    return Check(title, points, cases, judge, probe=sandbox_mlflow.train_probe,
                 probe_args=lambda target, cases: (target, [c.args for c in cases]), timeout=timeout)


train_pipeline = Exercise(
    EX,
    skill="experiment-tracking",
    cell_timeout=20.0,
    hints=(
        "Everything that decides the result goes into the run: the params, the metrics measured on rows the "
        "model never saw, and the fitted pipeline itself. `with mlflow.start_run():` ends the run FINISHED, or "
        "FAILED when its block raises, and never leaves it active.",
        "mlflow.set_tracking_uri(cfg['tracking_uri']); mlflow.set_experiment(cfg['experiment']); inside the run: "
        "split with train_test_split(..., random_state=seed, stratify=y), fit the pipeline on the training rows, "
        "log_params, log_metrics, then joblib.dump the pipeline and log_artifact(path, artifact_path='model').",
        "`with mlflow.start_run() as run: ...; mlflow.log_metrics({'train_accuracy': ..., 'val_accuracy': ..., "
        "'val_roc_auc': roc_auc_score(y_val, model.predict_proba(X_val)[:, 1])}); return run.info.run_id`",
    ),
    checks=(
        _check("returns the id of a FINISHED run in the named experiment, params C, seed, test_size, n_train", 2,
               _run_cases, _judge_runs),
        _check("metrics and model/model.joblib of a seeded, stratified split, the scaler fitted on training rows "
               "only", 4, _metric_cases, _judge_metrics, timeout=90.0),
        _check("on an error (C=-1) the run ends FAILED, the exception propagates, no run stays active", 2,
               _failure_cases, _judge_failure),
    ),
)
