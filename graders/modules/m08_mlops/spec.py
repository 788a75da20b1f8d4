"""The 08_mlops module: its exercises in notebook order."""
from graders.engine.spec import Module

from .bundle import save_bundle
from .serving import create_app

MODULE = Module(
    id="08_mlops",
    version="1",
    title="MLOps: bundles, serving, tracking and promotion, containers, cloud, documentation",
    skill="mlops",
    exercises=(save_bundle, create_app),
    # helpers first: it switches MLflow's telemetry off before mlflow is imported
    preload=("graders.modules.m08_mlops.helpers", "numpy", "joblib", "sklearn.linear_model", "sklearn.ensemble",
             "fastapi", "pydantic", "uvicorn", "httpx", "prometheus_client",
             "graders.modules.m08_mlops.sandbox_bundle", "graders.modules.m08_mlops.sandbox_serving"),
)
