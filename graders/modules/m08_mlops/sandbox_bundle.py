"""Sandbox side of save_bundle / load_bundle: write bundles with the learner's code, or hand it bundles
the grading process made (plain bytes), and report what is on disk and what came back."""
from __future__ import annotations

import copy
import os
import platform
from datetime import datetime, timezone
from pathlib import Path

from .helpers import fresh_dir, message_of, outcome, sha256_file


def installed_versions() -> dict:
    import joblib
    import numpy
    import sklearn

    return {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": numpy.__version__,
            "joblib": joblib.__version__}


def save_probe(ctx, target: str, cases):
    """Per case ``(saves, subpath, X)``: call ``save_bundle(model, path, feature_names, model_version)`` for
    each of ``saves`` on the same ``path`` (a fresh directory + ``subpath``, parents not created), then
    describe the directory: its files, ``metadata.json``, the sha256 of ``model.joblib`` and the
    predictions on ``X`` of the model ``joblib.load`` reads back."""
    save = ctx.lookup(target)
    out = []
    for i, (saves, subpath, X) in enumerate(cases):
        ctx.progress(i)
        path = fresh_dir("bundle-") / subpath
        failed = None
        for model, names, version in saves:
            obs = ctx.observe(save, (copy.deepcopy(model), str(path), list(names), version))
            if "error" in obs:
                failed = obs
                break
        out.append(failed if failed is not None else {"value": ctx.plain(describe_bundle(path, X))})
    return out


def describe_bundle(path: Path, X) -> dict:
    import joblib
    import numpy as np

    seen = {"installed": installed_versions(), "now": datetime.now(timezone.utc).isoformat(),
            "is_dir": path.is_dir(), "files": []}
    if not path.is_dir():
        return seen
    seen["files"] = sorted(p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file())
    meta = path / "metadata.json"
    if meta.is_file():
        seen["metadata_text"] = meta.read_text(encoding="utf-8", errors="replace")[:100_000]
    model_file = path / "model.joblib"
    if model_file.is_file():
        seen["model_sha256"] = sha256_file(model_file)
        try:
            seen["predictions"] = np.asarray(joblib.load(model_file).predict(X), dtype=float)
        except Exception as exc:  # noqa: BLE001 - a file joblib cannot read back is the observation
            seen["load_error"] = f"{type(exc).__name__}: {message_of(exc)}"[:300]
    return seen


def load_probe(ctx, target: str, cases):
    """Per case ``(files, kwargs, planted, X)``: write ``files`` ({name: bytes}) into a fresh bundle
    directory, call ``load_bundle(path, **kwargs)``, and report the refusal, or the predictions on ``X``
    and the metadata that came back; ``planted`` names the directory a planted pickle creates when it is
    unpickled, so the report says whether it ran."""
    load = ctx.lookup(target)
    out = []
    for i, (files, kwargs, planted, X) in enumerate(cases):
        ctx.progress(i)
        path = fresh_dir("bundle-") / "bundle"
        path.mkdir()
        for name, data in files.items():
            (path / name).write_bytes(data)
        obs = ctx.observe(_load_and_use, (load, str(path), copy.deepcopy(kwargs), X, planted))
        out.append(obs)
    return out


def _load_and_use(load, path, kwargs, X, planted=None) -> dict:
    import numpy as np

    seen = outcome(load, path, **kwargs)
    if planted:                       # did unpickling the planted file run its payload?
        seen["planted_ran"] = os.path.exists(planted)
    if "returned" not in seen:
        return seen
    value = seen.pop("returned")
    try:
        model, metadata = value
    except Exception:  # noqa: BLE001 - anything that is not a pair
        seen["not_a_pair"] = type(value).__name__
        return seen
    seen["metadata"] = metadata
    try:
        seen["predictions"] = np.asarray(model.predict(X), dtype=float)
    except Exception as exc:  # noqa: BLE001
        seen["predict_error"] = f"{type(exc).__name__}: {message_of(exc)}"[:300]
    return seen
