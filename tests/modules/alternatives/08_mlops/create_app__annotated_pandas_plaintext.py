import time
from typing import Annotated

import pandas as pd
from fastapi.responses import PlainTextResponse


def create_app(model, metadata):
    feature_names = [str(n) for n in metadata["feature_names"]]
    model_version = str(metadata["model_version"])
    registry = CollectorRegistry(auto_describe=True)
    seconds = Histogram("predict_latency_seconds", "Latency of /predict in seconds", registry=registry,
                        buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0))
    predicted_rows = Counter("predictions", "Rows predicted", registry=registry)

    fields = {name: (float, Field(...)) for name in feature_names}
    Row = create_model("Row", __config__=ConfigDict(extra="forbid"), **fields)

    class PredictRequest(BaseModel):
        model_config = ConfigDict(extra="forbid")
        instances: Annotated[list[Row], Field(min_length=1, max_length=1000)]

    service = FastAPI()

    @service.get("/health")
    async def health():
        return {"status": "ok", "model_version": model_version}

    @service.post("/predict")
    async def predict(request: PredictRequest, response: Response):
        started = time.perf_counter()
        frame = pd.DataFrame([r.model_dump() for r in request.instances])[feature_names]
        values = model.predict(frame.to_numpy(dtype=np.float64)).tolist()
        seconds.observe(time.perf_counter() - started)
        predicted_rows.inc(len(frame))
        response.headers["X-Model-Version"] = model_version
        return {"predictions": [float(v) for v in values], "model_version": model_version}

    @service.get("/metrics", response_class=PlainTextResponse)
    async def metrics():
        return PlainTextResponse(generate_latest(registry).decode(), media_type=CONTENT_TYPE_LATEST)

    return service
