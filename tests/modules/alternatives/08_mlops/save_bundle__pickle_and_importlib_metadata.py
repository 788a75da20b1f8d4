import hmac
import pickle
import shutil
from importlib.metadata import version as installed


class BundleError(ValueError):
    """Why a bundle cannot be loaded."""


def _major_minor(text):
    return tuple(text.split(".")[:2])


def save_bundle(model, path, feature_names, model_version):
    target = Path(path)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    with open(target / "model.joblib", "wb") as fh:
        pickle.dump(model, fh)
    names = list(map(str, feature_names))
    meta = dict(
        model_version=str(model_version),
        feature_names=names,
        schema_hash=hashlib.sha256(json.dumps(names).encode("utf-8")).hexdigest(),
        model_sha256=sha256_file(target / "model.joblib"),
        versions=dict(python=platform.python_version(), sklearn=installed("scikit-learn"),
                      numpy=installed("numpy"), joblib=installed("joblib")),
        created_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
    )
    with open(target / "metadata.json", "w", encoding="utf-8") as fh:
        json.dump(meta, fh)


def load_bundle(path, feature_names=None):
    target = Path(path)
    with open(target / "metadata.json", encoding="utf-8") as fh:
        meta = json.load(fh)
    if not hmac.compare_digest(sha256_file(target / "model.joblib"), meta["model_sha256"]):
        raise BundleError("model.joblib is corrupt or was tampered with (SHA256 differs); refusing to unpickle it")
    for lib, dist in (("sklearn", "scikit-learn"), ("numpy", "numpy")):
        if _major_minor(meta["versions"][lib]) != _major_minor(installed(dist)):
            raise BundleError(f"{dist} {meta['versions'][lib]} wrote this bundle, {installed(dist)} is installed")
    if feature_names is not None:
        want, got = meta["feature_names"], list(feature_names)
        missing = sorted(set(want) - set(got))
        unexpected = sorted(set(got) - set(want))
        if missing or unexpected:
            raise BundleError(f"features differ; missing: {', '.join(missing) or '-'}; "
                              f"unexpected: {', '.join(unexpected) or '-'}")
        if got != want:
            raise BundleError(f"same features, different ORDER: the model expects {want}")
    return joblib.load(target / "model.joblib"), meta
