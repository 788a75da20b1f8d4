def train_pipeline(X, y, cfg):
    client = MlflowClient(tracking_uri=cfg["tracking_uri"])
    experiment = client.get_experiment_by_name(cfg["experiment"])
    experiment_id = experiment.experiment_id if experiment else client.create_experiment(cfg["experiment"])
    run_id = client.create_run(experiment_id).info.run_id
    try:
        X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=cfg["test_size"], random_state=cfg["seed"],
                                                  stratify=y)
        for key, value in (("C", cfg["C"]), ("seed", cfg["seed"]), ("test_size", cfg["test_size"]),
                           ("n_train", X_tr.shape[0])):
            client.log_param(run_id, key, value)
        pipe = make_pipeline(StandardScaler(), LogisticRegression(C=cfg["C"], max_iter=1000)).fit(X_tr, y_tr)
        client.log_metric(run_id, "train_accuracy", pipe.score(X_tr, y_tr))
        client.log_metric(run_id, "val_accuracy", pipe.score(X_va, y_va))
        client.log_metric(run_id, "val_roc_auc", roc_auc_score(y_va, pipe.predict_proba(X_va)[:, 1]))
        folder = Path(tempfile.mkdtemp())
        joblib.dump(pipe, folder / "model.joblib")
        client.log_artifact(run_id, str(folder / "model.joblib"), "model")
        shutil.rmtree(folder)
    except BaseException:
        client.set_terminated(run_id, "FAILED")
        raise
    client.set_terminated(run_id, "FINISHED")
    return run_id
