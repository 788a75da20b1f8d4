"""Heavy resources made in a background thread of the grading process, waited for by the sandbox.

The 20-million-row Parquet file (several seconds to write) and the Spark session (a JVM to start) are
needed by one check each, and only when the learner attempted the exercise. Their check's
``probe_args`` starts making them here without waiting; the probe first recognises an untouched
stub (which then costs nothing), and otherwise waits for a *marker file* that this thread writes
when the resource is ready: a JSON object (what the probe needs, or ``{"error": ...}``).
"""
from __future__ import annotations

import json
import os
import threading
import traceback
from collections.abc import Callable


class Prepared:
    """One resource: ``make()`` returns a JSON-able dict for the probe (or raises)."""

    def __init__(self, marker: str, make: Callable[[], dict]):
        self.marker = marker
        self._make = make
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> str:
        """Start making the resource unless it is made or being made; return the marker path."""
        with self._lock:
            if self._thread is None or (not self._thread.is_alive() and not os.path.exists(self.marker)):
                self._thread = threading.Thread(target=self._run, name=f"mlkata-{os.path.basename(self.marker)}",
                                                daemon=True)
                self._thread.start()
        return self.marker

    def reset(self) -> None:
        """Make it again at the next start() (the resource was spoiled)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            if os.path.exists(self.marker):
                os.remove(self.marker)
            self._thread = None

    def wait(self, timeout: float | None = None) -> dict:
        """Block until made (grading-process side, e.g. for the judge); returns the marker's content."""
        self.start()
        if self._thread is not None:
            self._thread.join(timeout)
        return read_marker(self.marker) or {"error": "not ready"}

    def _run(self) -> None:
        try:
            content = self._make()
        except BaseException as exc:  # noqa: BLE001 - reported to the probe, which reports a grader error
            content = {"error": f"{type(exc).__name__}: {exc}", "trace": traceback.format_exc()[-2000:]}
        tmp = f"{self.marker}.tmp"
        with open(tmp, "w") as fh:
            json.dump(content, fh)
        os.replace(tmp, self.marker)       # atomic: the probe never reads half a marker


def read_marker(path: str) -> dict | None:
    try:
        with open(path) as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None
