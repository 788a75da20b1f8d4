# mistake: feature-order-ignored
# expect: reordered feature list
def save_bundle(model, path, feature_names, model_version):
    """Write `path/model.joblib` and `path/metadata.json` (a versioned, checksummed bundle)."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    model_file = path / "model.joblib"
    joblib.dump(model, model_file)
    names = [str(name) for name in feature_names]
    metadata = {
        "model_version": str(model_version),
        "feature_names": names,
        "schema_hash": hashlib.sha256(json.dumps(names).encode("utf-8")).hexdigest(),
        "model_sha256": hashlib.sha256(model_file.read_bytes()).hexdigest(),
        "versions": {"python": platform.python_version(), "sklearn": sklearn.__version__,
                     "numpy": np.__version__, "joblib": joblib.__version__},
        "created_at": datetime.now(timezone.utc).isoformat(),
    }
    (path / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")


def load_bundle(path, feature_names=None):
    """`(model, metadata)` from a bundle, refusing (ValueError) a tampered file before unpickling it,
    another scikit-learn/numpy major.minor, and a feature list that differs."""
    path = Path(path)
    metadata = json.loads((path / "metadata.json").read_text(encoding="utf-8"))
    model_file = path / "model.joblib"
    digest = hashlib.sha256(model_file.read_bytes()).hexdigest()
    if digest != metadata["model_sha256"]:
        raise ValueError(f"checksum mismatch: {model_file} was modified after it was saved; not unpickling it")
    installed = {"sklearn": sklearn.__version__, "numpy": np.__version__}
    for lib, version in installed.items():
        recorded = metadata["versions"][lib]
        if recorded.split(".")[:2] != version.split(".")[:2]:
            raise ValueError(f"the bundle was saved with {lib} {recorded}; {version} is installed "
                             "(major.minor must match)")
    if feature_names is not None and set(feature_names) != set(metadata["feature_names"]):
        missing = [n for n in metadata["feature_names"] if n not in feature_names]
        unexpected = [n for n in feature_names if n not in metadata["feature_names"]]
        if not missing and not unexpected:
            raise ValueError("the features are the same but in another order: "
                             f"{list(feature_names)} instead of {metadata['feature_names']}")
        raise ValueError(f"feature mismatch: missing {missing}, unexpected {unexpected}")
    return joblib.load(model_file), metadata
