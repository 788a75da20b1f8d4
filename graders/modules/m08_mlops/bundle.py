"""save_bundle / load_bundle: a versioned, checksummed model directory, refused before unpickling when
tampered with, from another scikit-learn/numpy major.minor, or with other features."""
from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from datetime import datetime, timedelta

import numpy as np

from graders.engine.judges import incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import sandbox_bundle
from .common import MODULE_ID, kind_of, per_case, refusal_failure

EX = "save_bundle"
FEATURES = ["tenure_months", "monthly_charges", "contract_type", "support_calls", "payment_delay_days"]
CHECKSUM_WORDS = ("checksum", "sha256", "hash", "corrupt", "tamper", "modified")

CHECKSUM_AFTER_LOAD = Mistake("checksum-after-load", "the planted pickle ran: you compared the checksum after "
                              "unpickling (joblib.load runs whatever the file says). Hash the file's bytes and "
                              "compare with metadata.json's model_sha256 *before* calling joblib.load")
NO_CHECKSUM = Mistake("no-checksum", "model.joblib no longer matches metadata.json's model_sha256, yet load_bundle "
                      "unpickled it and returned: verify the sha256 of the file's bytes first, and raise ValueError "
                      "on a mismatch")
PATCH_REFUSED = Mistake("patch-level-refused", "only the major.minor of scikit-learn and numpy must match: a bundle "
                        "from another patch release (or another Python or joblib version) must load")
VERSION_IGNORED = Mistake("version-not-checked", "a bundle saved with another scikit-learn or numpy major.minor must "
                          "be refused with ValueError: pickles are not portable across those releases")
ORDER_IGNORED = Mistake("feature-order-ignored", "the same features in another order were accepted: columns are "
                        "positional, so a reordered feature list must be refused (and the message must say 'order')")
NAMES_NOT_SAID = Mistake("features-not-named", "your error message must name every missing and every unexpected "
                         "feature, so that whoever calls load_bundle can fix the caller")


# ------------------------------------------------------------------ fixtures (grading process)
def installed_versions() -> dict:
    import joblib
    import sklearn

    return {"python": platform.python_version(), "sklearn": sklearn.__version__, "numpy": np.__version__,
            "joblib": joblib.__version__}


def schema_hash(names) -> str:
    return hashlib.sha256(json.dumps(list(names)).encode("utf-8")).hexdigest()


def _model(seed: int, n_features: int, forest: bool = False):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(160, n_features))
    y = (X @ rng.normal(size=n_features) + rng.normal(0, 0.5, 160) > 0).astype(int)
    model = RandomForestClassifier(n_estimators=5, max_depth=3, random_state=seed) if forest else \
        LogisticRegression(C=0.7)
    return model.fit(X, y), rng.normal(size=(12, n_features))


def model_bytes(model) -> bytes:
    import joblib

    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    return buffer.getvalue()


def bundle_files(model, names, version="3.1.4", versions=None) -> tuple[dict, dict]:
    """The files of a correct bundle (as the syllabus pins them), and its metadata."""
    data = model_bytes(model)
    metadata = {"model_version": version, "feature_names": list(names), "schema_hash": schema_hash(names),
                "model_sha256": hashlib.sha256(data).hexdigest(), "versions": versions or installed_versions(),
                "created_at": "2026-03-02T09:30:00+00:00"}
    return {"model.joblib": data, "metadata.json": json.dumps(metadata, indent=2).encode()}, metadata


class _Planted:
    """Unpickling this creates a directory: the proof that load_bundle unpickled before checking."""

    def __init__(self, name: str):
        self.name = name

    def __reduce__(self):
        return os.mkdir, (self.name,)


def _shift(version: str, part: int) -> str:
    """``version`` with its minor (part=1) or patch (part=2) number changed."""
    numbers = [int("".join(ch for ch in p if ch.isdigit()) or 0) for p in version.split(".")[:3]]
    numbers += [0] * (3 - len(numbers))
    numbers[part] = numbers[part] - 1 if numbers[part] > 0 else numbers[part] + 1
    return ".".join(str(n) for n in numbers)


