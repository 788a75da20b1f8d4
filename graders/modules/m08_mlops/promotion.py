"""promote_if_better: register a run once, move an alias only on a strict improvement over its holder.

The probe plays scenarios against the learner's function on a real MLflow registry (sqlite) and reports
each call's return value and the registry afterwards. Here a small simulation of the pinned rules says
what each call must give; simulations of the known slips name them when the learner's sequence matches.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake

from . import sandbox_mlflow

EX = "promote_if_better"

SLIPS = {
    "ge": Mistake("promoted-on-tie", "a candidate that only ties the champion was promoted: promote on a strict "
                  "improvement (`>`, not `>=`)"),
    "duplicate": Mistake("duplicate-version", "a second call for the same run registered another version: look the run "
                         "up first (search_model_versions(\"name='...' and run_id='...'\")) and reuse its version"),
    "ignore_direction": Mistake("higher-is-better-ignored", "with higher_is_better=False a lower metric is the better "
                                "one (a loss): the candidate wins when new < old - min_delta"),
    "latest": Mistake("compared-with-latest", "compare with the run of the version that holds the alias "
                      "(get_model_version_by_alias), not with the latest registered version"),
    "no_delta": Mistake("min-delta-ignored", "an improvement must exceed min_delta: new > old + min_delta (or new < "
                        "old - min_delta when lower is better)"),
    "champion_only": Mistake("other-aliases-touched", "only the alias you were given may change: you moved or removed "
                             "another alias (is 'champion' hard-coded?)"),
}


@dataclass(frozen=True)
class Call:
    run: str
    kwargs: dict
    says: str                  # the call in words, for feedback


def simulate(scenario: dict, slip: str | None = None) -> list[dict]:
    """What each call returns and the registry after it, under the pinned rules (or one known slip)."""
    metric = scenario["runs"]
    versions: dict[str, str] = {}                        # version -> run label
    aliases: dict[str, str] = {}
    for step in scenario.get("setup", ()):
        if step[0] == "register":
            versions[str(len(versions) + 1)] = step[1]
        else:
            aliases[step[1]] = next(v for v, lab in versions.items() if lab == step[2])
    out = []
    for call in scenario["calls"]:
        hib = call.kwargs.get("higher_is_better", True) or slip == "ignore_direction"
        delta = 0.0 if slip == "no_delta" else call.kwargs.get("min_delta", 0.0)
        alias = "champion" if slip == "champion_only" else call.kwargs.get("alias", "champion")
        mine = [v for v, lab in versions.items() if lab == call.run]
        if mine and slip != "duplicate":
            version = mine[0]
        else:
            version = str(len(versions) + 1)
            versions[version] = call.run
        holder = aliases.get(alias)
        if slip == "latest":
            older = [v for v in versions if v != version]
            compare_to = max(older, key=int) if older and holder is not None else holder
        else:
            compare_to = holder
        if holder is None:
            promoted = True
        elif holder == version:
            promoted = False
        else:
            new, old = metric[call.run], metric[versions[compare_to]]
            if slip == "ge":
                promoted = new >= old + delta if hib else new <= old - delta
            else:
                promoted = new > old + delta if hib else new < old - delta
        if promoted:
            aliases[alias] = version
        out.append({"returned": {"promoted": promoted, "version": version, "champion_version": aliases[alias]},
                    "versions": dict(versions), "aliases": dict(aliases)})
    return out


def _observed(calls) -> list[dict] | None:
    """The learner's sequence in the simulation's terms, or None if a returned value is not a dict of three."""
    out = []
    for obs in calls:
        value = obs.get("value")
        if not isinstance(value, dict) or not {"promoted", "version", "champion_version"} <= set(value):
            return None
        promoted = value["promoted"]
        out.append({"returned": {"promoted": bool(promoted) if isinstance(promoted, (bool, np.bool_)) else promoted,
                                 "version": str(value["version"]), "champion_version": str(value["champion_version"])},
                    "versions": obs["state"]["versions"], "aliases": obs["state"]["aliases"]})
    return out


def _differs(got: dict, want: dict) -> str:
    g, w = got["returned"], want["returned"]
    if g["promoted"] not in (True, False):
        return "'promoted' must be a bool"
    if set(got["versions"].values()) != set(want["versions"].values()) or len(got["versions"]) != len(want["versions"]):
        return "the registry's versions are not one version per run registered so far"
    if g["version"] != w["version"]:
        return "'version' must be the version registered for this run"
    if g["promoted"] != w["promoted"]:
        return "'promoted' does not follow the rule (promote iff the candidate beats the alias holder's metric by " \
               "more than min_delta in the right direction; no holder: promote; holder is the candidate: don't)"
    if got["aliases"] != want["aliases"]:
        return "the aliases after the call are not right (only `alias` moves, and only when promoting)"
    if g["champion_version"] != w["champion_version"]:
        return "'champion_version' must be the version holding the alias after the call"
    return ""


def _others(aliases: dict, call: Call) -> dict:
    """The aliases a call must leave alone."""
    return {a: v for a, v in aliases.items() if a != call.kwargs.get("alias", "champion")}


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        scenario = case.extra
        calls = obs.get("value") or []
        for call, seen in zip(scenario["calls"], calls):
            if "error" in seen:
                return error_failure(Case(label=f"{case.label}, {call.says}"), seen["error"])
        got = _observed(calls)
        if got is None:
            return incorrect(case, 'promote_if_better must return a dict {"promoted": bool, "version": ..., '
                                   '"champion_version": ...}')
        want = simulate(scenario)
        if got == want:
            continue
        for slip, mistake in SLIPS.items():
            if slip in scenario["slips"] and got == simulate(scenario, slip):
                return incorrect(case, mistake.message, mistake.id)
        for k, (call, g, w) in enumerate(zip(scenario["calls"], got, want)):
            why = _differs(g, w)
            if why:
                if _others(g["aliases"], call) != _others(w["aliases"], call):
                    return incorrect(case, f"call {k + 1} ({call.says}): {SLIPS['champion_only'].message}",
                                     SLIPS["champion_only"].id)
                return incorrect(case, f"call {k + 1} ({call.says}): {why}")
    return None


def _scenario(name, metric, runs, calls, setup=(), slips=()):
    return {"name": name, "metric": metric, "runs": runs, "setup": list(setup),
            "calls": [Call(*c) for c in calls], "slips": set(slips) or set(SLIPS)}


def _case(label, scenario):
    plain = {"name": scenario["name"], "metric": scenario["metric"], "runs": scenario["runs"],
             "setup": scenario["setup"], "calls": [(c.run, c.kwargs) for c in scenario["calls"]]}
    return Case((plain,), {}, label, extra=scenario)


FIRST = _scenario("churn-first", "val_auc", {"a": 0.81}, [("a", {}, "the first candidate: no model registered yet")])
HIGHER = _scenario("churn-auc", "val_auc", {"r1": 0.80, "r2": 0.85, "r3": 0.83, "r4": 0.84, "r5": 0.85, "r6": 0.90}, [
    ("r1", {}, "the first candidate"),
    ("r2", {}, "a better candidate"),
    ("r3", {}, "a worse candidate"),
    ("r4", {}, "a candidate worse than the champion but better than the latest version"),
    ("r5", {}, "a candidate whose metric equals the champion's"),
    ("r2", {}, "the champion's run again"),
    ("r6", {}, "a better candidate"),
])
LOWER = {"higher_is_better": False, "min_delta": 0.01, "alias": "prod"}
LOSS = _scenario("churn-loss", "val_loss", {"z": 0.40, "a": 0.50, "b": 0.495, "c": 0.48, "d": 0.60}, [
    ("a", LOWER, "the first candidate for alias 'prod'"),
    ("b", LOWER, "a lower loss, but by less than min_delta"),
    ("c", LOWER, "a lower loss by more than min_delta"),
    ("d", LOWER, "a higher loss"),
], setup=[("register", "z"), ("alias", "champion", "z"), ("alias", "staging", "z")])
DELTA = _scenario("churn-delta", "val_auc", {"p": 0.70, "q": 0.71, "s": 0.73}, [
    ("p", {"min_delta": 0.02}, "the first candidate"),
    ("q", {"min_delta": 0.02}, "a better candidate, but by less than min_delta"),
    ("s", {"min_delta": 0.02}, "a better candidate by more than min_delta"),
])


def _check(title, points, cases):
    return Check(title, points, cases, _judge, probe=sandbox_mlflow.promote_probe,
                 probe_args=lambda target, cases: (target, [c.args[0] for c in cases]), timeout=60.0)


promote_if_better = Exercise(
    EX,
    skill="model-registry",
    cell_timeout=20.0,
    hints=(
        "Three steps: make sure the run has exactly one version (find it, or register it), find who holds the "
        "alias now, and move the alias only when the candidate strictly beats that holder by more than min_delta.",
        "client.search_model_versions(f\"name='{name}' and run_id='{run_id}'\") finds an existing version; "
        "client.get_model_version_by_alias(name, alias) raises MlflowException when nobody holds it; read both "
        "metrics with client.get_run(run_id).data.metrics[metric].",
        "`promoted = new > old + min_delta if higher_is_better else new < old - min_delta`; then "
        "`client.set_registered_model_alias(name, alias, version)` only if promoted",
    ),
    checks=(
        _check("the first call creates the registered model, registers the run and promotes it", 1,
               [_case("a registry without the model", FIRST)]),
        _check("the alias moves only on a strict improvement over its holder; one version per run", 3,
               [_case("seven calls on val_auc (higher is better)", HIGHER)]),
        _check("higher_is_better=False, min_delta and a custom alias; the other aliases stay", 3,
               [_case("val_loss, min_delta=0.01, alias='prod', with 'champion' and 'staging' on another version",
                      LOSS),
                _case("val_auc with min_delta=0.02", DELTA)]),
    ),
)
