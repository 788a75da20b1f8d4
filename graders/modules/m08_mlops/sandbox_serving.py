"""Sandbox side of create_app: build the model, serve the learner's app with a real uvicorn server on
127.0.0.1 inside the probe, talk to it over loopback with httpx, and report plain observations.

The server and the client live in the probe process (the sandbox's own network namespace): a socket
bound to ("127.0.0.1", 0) here, ``uvicorn.Server(...).run(sockets=[sock])`` in a daemon thread, and a
shutdown that always runs. Every request has a 5 s timeout and every loop a bounded count and time, so a
hanging or crashing app costs only its check.
"""
from __future__ import annotations

import copy
import functools
import logging
import os
import threading
import time

START_TIMEOUT = 10.0
REQUEST_TIMEOUT = 5.0
FEATURES = 4
TICK = 0.01          # how often the server looks at should_exit (uvicorn: every 0.1 s)


# the serving checks' model seed (seed_for("08_mlops", "create_app", "model") when it was fixed: this side cannot
# import the engine's spec); serving.py sends it with every plan
MODEL_SEED = 1672018311


def serving_model(seed: int):
    """The model every serving check uses: RandomForestRegressor(n_estimators=30, max_depth=6) on 4
    features (seeded; the grading process rebuilds the same one to know what it predicts)."""
    import numpy as np
    from sklearn.ensemble import RandomForestRegressor

    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, FEATURES))
    y = 3 * X[:, 0] - 2 * X[:, 1] ** 2 + np.sin(3 * X[:, 2]) + 0.5 * X[:, 3] + rng.normal(0, 0.1, 400)
    return RandomForestRegressor(n_estimators=30, max_depth=6, random_state=seed).fit(X, y)


def _fitted_once() -> dict:
    try:
        return {MODEL_SEED: serving_model(MODEL_SEED)}
    except Exception:  # noqa: BLE001 - each probe fits its own instead
        return {}


# Fitted once in the sandbox parent, which imports this file before it forks any sandbox (MLKATA_SANDBOX is set
# there only), as sandbox_mlflow.py makes its empty store: each of create_app's six probes fitted the same forest
# again (0.1 s). Every probe's child gets it as the parent left it: what one app does to it stays in that child.
FITTED = _fitted_once() if os.environ.get("MLKATA_SANDBOX") else {}


def model_for(seed: int):
    """The serving model of ``seed``: the sandbox parent's where it fitted that one, else fitted here."""
    return FITTED[seed] if seed in FITTED else serving_model(seed)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record):
        try:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
            self.lines.append(text[:300])
        except Exception:  # noqa: BLE001
            pass


@functools.cache
def _quick_server():
    """uvicorn's Server, looking at ``should_exit`` every TICK seconds instead of every 0.1 s: a probe serves
    one app after another, and stopping each one waited up to a tenth of a second for uvicorn's next tick.
    Everything else is uvicorn's own loop; the date header is still refreshed every 10 ticks."""
    import asyncio

    import uvicorn

    class QuickServer(uvicorn.Server):
        async def main_loop(self) -> None:
            counter = 0
            should_exit = await self.on_tick(counter)
            while not should_exit:
                counter = (counter + 1) % 864000
                await asyncio.sleep(TICK)
                should_exit = await self.on_tick(counter)

    return QuickServer


class Served:
    """The learner's app behind a uvicorn server on 127.0.0.1:<free port>, with an httpx client."""

    def __init__(self, app):
        import socket

        import httpx
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, lifespan="on", loop="asyncio", http="h11", ws="none", log_level="warning")
        self.server = _quick_server()(config)
        self.errors = _Collect()
        logging.getLogger("uvicorn.error").addHandler(self.errors)   # after Config: it resets logging
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.crash = ""
        self.thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self.server.started and self.thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=REQUEST_TIMEOUT,
                                   trust_env=False)

    def _run(self):
        try:
            self.server.run(sockets=[self.sock])
        except BaseException as exc:  # noqa: BLE001 - SystemExit from uvicorn when the app cannot start
            self.crash = f"{type(exc).__name__}: {exc}"[:300]

    @property
    def started(self) -> bool:
        return bool(self.server.started)

    def why_not_started(self) -> str:
        found = "; ".join(self.errors.lines[-3:]) or self.crash
        if self.thread.is_alive():
            return f"the server did not finish starting within {START_TIMEOUT:g} s" + (f" ({found})" if found else "")
        return "the server stopped while starting" + (f": {found}" if found else "")

    def request(self, method: str, path: str, body=None, keep_text: int = 2000) -> dict:
        import httpx

        try:
            if method == "GET":
                response = self.client.get(path)
            else:
                response = self.client.post(path, json=body)
        except httpx.TimeoutException:
            return {"timeout": True}
        except Exception as exc:  # noqa: BLE001 - connection reset, a broken response...
            return {"transport_error": f"{type(exc).__name__}: {exc}"[:300]}
        seen = {"status": response.status_code,
                "content_type": response.headers.get("content-type", ""),
                "model_version_header": response.headers.get("x-model-version"),
                "text": response.text[:keep_text]}
        try:
            seen["json"] = response.json()
        except Exception:  # noqa: BLE001 - not JSON
            seen["json"] = None
        return seen

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(5)
        self.client.close()
        self.sock.close()
        logging.getLogger("uvicorn.error").removeHandler(self.errors)


