# mistake: split-not-stratified
# expect: stratify=y
def train_pipeline(X, y, cfg):
    """Train a scaler + logistic regression on a seeded, stratified split; log it to MLflow; the run id."""
    mlflow.set_tracking_uri(cfg["tracking_uri"])
    mlflow.set_experiment(cfg["experiment"])           # by name; created if missing
    with mlflow.start_run() as run:                    # ends FINISHED, or FAILED if the block raises
        X_train, X_val, y_train, y_val = train_test_split(
            X, y, test_size=cfg["test_size"], random_state=cfg["seed"])
        model = make_pipeline(StandardScaler(), LogisticRegression(C=cfg["C"], max_iter=1000))
        mlflow.log_params({"C": cfg["C"], "seed": cfg["seed"], "test_size": cfg["test_size"],
                           "n_train": len(X_train)})
        model.fit(X_train, y_train)                    # the scaler sees training rows only
        mlflow.log_metrics({
            "train_accuracy": accuracy_score(y_train, model.predict(X_train)),
            "val_accuracy": accuracy_score(y_val, model.predict(X_val)),
            "val_roc_auc": roc_auc_score(y_val, model.predict_proba(X_val)[:, 1]),
        })
        with tempfile.TemporaryDirectory() as tmp:
            joblib.dump(model, os.path.join(tmp, "model.joblib"))
            mlflow.log_artifact(os.path.join(tmp, "model.joblib"), artifact_path="model")
        return run.info.run_id
