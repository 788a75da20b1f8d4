"""The HTTP API (FastAPI): students submit and check, the instructor administers. OpenAPI at /docs.

Every answer is stored (``queued``) before a worker sees it; /check then waits for the grade.
"""
from __future__ import annotations

import asyncio
import time
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from . import admin, content, dashboard
from .config import ServiceConfig
from .dispatch import Dispatcher, make_dispatcher
from .grading import PayloadError, submission_of
from .models import Health, Hints, ModuleInfo, Solution, SubmissionIn, SubmissionOut
from .security import BodyLimit, RateLimiter, hash_token
from .store import FAILED, GRADED, Store

bearer = HTTPBearer(auto_error=False)


def create_app(config: ServiceConfig, broker: str | None = None, dispatcher: Dispatcher | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store = Store(config.db_url)
        store.ensure_students(config.roster)
        app.state.store = store
        app.state.dispatcher = dispatcher or make_dispatcher(store, config, broker)
        app.state.dispatcher.start()
        yield
        app.state.dispatcher.stop()

    app = FastAPI(title=f"mlkata grading service: {config.course}", version="1", lifespan=lifespan)
    app.state.config = config
    app.state.limiter = RateLimiter(config.limits.checks_per_minute)
    app.add_middleware(BodyLimit, limit=config.limits.max_body_bytes)

    def caller(request: Request, creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> tuple[str, bool]:
        if creds is None or creds.scheme.lower() != "bearer":
            raise HTTPException(401, "no token: send `Authorization: Bearer <token>` (set MLKATA_TOKEN)",
                                headers={"WWW-Authenticate": "Bearer"})
        who = request.app.state.store.who(hash_token(creds.credentials))
        if who is None:
            raise HTTPException(401, "unknown token: ask your instructor for yours",
                                headers={"WWW-Authenticate": "Bearer"})
        return who

    def accept(request: Request, body: SubmissionIn, who: tuple[str, bool]) -> int:
        """Validate, rate-limit, store (queued), hand to the dispatcher: in that order, so a refused
        request leaves nothing behind and an accepted one is on disk before any grading."""
        student, _ = who
        content.known_exercise(config, body.module, body.exercise)
        wait = request.app.state.limiter.retry_after(student)
        if wait:
            raise HTTPException(429, f"too many checks: at most {config.limits.checks_per_minute} a minute; "
                                f"try again in {wait:.0f} s", headers={"Retry-After": str(int(wait) + 1)})
        try:
            submission_of(body.module, body.cells, body.notebook)
        except PayloadError as exc:
            raise HTTPException(422, str(exc)) from None
        payload = {"cells": body.cells} if body.cells is not None else {"notebook": body.notebook}
        sid = request.app.state.store.add(student, body.module, body.exercise, payload)
        request.app.state.dispatcher.submit(sid)
        return sid

    @app.get("/healthz", response_model=Health)
    def healthz(request: Request):
        return Health(status="ok", course=config.course, queued=len(request.app.state.store.queued()))

    @app.post("/api/v1/submissions", response_model=SubmissionOut, status_code=202)
    def submit(request: Request, body: SubmissionIn, who=Depends(caller)):
        return SubmissionOut(id=accept(request, body, who), status="queued")

    @app.post("/api/v1/check", response_model=SubmissionOut)
    async def check(request: Request, body: SubmissionIn, who=Depends(caller)):
        store = request.app.state.store
        sid = await run_in_threadpool(accept, request, body, who)
        deadline = time.monotonic() + config.timeouts.check_wait_s
        while True:
            row = await run_in_threadpool(store.get, sid)
            if row["status"] in (GRADED, FAILED) or time.monotonic() > deadline:
                return content.out(row)
            await asyncio.sleep(0.05)

    @app.get("/api/v1/submissions/{sid}", response_model=SubmissionOut)
    def get_submission(request: Request, sid: int, who=Depends(caller)):
        row = request.app.state.store.get(sid)
        if row is None or (row["student"] != who[0] and not who[1]):
            # the same answer for "not yours" and "not there": ids of others' submissions stay unconfirmed
            raise HTTPException(404, f"no submission {sid} of yours")
        return content.out(row)

    @app.get("/api/v1/me/submissions", response_model=list[SubmissionOut])
    def mine(request: Request, who=Depends(caller)):
        return [content.out(r, full=False) for r in request.app.state.store.list(student=who[0])]

    @app.get("/api/v1/modules/{module}", response_model=ModuleInfo)
    def module_info(module: str, who=Depends(caller)):
        return content.module_info(config, module)

    @app.get("/api/v1/hints/{module}/{exercise}", response_model=Hints)
    def hints(module: str, exercise: str, who=Depends(caller)):
        return content.hints(config, module, exercise)

    @app.get("/api/v1/solution/{module}/{exercise}", response_model=Solution)
    def solution(request: Request, module: str, exercise: str, who=Depends(caller)):
        return content.solution(config, request.app.state.store, who, module, exercise)

    admin.add_routes(app, config, caller)
    dashboard.add_routes(app, config, caller)
    return app
