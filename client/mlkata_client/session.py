"""check(), hint() and solution() of one notebook, answered by the grading service."""
from __future__ import annotations

from functools import cached_property

from .cells import find_notebook, kernel_inputs, live_cells, saved_cells
from .http import Server, ServerError


class Shown:
    """What the server rendered (the full project's inline renderer), for Jupyter and for plain Python."""

    def __init__(self, html: str, text: str):
        self.html, self.text = html, text

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text


def show(html: str, text: str) -> None:
    try:
        from IPython.display import display
    except ImportError:
        print(text)
        return
    display(Shown(html, text))


def say(text: str) -> None:
    from html import escape

    show(f'<div style="font-family:sans-serif;padding:6px;border-left:4px solid #c0392b">{escape(text)}</div>', text)


class RemoteSession:
    def __init__(self, module_id: str, notebook=None, server: Server | None = None, inputs=None):
        self.module_id, self._notebook, self._inputs = module_id, notebook, inputs
        self.server = server or Server()
        self.tiers: dict[str, int] = {}

    @cached_property
    def info(self) -> dict:
        return self.server.call("GET", f"/api/v1/modules/{self.module_id}")

    def cells(self) -> dict[str, str]:
        cells = saved_cells(find_notebook(self.module_id, self._notebook))
        inputs = list(self._inputs() if callable(self._inputs) else self._inputs) if self._inputs is not None \
            else kernel_inputs()
        cells.update(live_cells(inputs, self.info["answers"]))
        return {k: v for k, v in cells.items() if k in self.info["answers"]}

    def _ready(self) -> bool:
        if not self.server.configured:
            say("This notebook is graded by your course's service: set MLKATA_SERVER and MLKATA_TOKEN "
                "(your instructor gives you both), then restart the kernel.")
        return self.server.configured

    def result(self, exercise: str | None = None) -> dict:
        """The graded submission as the server returns it (no display)."""
        return self.server.call("POST", "/api/v1/check",
                                {"module": self.module_id, "exercise": exercise, "cells": self.cells()})

    def check(self, exercise: str | None = None) -> None:
        if not self._ready():
            return
        try:
            out = self.result(exercise)
        except ServerError as exc:
            say(f"check() could not grade: {exc.detail}")
            return
        if out.get("view"):
            show(out["view"]["html"], out["view"]["text"])
        elif out["status"] == "failed":
            say(f"The grader could not grade this submission (not your fault): {out.get('error')}")
        else:
            say(f"Submission {out['id']} is {out['status']}: the server is busy. check() again in a minute.")
        return

    def hint(self, exercise: str | None = None) -> None:
        if not self._ready():
            return
        exercise = exercise or (self.info["exercises"] or [None])[0]
        try:
            hints = self.server.call("GET", f"/api/v1/hints/{self.module_id}/{exercise}")["hints"]
        except ServerError as exc:
            say(exc.detail)
            return
        if not hints:
            say(f"No hints are written for {exercise} yet.")
            return
        tier = self.tiers[exercise] = min(self.tiers.get(exercise, 0) + 1, len(hints))
        text = f"Hint {tier} of {len(hints)} for {exercise}\n" + "\n".join(
            f"{i + 1}. {h}" for i, h in enumerate(hints[:tier]))
        from html import escape

        show("<div style='font-family:sans-serif'>" + "<br>".join(escape(x) for x in text.splitlines()) + "</div>",
             text)
        return

    def solution(self, exercise: str, confirm: bool = False) -> None:
        if not self._ready():
            return
        try:
            out = self.server.call("GET", f"/api/v1/solution/{self.module_id}/{exercise}")
        except ServerError as exc:
            say(exc.detail)                  # the course's policy, in words (403)
            return
        show(out["view"]["html"], out["view"]["text"])
        return
