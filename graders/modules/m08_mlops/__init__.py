"""08_mlops: model bundles, a served model over HTTP, MLflow tracking and promotion, Dockerfiles and manifests, S3 artifacts, training cost, model cards."""