# ------------------------------------------------------------------ save_bundle
def _save_cases():
    lr, X1 = _model(seed_for(MODULE_ID, EX, "save-lr"), 5)
    rf, X2 = _model(seed_for(MODULE_ID, EX, "save-rf"), 3, forest=True)
    names2 = ["age", "income", "region_code"]
    return [
        Case(([(lr, FEATURES, "1.4.2")], "registry/churn/v1", X1), {},
             "a LogisticRegression on 5 features, version '1.4.2', saved to a path whose parents do not exist",
             extra={"names": FEATURES, "version": "1.4.2", "predictions": lr.predict(X1)}),
        Case(([(rf, names2, "2026.06-rc1")], "bundle", X2), {},
             "a RandomForestClassifier on 3 features, version '2026.06-rc1'",
             extra={"names": names2, "version": "2026.06-rc1", "predictions": rf.predict(X2)}),
        Case(([(lr, FEATURES, "1.0.0"), (rf, names2, "1.1.0")], "overwrite/me", X2), {},
             "two saves to the same path (a LogisticRegression, then a RandomForestClassifier): the second must "
             "replace the first",
             extra={"names": names2, "version": "1.1.0", "predictions": rf.predict(X2)}),
    ]


def _judge_save(case: Case, seen) -> object:
    want = case.extra
    if not isinstance(seen, dict) or not seen.get("is_dir"):
        return incorrect(case, "save_bundle did not create the bundle directory: create `path` (parents too, "
                               "`Path(path).mkdir(parents=True, exist_ok=True)`)")
    if seen["files"] != ["metadata.json", "model.joblib"]:
        return incorrect(case, f"the bundle must hold exactly model.joblib and metadata.json; it holds "
                               f"{seen['files']}")
    try:
        meta = json.loads(seen["metadata_text"])
    except (ValueError, KeyError):
        return incorrect(case, "metadata.json is not valid JSON")
    if not isinstance(meta, dict):
        return incorrect(case, f"metadata.json must hold a JSON object, not {kind_of(meta)}")
    missing = [k for k in ("model_version", "feature_names", "schema_hash", "model_sha256", "versions",
                           "created_at") if k not in meta]
    if missing:
        return incorrect(case, f"metadata.json lacks the key(s) {missing}")
    if meta["model_version"] != want["version"] or not isinstance(meta["model_version"], str):
        return incorrect(case, "metadata.json's model_version must be the version you were given, as a str")
    if meta["feature_names"] != want["names"]:
        return incorrect(case, "metadata.json's feature_names must be the list you were given, in its order")
    if meta["schema_hash"] != schema_hash(want["names"]):
        return incorrect(case, "schema_hash must be sha256(json.dumps(feature_names).encode('utf-8')).hexdigest(), "
                               "with json.dumps's default separators", "wrong-schema-hash")
    if meta["model_sha256"] != seen.get("model_sha256"):
        return incorrect(case, "model_sha256 must be the sha256 hex digest of model.joblib's bytes as written on "
                               "disk (hash the file after dumping, not the model object)", "wrong-model-sha256")
    versions = meta["versions"]
    installed = seen["installed"]
    if not isinstance(versions, dict) or any(str(versions.get(k)) != installed[k]
                                             for k in ("sklearn", "numpy", "joblib")) \
            or not str(versions.get("python", "")).startswith(".".join(installed["python"].split(".")[:2])):
        return incorrect(case, "versions must be {'python', 'sklearn', 'numpy', 'joblib'}: the versions installed "
                               "when saving (platform.python_version(), sklearn.__version__, np.__version__, "
                               "joblib.__version__)", "wrong-versions")
    try:
        created = datetime.fromisoformat(str(meta["created_at"]).replace("Z", "+00:00"))
    except ValueError:
        created = None
    if created is None or created.utcoffset() is None:
        return incorrect(case, "created_at must be an ISO-8601 time with a UTC offset, e.g. "
                               "datetime.now(timezone.utc).isoformat()", "naive-created-at")
    if abs(created - datetime.fromisoformat(seen["now"])) > timedelta(hours=1):
        return incorrect(case, "created_at must be the time the bundle was saved", "naive-created-at")
    if "predictions" not in seen:
        return incorrect(case, "joblib.load could not read model.joblib back: "
                               f"{seen.get('load_error', 'the file is missing')}")
    predictions = np.asarray(seen["predictions"])
    if predictions.shape != want["predictions"].shape or not np.allclose(predictions, want["predictions"]):
        return incorrect(case, "the model read back from model.joblib does not predict like the model you were "
                               "given (an overwritten bundle must hold the new model)")
    return None