def serve_probe(ctx, target: str, plan: dict):
    """Serve one app per entry of ``plan["apps"]`` (``{"metadata", "steps"}``), one after the other, and
    run its steps: ``("GET"|"POST", path, body)`` requests, ``("METRICS",)`` (the /metrics text), or
    ``("LATENCY", instance, batch, budget)`` (timings against the bare model, see ``latency``)."""
    create_app = ctx.lookup(target)
    model = model_for(plan["model_seed"])
    apps = []
    for k, spec in enumerate(plan["apps"]):
        ctx.progress(k)
        metadata = copy.deepcopy(spec["metadata"])
        if k == 0:
            app = ctx.run(create_app, model, metadata, stage="create_app")
        else:
            holder = {}

            def build(*args, _holder=holder):     # keep the app itself: observe reports only plain data
                _holder["app"] = create_app(*args)

            made = ctx.observe(build, (model, metadata), stage="create_app")
            if "error" in made:
                apps.append({"create_error": made["error"]})
                continue
            app = holder["app"]
        if not callable(app):
            apps.append({"not_an_app": type(app).__name__})
            continue
        served = Served(app)
        try:
            if not served.started:
                apps.append({"start_error": served.why_not_started()})
                continue
            apps.append({"steps": [_step(served, model, spec["metadata"], step) for step in spec["steps"]]})
        finally:
            served.stop()
    return {"apps": apps}


def _step(served: Served, model, metadata, step) -> dict:
    kind = step[0]
    if kind == "GET":
        return served.request("GET", step[1])
    if kind == "POST":
        return served.request("POST", step[1], step[2])
    if kind == "METRICS":
        return served.request("GET", "/metrics", keep_text=200_000)
    if kind == "LATENCY":
        return latency(served, model, metadata["feature_names"], *step[1:])
    raise ValueError(f"unknown step {kind!r}")


def latency(served: Served, model, names, instance: dict, batch: list, budget: dict) -> dict:
    """p99 of ``budget["n"]`` sequential single-instance requests against p99 of as many bare
    ``model.predict`` calls on the same row (interleaved, so both see the same machine load), and one
    request of ``batch`` against the bare predict of the same rows. A second round runs only when the
    first is over budget (a noisy machine); the judge takes the better round."""
    import numpy as np

    one = np.array([[float(instance[n]) for n in names]], dtype=np.float64)
    rows = np.array([[float(r[n]) for n in names] for r in batch], dtype=np.float64)
    rounds = []
    for _ in range(2):
        bare, requests, statuses = [], [], set()
        started = time.monotonic()
        for _ in range(budget["n"]):
            t0 = time.perf_counter()
            model.predict(one)
            bare.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            seen = served.request("POST", "/predict", {"instances": [instance]}, keep_text=0)
            requests.append(time.perf_counter() - t0)
            statuses.add(seen.get("status", -1))
            if seen.get("status") != 200 or time.monotonic() - started > budget["max_seconds"]:
                break
        bare_batch = min(_timed(model.predict, rows) for _ in range(3))
        t0 = time.perf_counter()
        seen = served.request("POST", "/predict", {"instances": batch}, keep_text=0)
        batch_seconds = time.perf_counter() - t0
        result = {"n": len(requests), "statuses": sorted(statuses),
                  "p99_requests": float(np.percentile(requests, 99)), "p99_bare": float(np.percentile(bare, 99)),
                  "batch_seconds": batch_seconds, "bare_batch": bare_batch,
                  "batch_status": seen.get("status", -1), "batch_timeout": bool(seen.get("timeout"))}
        rounds.append(result)
        within = (result["p99_requests"] <= budget["single_abs"] + budget["factor"] * result["p99_bare"]
                  and batch_seconds <= budget["batch_abs"] + budget["factor"] * bare_batch)
        if within or result["n"] < budget["n"] or result["batch_timeout"]:
            break
    return {"rounds": rounds}


def _timed(fn, *args) -> float:
    t0 = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t0
