"""Sandbox-side fakes of 12_genai: the retriever and deterministic "LLMs" handed to ``rag_answer`` and
``tool_loop``, and the tools with their pydantic argument models.

A fake LLM replays a script: it never samples, so every run of a scenario gives the same transcript.
Some replies read the conversation as passed at that call (the last tool message, for instance), so a
loop that forgets to append a tool result gets a different reply. Every call is recorded (a deep copy
of what was passed); the grading process builds the same fakes to run the reference. No expected value
lives here.
"""
from __future__ import annotations

import copy
import json
from typing import Literal

from pydantic import BaseModel

CALLS: list = []            # ("retrieve", question) / ("llm", question, contexts) / ("agent", messages) / tools
MAX_CALLS = 40              # a loop calling a fake this often has no step cap


def reset() -> None:
    CALLS.clear()


class Runaway(RuntimeError):
    """Raised by a fake LLM called far more often than any step cap allows."""


# ------------------------------------------------------------------ RAG
class FakeRetrieve:
    """``retrieve(question)`` -> the scenario's ranked list of (chunk_id, text)."""

    def __init__(self, results):
        self.results = [tuple(r) for r in results]

    def __call__(self, question):
        CALLS.append(("retrieve", question))
        return [tuple(r) for r in self.results]


class FakeRAGLLM:
    """``llm(question, contexts) -> str``: a scripted answer carrying [n] citation markers."""

    def __init__(self, answer: str):
        self.answer = answer

    def __call__(self, question, contexts):
        CALLS.append(("llm", question, _copy(contexts)))
        if sum(1 for c in CALLS if c[0] == "llm") > MAX_CALLS:
            raise Runaway("the fake LLM was called too often")
        return self.answer


def _copy(value):
    try:
        return copy.deepcopy(value)
    except Exception:  # noqa: BLE001 - an uncopyable argument is reported by its type
        return f"<{type(value).__name__}>"


# ------------------------------------------------------------------ tools
class AddArgs(BaseModel):
    a: int
    b: int


class DivideArgs(BaseModel):
    x: float
    y: float


class WeatherArgs(BaseModel):
    city: str
    unit: Literal["C", "F"] = "C"


class LookupArgs(BaseModel):
    topic: str
    limit: int = 2


def _record(name, kwargs, expected_types):
    ok = all(isinstance(kwargs.get(k), t) for k, t in expected_types.items() if k in kwargs)
    CALLS.append(("tool", name, sorted(kwargs), ok))


def add(a, b):
    _record("add", {"a": a, "b": b}, {"a": int, "b": int})
    return a + b


def divide(x, y):
    _record("divide", {"x": x, "y": y}, {"x": float, "y": float})
    return x / y                           # raises ZeroDivisionError for y == 0


def weather(city, unit="C"):
    _record("weather", {"city": city, "unit": unit}, {"city": str, "unit": str})
    temp = 7 + len(city) % 5
    return {"city": city, "temp": temp if unit == "C" else round(temp * 9 / 5 + 32, 1), "unit": unit}


def lookup(topic, limit=2):
    _record("lookup", {"topic": topic, "limit": limit}, {"topic": str, "limit": int})
    return [f"{topic}: note {i + 1}" for i in range(limit)]


TOOLS = {"add": (add, AddArgs), "divide": (divide, DivideArgs), "weather": (weather, WeatherArgs),
         "lookup": (lookup, LookupArgs)}


def tools_for(names) -> dict:
    return {name: TOOLS[name] for name in names}


# ------------------------------------------------------------------ the agent's LLM
class ScriptedAgentLLM:
    """``llm(messages) -> str``. Script items: a reply string; ``("echo", prefix)``: prefix + the result in
    the last message when it is a tool result (else a complaint); ``("after_error", reply)``: that reply
    when the last message is a tool error (else a complaint); ``("repeat", reply)``: that reply on this
    and every later call (a model that never stops calling tools). After the script, its last item."""

    def __init__(self, script):
        self.script = list(script)
        self.n = 0

    def __call__(self, messages):
        snapshot = _copy(messages)
        CALLS.append(("agent", snapshot))
        self.n += 1
        if self.n > MAX_CALLS:
            raise Runaway(f"the fake LLM was called {self.n} times: your loop never stops")
        item = self.script[min(self.n, len(self.script)) - 1]
        if isinstance(item, str):
            return item
        kind, text = item
        if kind == "repeat":
            return text
        last = snapshot[-1] if isinstance(snapshot, (list, tuple)) and snapshot else None
        content = last.get("content") if isinstance(last, dict) and last.get("role") == "tool" else None
        error = isinstance(content, str) and content.lower().startswith("error")
        if kind == "after_error":
            return text if error else "I expected an error message from the tool."
        if content is None or error:
            return "I never saw the result of my tool call."
        try:
            return text + json.dumps(json.loads(content))     # any JSON spelling of the result reads the same
        except (TypeError, ValueError):
            return text + str(content)
