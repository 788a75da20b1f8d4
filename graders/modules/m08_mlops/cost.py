"""plan_training_cost: the cheapest plan (on-demand, or spot with a checkpoint interval) whose expected
duration meets the deadline, under the pinned Poisson-interruption model. The reference is the formula
itself (no library computes it); variants of it name the known slips."""
from __future__ import annotations

import math

import numpy as np

from graders.engine.compare import close, describe, exact
from graders.engine.judges import incorrect, returns
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import helpers
from .common import MODULE_ID, per_case, refusal_failure

EX = "plan_training_cost"
ARGS = ("work_hours", "deadline_hours", "on_demand_price", "spot_price", "interruption_rate", "checkpoint_cost_hours",
        "restart_cost_hours", "checkpoint_intervals")


def plans(W, D, od, sp, lam, c, R, intervals, *, last_full=False, unexposed_checkpoint=False, first_order=False):
    """Every plan with its expected hours and cost: on-demand first, then spot by increasing interval."""
    def segment(w):
        exposed = w if unexposed_checkpoint else w + c
        extra = c if unexposed_checkpoint else 0.0
        if lam == 0:
            return exposed + extra
        if first_order:
            return exposed + lam * exposed * (exposed / 2 + R) + extra
        return math.expm1(lam * exposed) * (1 / lam + R) + extra

    out = [{"market": "on_demand", "checkpoint_interval": None, "expected_hours": float(W),
            "expected_cost": float(W * od)}]
    for tau in sorted(intervals):
        k = math.ceil(W / tau)
        last = tau if last_full else W - (k - 1) * tau
        hours = (k - 1) * segment(tau) + segment(last)
        out.append({"market": "spot", "checkpoint_interval": tau, "expected_hours": hours,
                    "expected_cost": sp * hours})
    return out


def plan_ref(*args, ignore_deadline=False, spot_on_tie=False, **variant):
    found = plans(*args, **variant)
    deadline = args[1]
    feasible = [p for p in found if p["expected_hours"] <= deadline or (ignore_deadline and p["market"] == "spot")]
    if not feasible:
        return None
    if spot_on_tie:
        return min(reversed(feasible), key=lambda p: p["expected_cost"])
    return min(feasible, key=lambda p: p["expected_cost"])


FIELDS = ("market", "checkpoint_interval", "expected_hours", "expected_cost")


def plan_compare(got, expected):
    if not isinstance(got, dict) or set(FIELDS) - set(got):
        return f"expected a dict with keys {list(FIELDS)}, got {describe(got)}"
    if got["market"] != expected["market"]:
        return "another plan was chosen (market differs)"
    tau = got["checkpoint_interval"]
    if (tau is None) != (expected["checkpoint_interval"] is None) or \
            (tau is not None and exact()(float(tau), float(expected["checkpoint_interval"])) is not None):
        return "another checkpoint interval was chosen"
    for key in ("expected_hours", "expected_cost"):
        problem = close(rtol=1e-9, atol=1e-12)(got[key], expected[key])
        if problem:
            return f"{key}: {problem}"
    return None


def _zero_rate(case, obs, expected):
    rate = case.args[4]
    if rate != 0:
        return False
    if "error" in obs:
        return obs["error"].get("type") in ("ZeroDivisionError", "FloatingPointError")
    value = obs.get("value")
    return isinstance(value, dict) and any(isinstance(value.get(k), float) and not math.isfinite(value[k])
                                           for k in ("expected_hours", "expected_cost"))


MISTAKES = (
    Mistake("zero-rate-division", "with interruption_rate = 0 there are no interruptions: a segment takes exactly its "
            "exposed time T (the formula's 1/λ divides by zero; treat λ = 0 apart)", detect=_zero_rate),
    Mistake("last-segment-full", "the last segment is only W - (k-1)·τ hours long: charging it as a full τ overstates "
            "the time", variant=lambda *a: plan_ref(*a, last_full=True)),
    Mistake("checkpoint-not-exposed", "interruptions also strike while a checkpoint is being written: the exposed "
            "time of a segment is T = w + c, inside the expm1", variant=lambda *a: plan_ref(*a, unexposed_checkpoint=True)),
    Mistake("first-order-approximation", "use the exact expectation expm1(λT)·(1/λ + R), not a first-order "
            "approximation in λ", variant=lambda *a: plan_ref(*a, first_order=True)),
    Mistake("deadline-ignored-for-spot", "a spot plan whose expected hours exceed the deadline is not feasible, even "
            "when it is cheaper", variant=lambda *a: plan_ref(*a, ignore_deadline=True)),
    Mistake("tie-not-on-demand", "on a cost tie the answer is on-demand (then the smaller interval): compare with a "
            "strict < while scanning on-demand first and the intervals in increasing order",
            variant=lambda *a: plan_ref(*a, spot_on_tie=True)),
)


def _label(args):
    return ", ".join(f"{name}={value}" for name, value in zip(ARGS, args))


