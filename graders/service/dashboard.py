"""The instructor's dashboard: a static page (``/dashboard``) that polls the admin JSON API.

The page holds no data and needs no login to load; everything it shows comes from
``/api/v1/admin/progress`` with the instructor token, which the page keeps in sessionStorage (gone
when the tab closes, never in a cookie, so no cross-site request can use it). Exports: the CSV
gradebook (admin.py) and an nbgrader gradebook file built with nbgrader's own API (nbgrader_export.py).
Everything the page needs is served from here (no CDN: it works offline); a strict
Content-Security-Policy keeps anything else out.
"""
from __future__ import annotations

import tempfile
import threading
from functools import cache
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from .config import ServiceConfig
from .progress import ClassProgress, class_progress

STATIC = Path(__file__).with_name("static")
FILES = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}     # all the page loads
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store",
           "Referrer-Policy": "no-referrer"}


@cache
def course_exercises(modules: tuple[str, ...]) -> dict[str, list[tuple[str, float]]]:
    """module -> [(exercise id, max points)], in the course's and the module's order."""
    from graders.engine import registry

    return {m: [(ex.id, float(ex.points)) for ex in registry.load(m).exercises] for m in modules}


def _version(store) -> tuple:
    """A cheap fingerprint of the submissions table: it changes when one is added or changes state."""
    from sqlalchemy import func, select

    from .store import Submission

    with store.session() as db:
        return tuple(db.execute(select(func.max(Submission.id), func.count(Submission.finished),
                                       func.sum(Submission.attempts), func.count(Submission.error))).one())


class ProgressCache:
    """The dashboard polls every few seconds: recompute (read every result) only when the table changed."""

    def __init__(self):
        self.key, self.value, self.lock = None, None, threading.Lock()

    def get(self, config: ServiceConfig, store) -> ClassProgress:
        with self.lock:
            key = _version(store)
            if key != self.key or self.value is None:
                self.value = class_progress(config.course, course_exercises(tuple(config.modules)), config.roster,
                                            store.list(limit=10**9))
                self.key = key
            return self.value


def add_routes(app: FastAPI, config: ServiceConfig, caller) -> None:
    cache = ProgressCache()

    def instructor(who=Depends(caller)):
        if not who[1]:
            raise HTTPException(403, "this needs the instructor token")
        return who

    @app.get("/dashboard", include_in_schema=False)
    def page():
        return FileResponse(STATIC / "dashboard.html", media_type="text/html", headers=HEADERS)

    @app.get("/dashboard/static/{name}", include_in_schema=False)
    def static(name: str):
        if name not in FILES:          # a fixed list: no path from the request reaches the file system
            raise HTTPException(404, "no such file")
        return FileResponse(STATIC / name, media_type=FILES[name], headers=HEADERS)

    @app.get("/api/v1/admin/progress", response_model=ClassProgress)
    async def progress(request: Request, who=Depends(instructor)):
        """Per exercise: attempted, passed, mean points; the most frequent mistakes; one row per student."""
        return await run_in_threadpool(cache.get, config, request.app.state.store)

    @app.get("/api/v1/admin/export.nbgrader.db", response_class=Response,
             responses={200: {"content": {"application/vnd.sqlite3": {}},
                              "description": "an nbgrader gradebook (SQLite): the best result per exercise"}})
    async def export_nbgrader(request: Request, who=Depends(instructor)):
        data = await run_in_threadpool(_nbgrader_bytes, config, request.app.state.store)
        return Response(data, media_type="application/vnd.sqlite3",
                        headers={"Content-Disposition": f'attachment; filename="{config.course}-gradebook.db"'})


def _nbgrader_bytes(config: ServiceConfig, store) -> bytes:
    from .nbgrader_export import export_nbgrader

    with tempfile.TemporaryDirectory(prefix="mlkata-gradebook-") as tmp:
        path = export_nbgrader(Path(tmp) / "gradebook.db", course_exercises(tuple(config.modules)),
                               config.roster, store.list(limit=10**9))
        return path.read_bytes()
