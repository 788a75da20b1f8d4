# mistake: empty-batch-accepted
# expect: empty list of instances
def create_app(model, metadata):
    """A FastAPI app serving `model`: GET /health, POST /predict, GET /metrics (its own registry)."""
    names = list(metadata["feature_names"])
    version = str(metadata["model_version"])
    registry = CollectorRegistry()            # per app: a second create_app must not collide
    latency = Histogram("predict_latency_seconds", "Time spent in /predict", registry=registry)
    rows = Counter("predictions", "Rows predicted", registry=registry)

    # one field per feature, all required, nothing else allowed: FastAPI answers 422 on its own
    Instance = create_model("Instance", __config__=ConfigDict(extra="forbid"),
                            **{name: (float, ...) for name in names})
    Batch = create_model("Batch", __config__=ConfigDict(extra="forbid"),
                         instances=(list[Instance], Field(max_length=1000)))

    app = FastAPI(title="model service", version=version)

    @app.get("/health")
    def health():
        return {"status": "ok", "model_version": version}

    @app.post("/predict")
    def predict(batch: Batch, response: Response):
        with latency.time():
            X = np.array([[getattr(row, name) for name in names] for row in batch.instances], dtype=np.float64)
            predictions = model.predict(X) if len(X) else []
        rows.inc(len(X))
        response.headers["X-Model-Version"] = version
        return {"predictions": [float(p) for p in predictions], "model_version": version}

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
