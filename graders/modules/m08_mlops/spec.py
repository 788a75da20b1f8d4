"""The 08_mlops module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from .behavioral import write_behavioral_tests
from .bundle import save_bundle
from .card import model_card
from .cost import plan_training_cost
from .dockerfile import make_dockerfile
from .k8s import k8s_manifests
from .promotion import promote_if_better
from .s3 import upload_artifacts
from .serving import create_app
from .tracking import train_pipeline


def keep_oracle_outputs() -> str:
    """Compute the reference model cards once per machine (``mlkata warm``): a grade then computes no
    scikit-learn metrics for a right card."""
    return f"{keep_outputs(MODULE)} reference model cards kept"


MODULE = Module(
    id="08_mlops",
    version="1",
    title="MLOps: bundles, serving, tracking and promotion, containers, cloud, documentation",
    skill="mlops",
    exercises=(save_bundle, create_app, train_pipeline, promote_if_better,
               write_behavioral_tests, make_dockerfile, k8s_manifests,
               upload_artifacts, plan_training_cost, model_card),
    shared_child=True,        # function-call checks of one exercise share one sandbox child (runner._lane)
    # two exercises at a time (engine/parallel.py): servers bind port 0 in their own probe, each exercise has
    # its own MLflow store, and create_app, whose latency budget is timed in its probe, is graded alone
    parallel_exercises=True,
    # helpers first: it switches MLflow's telemetry off before mlflow is imported
    preload=("graders.modules.m08_mlops.helpers", "numpy", "joblib", "sklearn.linear_model", "sklearn.ensemble",
             "sklearn.pipeline", "sklearn.preprocessing", "sklearn.model_selection", "sklearn.metrics",
             "fastapi", "pydantic", "uvicorn", "httpx", "prometheus_client", "mlflow", "mlflow.tracking",
             "graders.modules.m08_mlops.sandbox_bundle", "graders.modules.m08_mlops.sandbox_serving",
             "graders.modules.m08_mlops.sandbox_mlflow", "graders.modules.m08_mlops.sandbox_behavioral",
             "boto3", "moto", "graders.modules.m08_mlops.sandbox_s3",
             # what the probes import on first use, once here instead of in each probe's child (80 to 180 modules
             # a probe): uvicorn's protocol, loop and lifespan and httpx's transport; MLflow's run bookkeeping
             # (IPython, GitPython, OpenTelemetry); moto's S3 backend and boto3's transfer manager
             "uvicorn.protocols.http.h11_impl", "uvicorn.lifespan.on", "uvicorn.loops.asyncio", "httpcore",
             "anyio._backends._asyncio", "anyio.streams.tls", "anyio.streams.stapled", "pydantic.v1",
             "IPython", "git", "mlflow.tracing.processor.otel", "mlflow.utils.search_logged_model_utils",
             "opentelemetry.sdk.metrics.export", "opentelemetry.sdk.metrics.view",
             "moto.s3.models", "moto.s3.responses", "moto.s3.urls", "moto.sts.models", "boto3.s3.transfer",
             "boto3.s3.inject", "s3transfer.subscribers", "xml.dom.minidom", "cryptography.x509",
             # and what was still imported inside probes (the bench's "modules imported inside probes"): FastAPI's
             # telemetry hook, MLflow's trace export, moto's IAM checks
             "fastapi.telemetry._runtime", "mlflow.tracing.export.utils", "mlflow.tracing.processor.base_mlflow",
             "mlflow.tracing.utils.environment", "moto.iam.access_control", "moto.iam.policy_conditions",
             "encodings.hex_codec", "xml.dom.expatbuilder"),
    # the grading process imports them while the sandbox starts: the reference pipeline's model
    grading_imports=("sklearn.ensemble",),
    warm_up=keep_oracle_outputs,
)
