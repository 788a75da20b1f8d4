"""Sandbox side of train_pipeline and promote_if_better: one MLflow tracking and registry store per exercise
of a notebook (a sqlite database and a file artifact root in the scratch directory), runs and registered
models made for the learner's code, and what the store holds afterwards, as plain data. Each exercise has a
store of its own, so what one exercise's code left there never meets the other's, whichever is graded first
(the two may be graded at once, each on its own twin of the sandbox: engine/parallel.py).

Creating the database runs MLflow's migrations (1.6 s), so the sandbox parent runs them once, when it imports
this file, and keeps the empty database's bytes (:data:`EMPTY_STORE`); the first probe of an exercise that needs
a store writes those bytes under a temporary name and renames it; later probes of the same exercise reuse it.
"""
from __future__ import annotations

import copy
import os
import sqlite3
import tempfile
from pathlib import Path

from .helpers import fresh_dir, message_of, stop_if_untouched

STORE = "mlflow-store"


def store_root(exercise: str) -> Path:
    return Path.cwd() / STORE / exercise


def _migrate(db: Path) -> None:
    """Create an empty store at ``db``: MLflow's migrations of the tracking and the registry tables."""
    from mlflow import MlflowClient

    uri = f"sqlite:///{db}"
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    client.search_experiments()
    client.search_registered_models()


def _empty_store() -> tuple[bytes, str] | None:
    """An empty store's database and the folder it was made in (its Default experiment's artifacts are
    under that folder's ``mlruns``), or None if MLflow cannot make one here."""
    try:
        with tempfile.TemporaryDirectory(prefix="mlflow-empty-") as folder:
            here = os.getcwd()
            os.chdir(folder)
            try:
                _migrate(Path(folder) / "mlflow.db")
            finally:
                os.chdir(here)
            return (Path(folder) / "mlflow.db").read_bytes(), folder
    except Exception:  # noqa: BLE001 - each notebook's first probe migrates its own store instead
        return None


# Made once in the sandbox parent, which imports this file before it forks any sandbox (MLKATA_SANDBOX is set
# there only): every notebook's store starts as a copy of these bytes instead of migrating again. Held in
# memory, never in a shared file, so nothing one notebook's code does can reach another notebook's store.
EMPTY_STORE = _empty_store() if os.environ.get("MLKATA_SANDBOX") else None


def tracking_uri(exercise: str) -> str:
    """``sqlite:///<scratch>/mlflow-store/<exercise>/mlflow.db``, created on first use."""
    root = store_root(exercise)
    db = root / "mlflow.db"
    if not db.exists():
        root.mkdir(parents=True, exist_ok=True)
        building = root / f"building-{os.getpid()}.db"
        if EMPTY_STORE is None:
            _migrate(building)
        else:
            data, made_in = EMPTY_STORE
            building.write_bytes(data)
            with sqlite3.connect(building) as con:   # the Default experiment, as if migrated in this folder
                con.execute("UPDATE experiments SET artifact_location = ? || substr(artifact_location, ?) "
                            "WHERE experiment_id = 0 AND substr(artifact_location, 1, ?) = ?",
                            (os.getcwd(), len(made_in) + 1, len(made_in), made_in))
            con.close()
        os.replace(building, db)               # all or nothing: a probe killed half-way leaves no broken store
    return f"sqlite:///{db}"


def experiment_id(client, name: str, exercise: str) -> str:
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    return client.create_experiment(name, artifact_location=(store_root(exercise) / "artifacts" / name).as_uri())


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
    uri = tracking_uri(target)
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    out = []
    for i, (X, y, cfg, precreate, X_probe) in enumerate(cases):
        ctx.progress(i)
        cfg = {**copy.deepcopy(cfg), "tracking_uri": uri}
        if precreate:
            experiment_id(client, cfg["experiment"], target)
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
    uri = tracking_uri(target)
    client = MlflowClient(tracking_uri=uri, registry_uri=uri)
    exp = experiment_id(client, "promotion-candidates", target)
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