# ------------------------------------------------------------------ load_bundle
def _load_case(label, model, X, names, *, files=None, metadata=None, kwargs=None, planted=None, extra):
    if files is None:
        files, metadata = bundle_files(model, names)
    return Case((files, kwargs or {}, planted, X), {}, label,
                extra={"predictions": model.predict(X), "metadata": metadata, **extra})


def _roundtrip_cases():
    lr, X = _model(seed_for(MODULE_ID, EX, "load-lr"), 5)
    rf, X3 = _model(seed_for(MODULE_ID, EX, "load-rf"), 3, forest=True)
    return [_load_case("a correct bundle of a LogisticRegression, no feature_names", lr, X, FEATURES,
                       extra={"expect": "load"}),
            _load_case("a correct bundle of a RandomForestClassifier, feature_names equal to the bundle's", rf, X3,
                       ["age", "income", "region_code"], kwargs={"feature_names": ["age", "income", "region_code"]},
                       extra={"expect": "load"})]


def _tamper_cases():
    lr, X = _model(seed_for(MODULE_ID, EX, "tamper"), 5)
    files, metadata = bundle_files(lr, FEATURES)
    import pickle

    planted = f"planted-{seed_for(MODULE_ID, EX, 'planted') % 10**6}"
    evil = {**files, "model.joblib": pickle.dumps(_Planted(planted))}
    flipped = bytearray(files["model.joblib"])
    flipped[len(flipped) // 2] ^= 0xFF
    return [
        _load_case("model.joblib replaced by a planted pickle (its sha256 no longer matches)", lr, X, FEATURES,
                   files=evil, metadata=metadata, planted=planted, extra={"expect": "checksum"}),
        _load_case("model.joblib with one byte changed", lr, X, FEATURES, files={**files, "model.joblib":
                   bytes(flipped)}, metadata=metadata, extra={"expect": "checksum"}),
        _load_case("an untouched bundle", lr, X, FEATURES, extra={"expect": "load"}),
    ]


def _version_cases():
    lr, X = _model(seed_for(MODULE_ID, EX, "versions"), 5)
    now = installed_versions()
    cases = []
    for label, changes, expect in [  # expect: the library the refusal must name, or "load"
        ("a bundle saved with another scikit-learn minor version", {"sklearn": _shift(now["sklearn"], 1)}, "sklearn"),
        ("a bundle saved with another numpy minor version", {"numpy": _shift(now["numpy"], 1)}, "numpy"),
        ("a bundle saved with scikit-learn major version 0", {"sklearn": "0." + now["sklearn"].split(".", 1)[1]},
         "sklearn"),
        ("a bundle saved with another scikit-learn patch release", {"sklearn": _shift(now["sklearn"], 2)}, "load"),
        ("a bundle saved with another numpy patch release", {"numpy": _shift(now["numpy"], 2)}, "load"),
        ("a bundle saved with another Python and joblib", {"python": "3.10.14", "joblib": "1.3.2"}, "load"),
    ]:
        files, metadata = bundle_files(lr, FEATURES, versions={**now, **changes})
        cases.append(_load_case(label, lr, X, FEATURES, files=files, metadata=metadata,
                                extra={"expect": expect, "other_versions": True}))
    return cases


def _feature_cases():
    lr, X = _model(seed_for(MODULE_ID, EX, "features"), 5)
    f = FEATURES
    return [
        _load_case("feature_names equal to the bundle's", lr, X, f, kwargs={"feature_names": list(f)},
                   extra={"expect": "load"}),
        _load_case("feature_names without 'support_calls'", lr, X, f,
                   kwargs={"feature_names": [n for n in f if n != "support_calls"]},
                   extra={"expect": "names", "names": ["support_calls"]}),
        _load_case("feature_names with an extra 'region_code'", lr, X, f, kwargs={"feature_names": f + ["region_code"]},
                   extra={"expect": "names", "names": ["region_code"]}),
        _load_case("feature_names with 'monthly_charges' renamed to 'monthly_fee'", lr, X, f,
                   kwargs={"feature_names": [("monthly_fee" if n == "monthly_charges" else n) for n in f]},
                   extra={"expect": "names", "names": ["monthly_charges", "monthly_fee"]}),
        _load_case("the bundle's features with two of them swapped", lr, X, f,
                   kwargs={"feature_names": [f[1], f[0], *f[2:]]}, extra={"expect": "order"}),
    ]


def _judge_load(case: Case, seen) -> object:
    want = case.extra
    expect = want["expect"]
    if expect == "checksum":
        if seen.get("planted_ran"):
            if "raised" in seen:
                return incorrect(case, CHECKSUM_AFTER_LOAD.message, CHECKSUM_AFTER_LOAD.id)
            return incorrect(case, NO_CHECKSUM.message, NO_CHECKSUM.id)
        return refusal_failure(case, seen, CHECKSUM_WORDS, what="a tampered model.joblib",
                               accepted_mistake=(NO_CHECKSUM.id, NO_CHECKSUM.message))
    if expect in ("sklearn", "numpy"):
        words = ("sklearn", "scikit-learn") if expect == "sklearn" else ("numpy",)
        return refusal_failure(case, seen, words, what=f"a bundle from another {words[-1]} major.minor",
                               accepted_mistake=(VERSION_IGNORED.id, VERSION_IGNORED.message))
    if expect == "order":
        return refusal_failure(case, seen, ("order",), what="a reordered feature list",
                               accepted_mistake=(ORDER_IGNORED.id, ORDER_IGNORED.message))
    if expect == "names":
        failure = refusal_failure(case, seen, (), what="a different feature list")
        if failure is not None:
            return failure
        message = seen.get("message", "")
        unnamed = [n for n in want["names"] if n not in message]
        if unnamed:
            return incorrect(case, f"{NAMES_NOT_SAID.message}; yours leaves out {unnamed}. Your message: "
                                   f"{message!r}", NAMES_NOT_SAID.id)
        return None
    # expect == "load"
    if "raised" in seen:
        if want.get("other_versions"):
            return incorrect(case, f"{PATCH_REFUSED.message}; yours raised {seen['raised']}: {seen.get('message')}",
                             PATCH_REFUSED.id)
        return incorrect(case, f"a correct bundle must load, but your code raised {seen['raised']}: "
                               f"{seen.get('message')}")
    if "not_a_pair" in seen:
        return incorrect(case, f"load_bundle must return (model, metadata); it returned {seen['not_a_pair']}")
    if "predictions" not in seen:
        return incorrect(case, f"the model load_bundle returned cannot predict: {seen.get('predict_error')}")
    predictions = np.asarray(seen["predictions"])
    if predictions.shape != want["predictions"].shape or not np.allclose(predictions, want["predictions"]):
        return incorrect(case, "the model load_bundle returned does not predict like the model in the bundle")
    if seen.get("metadata") != want["metadata"]:
        return incorrect(case, "the metadata load_bundle returned is not the content of metadata.json (a dict, "
                               "as json.load gives it)")
    return None


def _load_check(title, points, cases, gated=False):
    return Check(title, points, cases, per_case(_judge_load), probe=sandbox_bundle.load_probe, target="load_bundle",
                 probe_args=lambda target, cases: (target, [c.args for c in cases]), timeout=20.0, gated=gated)


save_bundle = Exercise(
    EX,
    skill="model-packaging",
    cell_timeout=20.0,
    hints=(
        "A bundle is a directory: the pickled model and a JSON description of it. The description records what "
        "loading must verify: which features in which order, the file's sha256, the library versions.",
        "save: mkdir(parents=True, exist_ok=True), joblib.dump, then hash the file's bytes with hashlib.sha256 and "
        "write metadata.json. load: read metadata.json, hash model.joblib and compare *before* joblib.load; compare "
        "the major.minor of sklearn and numpy; compare the feature lists (missing, unexpected, order).",
        "`if hashlib.sha256(Path(path, 'model.joblib').read_bytes()).hexdigest() != meta['model_sha256']: raise "
        "ValueError('checksum mismatch ...')`; `recorded.split('.')[:2] != sklearn.__version__.split('.')[:2]`; "
        "missing = [n for n in meta['feature_names'] if n not in feature_names]",
    ),
    checks=(
        Check("save_bundle writes model.joblib and metadata.json as pinned", 3, _save_cases, per_case(_judge_save),
              probe=sandbox_bundle.save_probe, probe_args=lambda target, cases: (target, [c.args for c in cases]),
              timeout=20.0),
        _load_check("load_bundle returns the model and the metadata of a correct bundle", 1, _roundtrip_cases),
        _load_check("load_bundle refuses a tampered model.joblib before unpickling it", 2, _tamper_cases),
        _load_check("load_bundle refuses another sklearn/numpy major.minor, accepts patch/Python/joblib differences",
                    2, _version_cases),
        _load_check("load_bundle refuses a different feature list, naming the names (and 'order')", 2,
                    _feature_cases),
    ),
)
