# mistake: not-422
# expect: 422 Unprocessable Entity
from fastapi import HTTPException


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
                         instances=(list[Instance], Field(min_length=1, max_length=1000)))

    app = FastAPI(title="model service", version=version)

    @app.get("/health")
    def health():
        return {"status": "ok", "model_version": version}

    @app.post("/predict")
    def predict(body: dict, response: Response):
        instances = body.get("instances")
        if not isinstance(instances, list) or not 1 <= len(instances) <= 1000 or any(
                not isinstance(r, dict) or sorted(r) != sorted(names) or not all(isinstance(r[n], (int, float)) for n in names)
                for r in instances):
            raise HTTPException(status_code=400, detail="invalid instances")
        with latency.time():
            X = np.array([[row[name] for name in names] for row in instances], dtype=np.float64)
            predictions = model.predict(X)           # one call for the whole batch
        rows.inc(len(X))
        response.headers["X-Model-Version"] = version
        return {"predictions": [float(p) for p in predictions], "model_version": version}

    @app.get("/metrics")
    def metrics():
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return app
