"""A tiny JSON client over the standard library (the student's environment needs nothing installed)."""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request


class ServerError(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(f"{status}: {detail}")
        self.status, self.detail = status, detail


class Server:
    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 120):
        self.url = (url or os.environ.get("MLKATA_SERVER") or "").rstrip("/")
        self.token = token or os.environ.get("MLKATA_TOKEN") or ""
        self.timeout = timeout

    @property
    def configured(self) -> bool:
        return bool(self.url and self.token)

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
            "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise ServerError(exc.code, _detail(exc)) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise ServerError(0, f"cannot reach the grading service at {self.url}: {exc}") from None


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        detail = json.loads(exc.read().decode("utf-8")).get("detail")
    except Exception:  # noqa: BLE001 - a proxy's HTML error page
        return exc.reason or "error"
    if isinstance(detail, list):        # pydantic's 422: the first problem is enough for a learner
        detail = "; ".join(str(d.get("msg", d)) for d in detail[:2])
    return str(detail)
