"""create_app: a FastAPI app graded over loopback against a real uvicorn server the probe starts and stops.

Every check serves the learner's app in its own probe (``sandbox_serving.serve_probe``) and judges the
plain observations here: status codes, headers, parsed bodies, the /metrics text, timings.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import error_failure, incorrect
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, Mistake, seed_for

from . import sandbox_serving
from .common import MODULE_ID

EX = "create_app"
NAMES = ["sqft", "bedrooms", "age_years", "distance_km"]
VERSION = "2.3.1"
MODEL_SEED = sandbox_serving.MODEL_SEED
BUDGET = {"n": 200, "single_abs": 0.025, "batch_abs": 1.0, "factor": 3.0, "max_seconds": 30.0}

KEY_ORDER = Mistake("columns-from-key-order", "your predictions follow the key order of each JSON instance: build "
                    "every row in metadata['feature_names'] order (`[row[name] for name in names]`), whatever order "
                    "the client sent the keys in")
NOT_422 = Mistake("not-422", "invalid input must get 422 Unprocessable Entity, FastAPI's validation answer: declare "
                  "the body as pydantic models (one required float field per feature, extra='forbid') instead of "
                  "checking by hand or letting the model fail (400/500)")
EMPTY_ACCEPTED = Mistake("empty-batch-accepted", "an empty list of instances must be refused with 422 "
                         "(Field(min_length=1))")
OVERSIZED_ACCEPTED = Mistake("oversized-batch-accepted", "a batch of more than 1000 instances must be refused with "
                             "422 (Field(max_length=1000))")
ROWS_NOT_REQUESTS = Mistake("counter-counts-requests", "the predictions counter must grow by the number of rows "
                            "predicted (`counter.inc(len(rows))`), not by one per request")
GLOBAL_REGISTRY = Mistake("global-registry", "each create_app call needs its own CollectorRegistry "
                          "(`Histogram(..., registry=registry)`): on prometheus_client's global registry a second app "
                          "raises 'Duplicated timeseries' or shares the first app's counts")
ROW_BY_ROW = Mistake("row-by-row", "a 1000-row request is far slower than one model.predict on the 1000 rows: predict "
                     "the whole batch in one call, not row by row")


def _model():
    return sandbox_serving.serving_model(MODEL_SEED)


def _instances(rng, n, shuffle_keys=True, ints=False):
    out = []
    for _ in range(n):
        values = {"sqft": float(np.round(rng.normal(0, 1), 3)), "bedrooms": float(rng.integers(-2, 3)),
                  "age_years": float(np.round(rng.normal(0, 1), 3)), "distance_km": float(np.round(rng.normal(0, 1), 3))}
        if ints:
            values["bedrooms"] = int(values["bedrooms"])
        keys = list(values)
        if shuffle_keys:
            keys = [keys[i] for i in rng.permutation(len(keys))]
            if keys == NAMES:
                keys = keys[::-1]
        out.append({k: values[k] for k in keys})
    return out


def _rows(instances, key_order=False):
    return np.array([[float(v) for v in inst.values()] if key_order else [float(inst[n]) for n in NAMES]
                     for inst in instances], dtype=np.float64)


def _plan(*apps):
    return {"model_seed": MODEL_SEED, "apps": [{"metadata": {"feature_names": list(NAMES), "model_version": v},
                                                "steps": steps} for v, steps in apps]}


def _check(title, points, plan, judge, label, timeout=40.0, gated=False):
    return Check(title, points, [Case((), {}, label, extra=plan)], judge, probe=sandbox_serving.serve_probe,
                 probe_args=lambda target, cases: (target, cases[0].extra), timeout=timeout, gated=gated)


def _served(cases, value, count=1):
    """The steps of each served app, or the failure that kept an app from serving."""
    case = cases[0]
    if not isinstance(value, dict) or not isinstance(value.get("apps"), list) or len(value["apps"]) != count:
        return None, Failure(Status.GRADER_ERROR, "internal grader error (not your fault): unexpected probe result")
    steps = []
    for k, app in enumerate(value["apps"]):
        which = "your app" if count == 1 else ("the first app" if k == 0 else "a second app in the same process")
        if "create_error" in app:
            err = app["create_error"]
            if "Duplicated timeseries" in err.get("message", ""):
                return None, incorrect(case, GLOBAL_REGISTRY.message, GLOBAL_REGISTRY.id)
            return None, error_failure(case, err)
        if "not_an_app" in app:
            return None, incorrect(case, f"create_app must return the FastAPI app; it returned a {app['not_an_app']}")
        if "start_error" in app:
            return None, incorrect(case, f"uvicorn could not serve {which}: {app['start_error']}")
        steps.append(app["steps"])
    return steps, None


def _status_problem(case, seen, what):
    if seen.get("timeout"):
        return incorrect(case, f"{what}: no answer within 5 s")
    if "transport_error" in seen:
        return incorrect(case, f"{what}: the connection failed ({seen['transport_error']})")
    if seen.get("status") != 200:
        body = (seen.get("text") or "")[:300]
        return incorrect(case, f"{what}: your app answered {seen.get('status')} instead of 200" +
                         (f" ({body})" if body else ""))
    return None


# ------------------------------------------------------------------ /health
def _judge_health(cases, value):
    steps, failure = _served(cases, value)
    if failure:
        return failure
    seen = steps[0][0]
    problem = _status_problem(cases[0], seen, "GET /health")
    if problem:
        return problem
    body = seen.get("json")
    if not isinstance(body, dict) or body.get("status") != "ok" or body.get("model_version") != VERSION:
        return incorrect(cases[0], 'GET /health must answer {"status": "ok", "model_version": <the metadata\'s '
                                   'model_version>}')
    return None


# ------------------------------------------------------------------ /predict
def _predict_plan():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "predict"))
    bodies = [_instances(rng, 6, ints=True), _instances(rng, 1), _instances(rng, 40)]
    return _plan((VERSION, [("POST", "/predict", {"instances": b}) for b in bodies])), bodies


PREDICT_PLAN, PREDICT_BODIES = _predict_plan()


def _judge_predict(cases, value):
    steps, failure = _served(cases, value)
    if failure:
        return failure
    case, model = cases[0], _model()
    for seen, instances in zip(steps[0], PREDICT_BODIES):
        what = f"POST /predict with {len(instances)} instance(s)"
        problem = _status_problem(case, seen, what)
        if problem:
            return problem
        body = seen.get("json")
        if not isinstance(body, dict) or not isinstance(body.get("predictions"), list):
            return incorrect(case, f'{what}: the body must be {{"predictions": [...], "model_version": ...}}')
        got = body["predictions"]
        if not all(isinstance(p, (int, float)) and not isinstance(p, bool) for p in got):
            return incorrect(case, f"{what}: predictions must be a list of numbers")
        expected = model.predict(_rows(instances))
        problem = close()(np.asarray(got, dtype=float), expected)
        if problem:
            wrong = model.predict(_rows(instances, key_order=True))
            if len(got) == len(wrong) and np.allclose(got, wrong, rtol=1e-6, atol=1e-9):
                return incorrect(case, f"{what}: {KEY_ORDER.message}", KEY_ORDER.id)
            return incorrect(case, f"{what}: the predictions are not model.predict of the rows (columns in "
                                   f"feature_names order, float64): {problem}")
        if body.get("model_version") != VERSION:
            return incorrect(case, f"{what}: the body's model_version must be the metadata's model_version")
        if seen.get("model_version_header") != VERSION:
            return incorrect(case, f"{what}: the response needs the header X-Model-Version: <model_version> "
                                   "(set it on the injected `response: Response`)", "no-version-header")
    return None


# ------------------------------------------------------------------ 422
def _invalid_bodies():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "invalid"))
    good = _instances(rng, 3, shuffle_keys=False)
    one = good[0]
    return [
        ("an instance without 'bedrooms'", {"instances": [{k: v for k, v in one.items() if k != "bedrooms"}]}, None),
        ("an instance with an extra feature 'garage'", {"instances": [{**one, "garage": 1.0}]}, None),
        ("a non-numeric string value ('abc')", {"instances": [good[1], {**one, "sqft": "abc"}]}, None),
        ("a null value", {"instances": [{**one, "age_years": None}]}, None),
        ("an empty list of instances", {"instances": []}, EMPTY_ACCEPTED),
        ("1001 instances", {"instances": [good[i % 3] for i in range(1001)]}, OVERSIZED_ACCEPTED),
        ("a body without 'instances'", {"rows": good}, None),
        ("'instances' that is a number", {"instances": 3}, None),
        ("'instances' that is an object", {"instances": one}, None),
    ], {"instances": good}


INVALID, VALID_AFTER = _invalid_bodies()
INVALID_PLAN = _plan((VERSION, [("POST", "/predict", body) for _, body, _ in INVALID]
                      + [("POST", "/predict", VALID_AFTER)]))


def _judge_invalid(cases, value):
    steps, failure = _served(cases, value)
    if failure:
        return failure
    case = cases[0]
    for seen, (label, _, accepted) in zip(steps[0], INVALID):
        status = seen.get("status")
        if status == 422:
            continue
        if seen.get("timeout") or "transport_error" in seen:
            return _status_problem(case, seen, f"POST /predict with {label}")
        if status == 200 and accepted is not None:
            return incorrect(case, accepted.message, accepted.id)
        if status in (400, 500):
            return incorrect(case, f"POST /predict with {label} got {status}: {NOT_422.message}", NOT_422.id)
        return incorrect(case, f"POST /predict with {label} got {status}; it must be refused with 422 (a pydantic "
                               "body model: required float fields, extra='forbid', 1 to 1000 instances)")
    return _status_problem(case, steps[0][-1], "a valid POST /predict after the invalid ones")


# ------------------------------------------------------------------ /metrics
def metric_counts(seen) -> tuple[dict | None, str]:
    """(the histogram's _count and the counter's _total from a /metrics answer, or None with why)."""
    from prometheus_client.parser import text_string_to_metric_families

    if seen.get("status") != 200:
        return None, f"GET /metrics answered {seen.get('status')} instead of 200"
    if not str(seen.get("content_type", "")).startswith("text/plain"):
        return None, ("GET /metrics must answer text/plain (Prometheus exposition format, "
                      "prometheus_client.CONTENT_TYPE_LATEST), not " + repr(seen.get("content_type")))
    try:
        families = {f.name: f for f in text_string_to_metric_families(seen.get("text") or "")}
    except Exception as exc:  # noqa: BLE001 - the parser's complaint is the feedback
        return None, f"prometheus_client's parser cannot read your /metrics text ({type(exc).__name__}: {exc})"
    counts = {}
    for family, kind, sample in (("predict_latency_seconds", "histogram", "predict_latency_seconds_count"),
                                 ("predictions", "counter", "predictions_total")):
        f = families.get(family)
        if f is not None and f.type != kind:
            return None, f"/metrics has {family} as a {f.type}; it must be a {kind}"
        counts[family] = sum(s.value for s in f.samples if s.name == sample) if f is not None else None
    return counts, ""


def _metrics_plan():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "metrics"))
    sizes = [5, 17, 1]
    return _plan((VERSION, [("METRICS",)] + [("POST", "/predict", {"instances": _instances(rng, n)}) for n in sizes]
                  + [("METRICS",)])), sizes


METRICS_PLAN, METRIC_SIZES = _metrics_plan()


def _judge_metrics(cases, value):
    steps, failure = _served(cases, value)
    if failure:
        return failure
    case, seen = cases[0], steps[0]
    for s in seen[1:-1]:
        problem = _status_problem(case, s, "POST /predict")
        if problem:
            return problem
    before, why = metric_counts(seen[0])
    after, why_after = metric_counts(seen[-1]) if before is not None else (None, "")
    if before is None or after is None:
        return incorrect(case, why or why_after)
    for family, kind in (("predict_latency_seconds", "histogram"), ("predictions", "counter")):
        if after[family] is None:
            return incorrect(case, f"/metrics has no {kind} family named {family!r}")
    calls = after["predict_latency_seconds"] - (before["predict_latency_seconds"] or 0)
    rows = after["predictions"] - (before["predictions"] or 0)
    if rows == len(METRIC_SIZES) and rows != sum(METRIC_SIZES):
        return incorrect(case, ROWS_NOT_REQUESTS.message, ROWS_NOT_REQUESTS.id)
    if rows != sum(METRIC_SIZES):
        return incorrect(case, f"after {len(METRIC_SIZES)} successful /predict calls of {METRIC_SIZES} rows, "
                               f"predictions_total grew by {rows:g}: it must grow by the number of rows predicted")
    if calls != len(METRIC_SIZES):
        return incorrect(case, f"after {len(METRIC_SIZES)} successful /predict calls, predict_latency_seconds_count "
                               f"grew by {calls:g}: observe one latency per call")
    return None


REGISTRY_PLAN = _plan((VERSION, [("POST", "/predict", {"instances": _instances(np.random.default_rng(1), n)})
                                 for n in (3, 2)]),
                      ("2.3.2", [("METRICS",), ("POST", "/predict", {"instances": _instances(np.random.default_rng(2), 4)}),
                                 ("METRICS",)]))


def _judge_registry(cases, value):
    steps, failure = _served(cases, value, count=2)
    if failure:
        return failure
    case, seen = cases[0], steps[1]
    first, why = metric_counts(seen[0])
    last, why_last = metric_counts(seen[2]) if first is not None else (None, "")
    if first is None or last is None:
        return incorrect(case, why or why_last)
    if (first["predictions"] or 0) != 0 or (first["predict_latency_seconds"] or 0) != 0:
        return incorrect(case, f"{GLOBAL_REGISTRY.message} (the second app's /metrics did not start at 0)",
                         GLOBAL_REGISTRY.id)
    problem = _status_problem(case, seen[1], "POST /predict on the second app")
    if problem:
        return problem
    if last["predictions"] != 4 or last["predict_latency_seconds"] != 1:
        return incorrect(case, "after one /predict call of 4 rows on a new app, its metrics must read 1 call and "
                               "4 rows")
    return None


# ------------------------------------------------------------------ latency budget
def _latency_plan():
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "latency"))
    return _plan((VERSION, [("LATENCY", _instances(rng, 1)[0], _instances(rng, 1000), BUDGET)]))


def _judge_latency(cases, value):
    steps, failure = _served(cases, value)
    if failure:
        return failure
    case = cases[0]
    rounds = steps[0][0].get("rounds") or []
    if not rounds:
        return incorrect(case, "no timing could be taken")
    best = min(rounds, key=lambda r: (r["p99_requests"] - BUDGET["factor"] * r["p99_bare"],
                                      r["batch_seconds"] - BUDGET["factor"] * r["bare_batch"]))
    if best["statuses"] != [200] or best["n"] < BUDGET["n"]:
        return incorrect(case, f"single-instance /predict requests did not all answer 200 within "
                               f"{BUDGET['max_seconds']:g} s (statuses {best['statuses']})")
    if best["batch_timeout"] or best["batch_seconds"] > BUDGET["batch_abs"] + BUDGET["factor"] * best["bare_batch"]:
        return incorrect(case, f"one request of 1000 instances took {best['batch_seconds']:.2f} s against "
                               f"{best['bare_batch'] * 1000:.0f} ms for model.predict on the same rows (budget: 1 s + "
                               f"3 x that): {ROW_BY_ROW.message}", ROW_BY_ROW.id)
    if best["batch_status"] != 200:
        return incorrect(case, f"a request of 1000 instances answered {best['batch_status']} instead of 200")
    if best["p99_requests"] > BUDGET["single_abs"] + BUDGET["factor"] * best["p99_bare"]:
        return incorrect(case, f"the p99 latency of 200 single-instance requests is {best['p99_requests'] * 1000:.1f} "
                               f"ms against {best['p99_bare'] * 1000:.1f} ms for a bare model.predict (budget: 25 ms + "
                               "3 x that): is something slow running on every request (building the model, reading "
                               "files)?", "slow-requests")
    return None


create_app = Exercise(
    EX,
    skill="model-serving",
    cell_timeout=20.0,
    alone=True,        # its latency budget is timed inside the probe: no other exercise beside it
    hints=(
        "Let FastAPI and pydantic do the validation: a body model with one required float field per feature "
        "(extra fields forbidden) inside a list of 1 to 1000 items makes FastAPI answer 422 by itself. Metrics "
        "live in a CollectorRegistry created inside create_app.",
        "pydantic.create_model('Instance', __config__=ConfigDict(extra='forbid'), **{n: (float, ...) for n in "
        "names}); a Batch model with instances: list[Instance] = Field(min_length=1, max_length=1000). In the "
        "handler, build the float64 array in feature_names order, predict once, observe the latency, inc the "
        "counter by the number of rows, set response.headers['X-Model-Version'].",
        "`registry = CollectorRegistry(); latency = Histogram('predict_latency_seconds', '...', registry=registry); "
        "rows = Counter('predictions', '...', registry=registry)`; /metrics returns "
        "`Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)`",
    ),
    checks=(
        _check("GET /health answers 200 with the model version", 1,
               _plan((VERSION, [("GET", "/health")])), _judge_health, "GET /health on a served app"),
        _check("POST /predict: model.predict of the rows in feature_names order, whatever the JSON key order; "
               "X-Model-Version header", 3, PREDICT_PLAN, _judge_predict,
               "batches of 6, 1 and 40 instances whose keys come in shuffled order"),
        _check("POST /predict answers 422 to invalid bodies (missing/extra feature, string, null, empty, >1000, "
               "no instances, not a list)", 2, INVALID_PLAN, _judge_invalid, "invalid /predict bodies"),
        _check("GET /metrics: a latency histogram counting calls and a counter counting rows", 2, METRICS_PLAN,
               _judge_metrics, "/metrics read before and after 3 /predict calls"),
        _check("each create_app has its own metrics registry: a second app starts at 0", 1, REGISTRY_PLAN,
               _judge_registry, "two apps created in the same process"),
        _check("latency budget: single requests and a 1000-row batch against the bare model", 1, _latency_plan(),
               _judge_latency, "200 single-instance requests and one of 1000 instances", timeout=90.0, gated=True),
    ),
)