def _edgy(args) -> bool:
    """Too close to a knife edge the contract keeps away from (W/τ near an integer, a near tie)."""
    W, D, *_rest, intervals = args
    for tau in intervals:
        q = W / tau
        if q != round(q) and abs(q - round(q)) < 1e-6:
            return True
    for variant in ({}, {"last_full": True}, {"unexposed_checkpoint": True}, {"first_order": True}):
        found = plans(*args, **variant)
        hours = [p["expected_hours"] for p in found]
        costs = sorted(p["expected_cost"] for p in found)
        if any(abs(h - D) <= 1e-9 * max(1.0, D) for h in hours):
            return True
        if any(0 < b - a <= 1e-9 * max(1.0, b) for a, b in zip(costs, costs[1:])):
            return True
    return False


FIXED = [
    ((8.0, 20.0, 1.0, 0.3, 0.0, 0.25, 0.5, [2.0, 3.0, 5.0]), "no interruptions (rate 0)"),
    ((8.0, 20.0, 0.5625, 0.5, 0.0, 0.5, 0.5, [4.0, 5.0]), "a cost tie between on-demand and spot"),
    ((8.0, 20.0, 1.0, 0.5, 0.0, 0.5, 0.5, [5.0, 4.0]), "two intervals with the same cost, given largest first"),
    ((20.0, 40.0, 3.0, 0.9, 0.05, 0.1, 0.25, [0.5, 1.0, 2.0, 4.0, 8.0]), "a typical job"),
    ((10.0, 14.0, 2.0, 0.6, 0.08, 0.2, 0.3, [4.0, 6.0]), "a partial last segment"),
    ((30.0, 34.0, 2.5, 0.7, 0.2, 0.05, 0.5, [1.0, 6.0, 12.0]), "a tight deadline with frequent interruptions"),
    ((6.0, 60.0, 4.0, 1.0, 0.6, 0.3, 1.0, [3.0, 6.0]), "frequent interruptions and long segments"),
]


def _cases():
    cases = [Case(args, {}, f"{what}: {_label(args)}") for args, what in FIXED]
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "random"))
    while len(cases) < 16:
        W = float(np.round(rng.uniform(4, 60), 2))
        args = (W, float(np.round(W * rng.uniform(1.05, 2.5), 2)), float(np.round(rng.uniform(1, 5), 2)),
                float(np.round(rng.uniform(0.2, 1.5), 2)), float(np.round(rng.uniform(0.01, 0.4), 3)),
                float(np.round(rng.uniform(0.02, 0.5), 2)), float(np.round(rng.uniform(0.05, 1.0), 2)),
                sorted({float(np.round(rng.uniform(0.5, W), 1)) for _ in range(int(rng.integers(2, 6)))}))
        if plan_ref(*args) is None or _edgy(args):
            continue
        cases.append(Case(args, {}, f"a random job: {_label(args)}"))
    return cases


def _infeasible_cases():
    return [Case((10.0, 9.5, 2.0, 0.5, 0.1, 0.1, 0.2, [2.0, 5.0]), {}, "a deadline shorter than the work itself"),
            Case((10.0, 12.0, 2.0, 0.5, 0.1, 0.1, 0.2, [2.0, 5.0]), {}, "a deadline on-demand meets")]


def _judge_infeasible(case, seen):
    if case.args[1] < case.args[0]:
        return refusal_failure(case, seen, (), what="when no plan meets the deadline, plan_training_cost")
    if "raised" in seen:
        return incorrect(case, f"on-demand meets this deadline, but your code raised {seen['raised']}: "
                               f"{seen.get('message', '')}")
    problem = plan_compare(seen.get("returned"), plan_ref(*case.args))
    return incorrect(case, f"expected the cheapest feasible plan; {problem}") if problem else None


plan_training_cost = Exercise(
    EX,
    skill="cloud-cost",
    hints=(
        "Compare every plan by its expected wall-clock hours and cost: on-demand runs W hours at its price; spot "
        "splits the work into checkpointed segments, and each segment may be interrupted (losing it) before its "
        "checkpoint lands. Keep the plans that meet the deadline, take the cheapest.",
        "k = ceil(W/τ) segments, the last W - (k-1)τ long; a segment of exposed length T = w + c takes "
        "expm1(λT)·(1/λ + R) hours on average (T when λ = 0); cost = spot_price × total hours.",
        "`hours = (k - 1) * seg(tau + c) + seg(last + c)`; scan on-demand first, then sorted(intervals), and keep "
        "a plan only if its cost is strictly lower; raise ValueError when nothing meets the deadline",
    ),
    checks=(
        Check("the cheapest feasible plan, its expected hours and cost", 6, _cases,
              returns(plan_ref, plan_compare, MISTAKES, "the cheapest plan meeting the deadline")),
        Check("no feasible plan raises ValueError", 1, _infeasible_cases, per_case(_judge_infeasible),
              probe=helpers.outcome_each),
    ),
)
