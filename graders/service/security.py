"""Tokens, the request size limit and the per-student rate limit.

Tokens are 256 random bits, shown once and stored as their SHA-256 (a slow password hash buys nothing
for random secrets of that length; the database alone never lets anyone act as a student). TLS is the
reverse proxy's job (see the README): the service binds 127.0.0.1 by default and trusts no forwarded
header for anything but logs.
"""
from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque

from .store import Store

INSTRUCTOR = "instructor"          # the admin token's id in the students table (not a roster name)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_tokens(store: Store, students: list[str], instructor: bool = False) -> dict[str, str]:
    """New tokens (the old ones stop working); returned once, stored hashed."""
    out = {}
    store.ensure_students(students)
    for sid in students:
        out[sid] = "mk_" + secrets.token_urlsafe(32)
        store.set_token(sid, hash_token(out[sid]))
    if instructor:
        out[INSTRUCTOR] = "mk_" + secrets.token_urlsafe(32)
        store.set_token(INSTRUCTOR, hash_token(out[INSTRUCTOR]), instructor=True)
    return out


class RateLimiter:
    """At most ``per_minute`` requests per key in any 60 s window (in memory: one service process)."""

    def __init__(self, per_minute: int, clock=time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self.seen: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def retry_after(self, key: str) -> float:
        """0 when the request may go (and it is counted); otherwise the seconds to wait."""
        now = self.clock()
        with self.lock:
            window = self.seen[key]
            while window and now - window[0] >= 60:
                window.popleft()
            if len(window) >= self.per_minute:
                return 60 - (now - window[0])
            window.append(now)
            return 0.0


class BodyLimit:
    """ASGI middleware: a body over ``limit`` bytes gets 413 before any handler reads it (declared length
    checked first, then the bytes actually received, for chunked uploads)."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            return await _too_large(send, self.limit)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send, self.limit)


class _TooLarge(BaseException):       # not an Exception: FastAPI turns those, raised while reading, into 400
    pass


async def _too_large(send, limit: int) -> None:
    body = (f'{{"detail":"request body over the course limit of {limit} bytes: send the answer cells '
            f'(check() does), not the whole notebook with outputs"}}').encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
