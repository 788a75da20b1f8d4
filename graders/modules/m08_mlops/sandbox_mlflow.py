"""Sandbox side of train_pipeline and promote_if_better: one MLflow tracking and registry store per module
run (a sqlite database and a file artifact root in the scratch directory), runs and registered models
made for the learner's code, and what the store holds afterwards, as plain data.

Creating the database runs MLflow's migrations (seconds), so the first probe that needs it creates it under
a temporary name and renames it; later probes of the same notebook reuse it.
"""
from __future__ import annotations

import copy
import os
from pathlib import Path

from .helpers import fresh_dir, message_of, stop_if_untouched

STORE = "mlflow-store"


def store_root() -> Path:
    return Path.cwd() / STORE


def tracking_uri() -> str:
    """``sqlite:///<scratch>/mlflow-store/mlflow.db``, created on first use."""
    from mlflow import MlflowClient

    root = store_root()
    db = root / "mlflow.db"
    if not db.exists():
        root.mkdir(exist_ok=True)
        building = root / f"building-{os.getpid()}.db"
        uri = f"sqlite:///{building}"
        client = MlflowClient(tracking_uri=uri, registry_uri=uri)
        client.search_experiments()            # runs the migrations of the tracking tables
        client.search_registered_models()      # and of the registry's
        os.replace(building, db)               # all or nothing: a probe killed half-way leaves no broken store
    return f"sqlite:///{db}"


def experiment_id(client, name: str) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    return client.create_experiment(name, artifact_location=(store_root() / "artifacts" / name).as_uri())


def _run_ids(client, name: str) -> list[str]:
    exp = client.get_experiment_by_name(name)
    if exp is None:
        return []
    return [r.info.run_id for r in client.search_runs([exp.experiment_id], max_results=1000)]


def _artifacts(client, run_id: str, path: str | None = None, depth: int = 0) -> list[str]:
    found = []
    for info in client.list_artifacts(run_id, path):
        if info.is_dir and depth < 3:
            found += _artifacts(client, run_id, info.path, depth + 1)
        else:
            found.append(info.path)
        if len(found) > 50:
            break
    return found


def describe_run(client, run_id: str, X_probe) -> dict:
    import joblib
    import numpy as np

    run = client.get_run(run_id)
    seen = {"run_id": run_id, "status": run.info.status, "params": dict(run.data.params),
            "metrics": dict(run.data.metrics), "parent": run.data.tags.get("mlflow.parentRunId"),
            "experiment": client.get_experiment(run.info.experiment_id).name}
    try:
        seen["artifacts"] = _artifacts(client, run_id)
    except Exception as exc:  # noqa: BLE001
        seen["artifacts"] = []
        seen["artifact_error"] = message_of(exc)[:300]
    if "model/model.joblib" in seen["artifacts"]:
        try:
            local = client.download_artifacts(run_id, "model/model.joblib", str(fresh_dir("artifact-")))
            seen["proba"] = np.asarray(joblib.load(local).predict_proba(X_probe)[:, 1], dtype=float)
        except Exception as exc:  # noqa: BLE001 - an artifact that is not a fitted classifier
            seen["model_error"] = f"{type(exc).__name__}: {message_of(exc)}"[:300]
    return seen


def train_probe(ctx, target: str, cases):
    """Per case ``(X, y, cfg, precreate, X_probe)``: make the experiment (unless the learner must), call
    ``train_pipeline(X, y, cfg)``, and describe the runs it added, whether a run is still active, and the
    run whose id it returned."""
    import mlflow
    from mlflow import MlflowClient

    train = ctx.lookup(target)
    stop_if_untouched(train)
    uri = tracking_uri()
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    out = []
    for i, (X, y, cfg, precreate, X_probe) in enumerate(cases):
        ctx.progress(i)
        cfg = {**copy.deepcopy(cfg), "tracking_uri": uri}
        if precreate:
            experiment_id(client, cfg["experiment"])
        before = set(_run_ids(client, cfg["experiment"]))
        obs = ctx.observe(train, (X.copy(), y.copy(), cfg))
        active = mlflow.active_run()
        obs["active_after"] = active is not None
        if active is not None:
            mlflow.end_run()          # the next case starts clean: each case is judged on its own
        new = [rid for rid in _run_ids(client, cfg["experiment"]) if rid not in before]
        obs["runs"] = ctx.plain([describe_run(client, rid, X_probe) for rid in new])
        returned = obs.get("value")
        if isinstance(returned, str) and returned not in new:
            try:
                obs["returned_run"] = ctx.plain(describe_run(client, returned, X_probe))
            except Exception:  # noqa: BLE001 - not a run id at all
                pass
        out.append(obs)                # observe's "value" is plain already; the runs were made plain above
    return out


# ------------------------------------------------------------------ promote_if_better
def registry_state(client, name: str, labels: dict) -> dict:
    """The registered model's versions (version -> run label) and aliases (alias -> version), as str."""
    from mlflow.exceptions import MlflowException

    try:
        model = client.get_registered_model(name)
    except MlflowException:
        return {"exists": False, "versions": {}, "aliases": {}}
    versions = {str(v.version): labels.get(v.run_id, "another run")
                for v in client.search_model_versions(f"name='{name}'", max_results=1000)}
    return {"exists": True, "versions": versions, "aliases": {a: str(v) for a, v in dict(model.aliases).items()}}


def promote_probe(ctx, target: str, scenarios):
    """Per scenario ``{"name", "metric", "runs": {label: value}, "setup": [...], "calls": [(label, kwargs)]}``:
    log one run per label with its metric, apply the setup (``("register", label)``, ``("alias", alias,
    label)``), then call ``promote_if_better(client, name, run_id, metric, **kwargs)`` per call and record
    what it returned and the registry's state after it."""
    from mlflow import MlflowClient

    promote = ctx.lookup(target)
    stop_if_untouched(promote)
    uri = tracking_uri()
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exp = experiment_id(client, "promotion-candidates")
    out = []
    for i, sc in enumerate(scenarios):
        ctx.progress(i)
        run_of, labels = {}, {}
        for label, value in sc["runs"].items():
            run = client.create_run(exp, run_name=f"{sc['name']}-{label}")
            client.log_metric(run.info.run_id, sc["metric"], value)
            client.set_terminated(run.info.run_id)
            run_of[label], labels[run.info.run_id] = run.info.run_id, label
        for step in sc.get("setup", ()):
            if step[0] == "register":
                if not registry_state(client, sc["name"], labels)["exists"]:
                    client.create_registered_model(sc["name"])
                client.create_model_version(sc["name"], source=f"runs:/{run_of[step[1]]}/model",
                                            run_id=run_of[step[1]])
            else:
                version = [v for v, lab in registry_state(client, sc["name"], labels)["versions"].items()
                           if lab == step[2]][0]
                client.set_registered_model_alias(sc["name"], step[1], version)
        calls = []
        for label, kwargs in sc["calls"]:
            obs = ctx.observe(promote, (client, sc["name"], run_of[label], sc["metric"]), copy.deepcopy(kwargs))
            obs["state"] = registry_state(client, sc["name"], labels)
            calls.append(obs)
            if "error" in obs:
                break
        out.append({"value": calls})   # observations are plain already, the states are builtins
    return out
