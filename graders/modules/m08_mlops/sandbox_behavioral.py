"""Sandbox side of write_behavioral_tests: run the learner's pytest module against a rule-based sentiment
model and six sabotaged copies of it, each in its own ``pytest -q -p no:cacheprovider`` run (a fork of the probe:
``graders/engine/sandbox/pytest_runs.py``).

The seven runs happen once per notebook: the first check that needs them stores their outcomes in the
scratch directory under a key made of the learner's source and a nonce the grading process hands the probe
(an answer cell, which runs before any probe, cannot know it), and the other checks read them back.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from graders.engine.sandbox.pytest_runs import run_all

from .helpers import fresh_dir

RUN_LIMIT = 60.0

CONFTEST = '''"""Fixtures for the behavioural tests: the model under test, eight first names, the sentiment lexicon."""
import re

import pytest

LEXICON = {"positive": ["good", "great", "excellent", "love", "wonderful"],
           "negative": ["bad", "terrible", "awful", "hate", "poor"]}
NAMES = ["Alice", "Bruno", "Chen", "Dmitri", "Esther", "Farah", "Giulia", "Hiro"]
SETTINGS = %(settings)s


class SentimentModel:
    """Rule-based: the label of the first lexicon word, flipped when `not` comes right before it."""

    def __init__(self, settings):
        self._settings = dict(settings)
        self._polarity = {w: label for label, words in LEXICON.items() for w in words}
        self._polarity.update(self._settings.get("polarity", {}))

    def predict(self, texts):
        return [self._label(text) for text in texts]

    def _tokens(self, text):
        if self._settings.get("whitespace"):
            return text.lower().rstrip(".").split()
        if self._settings.get("case_sensitive"):
            return re.findall(r"[A-Za-z]+", text)
        return re.findall(r"[a-z]+", text.lower())

    def _label(self, text):
        tokens = self._tokens(text)
        hits = [i for i, token in enumerate(tokens) if token in self._polarity]
        if not hits:
            return "positive"
        i = hits[0]
        label = self._polarity[tokens[i]]
        flip = i > 0 and tokens[i - 1] == "not" and not self._settings.get("ignore_not")
        if self._settings.get("name") and self._settings["name"] in [t.lower() for t in tokens]:
            flip = not flip
        return {"positive": "negative", "negative": "positive"}[label] if flip else label


@pytest.fixture(scope="session")
def model():
    return SentimentModel(SETTINGS)


@pytest.fixture(scope="session")
def names():
    return list(NAMES)


@pytest.fixture(scope="session")
def lexicon():
    return {label: list(words) for label, words in LEXICON.items()}
'''


def behavioral_probe(ctx, target: str, nonce: str, models: dict):
    """Call ``write_behavioral_tests()`` and report, per model key, how pytest ended on that model."""
    write = ctx.lookup(target)
    obs = ctx.observe(write)
    if "error" in obs:
        return [obs]
    source = obs["value"]
    if not isinstance(source, str):
        return [{"value": {"not_source": type(source).__name__}}]
    key = hashlib.sha256((nonce + "\0" + source).encode("utf-8", "surrogatepass")).hexdigest()
    cache = Path.cwd() / ".behavioral" / f"{key}.json"
    if cache.is_file():
        results = json.loads(cache.read_text())
    else:
        results = run_models(source, models)
        cache.parent.mkdir(exist_ok=True)
        cache.write_text(json.dumps(results))
    return [{"value": {"results": results}}]


def run_models(source: str, models: dict) -> dict:
    """Run pytest once per model (forks of this probe, engine/sandbox/pytest_runs.py), all within RUN_LIMIT
    seconds."""
    runs = []
    for name, settings in models.items():
        folder = fresh_dir(f"behavioral-{name}-")
        (folder / "conftest.py").write_text(CONFTEST % {"settings": repr(settings)})
        (folder / "test_behavioral.py").write_text(source, encoding="utf-8", errors="surrogatepass")
        (folder / "pytest.ini").write_text("[pytest]\n")        # rootdir here: no ini file from above
        runs.append((folder, ("-q", "-p", "no:cacheprovider", "-rfE", "test_behavioral.py")))
    results = {}
    for name, (code, out) in zip(models, run_all(runs, RUN_LIMIT)):
        if code is None:
            results[name] = {"exit": None, "timeout": True, "summary": "", "failed": [], "errors": ""}
        else:
            results[name] = _summary(code, out)
    return results


def _summary(code: int, text: str) -> dict:
    lines = [line for line in text.splitlines() if line.strip()]
    failed = [line[7:].split(" - ")[0] for line in lines if line.startswith("FAILED ")][:8]
    errors = "\n".join(lines[-12:]) if code not in (0, 1) else ""
    return {"exit": code, "timeout": False, "summary": lines[-1][:200] if lines else "", "failed": failed,
            "errors": errors[:1500]}
