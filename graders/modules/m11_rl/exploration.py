"""epsilon_greedy and linear_epsilon (one answer cell), graded statistically.

The probe draws N_DRAWS actions from one generator per case and reports only the counts. Each
count must lie within 5 standard errors of the pinned probability (explore with probability
epsilon uniformly over ALL actions; greedy ties broken uniformly at random); the counts of the
classic slips (exploration that skips the greedy action, ties always to the first index) are
tested the same way, to name them. Another probe replays two generators in the same state, with
the global generators seeded differently: the sequences must agree.

How many draws: a right answer leaves the band with a probability set by the 5 standard errors, whatever
the count (about 6e-7 per count); the count only buys power, and each draw is a call of the learner's
function. ``test_m11_rl`` asks that each named slip, a halved epsilon, no exploration, exploration that never
reaches the last action and an exploration rate 20% short be caught with probability above 1 - 1e-9 in some
case: that holds from about 2,000 draws; 8,000 (it was 20,000) keep a factor of four in reserve.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import error_failure, incorrect, returns
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID
from .sandbox_probes import epsilon_counts_probe, epsilon_sequence_probe

N_DRAWS = 8_000
BAND = 5.0                                     # standard errors


def probabilities(q, epsilon, explore="all", ties="random"):
    q = np.asarray(q, dtype=float)
    n = len(q)
    best = np.flatnonzero(q == q.max())
    if ties == "first":
        best = best[:1]
    p = np.zeros(n)
    p[best] += (1.0 - epsilon) / len(best)
    if explore == "all":
        p += epsilon / n
    else:                                       # exploration over the non-greedy actions only
        others = np.setdiff1d(np.arange(n), best)
        if len(others):
            p[others] += epsilon / len(others)
        else:
            p[best] += epsilon / len(best)
    return p


def fits(counts, p) -> bool:
    counts = np.asarray(counts, dtype=float)
    n = counts.sum()
    if n == 0:
        return False
    se = np.sqrt(n * p * (1 - p))
    exact = se == 0
    if np.any(counts[exact] != n * p[exact]):
        return False
    return bool(np.all(np.abs(counts[~exact] - n * p[~exact]) <= BAND * se[~exact]))


SLIPS = (
    ({"explore": "others"}, "greedy-excluded", ("your exploration never picks the greedy action: with probability "
     "epsilon draw uniformly from ALL actions, so the greedy action's probability is 1 - epsilon + epsilon / n")),
    ({"ties": "first"}, "ties-to-first", ("greedy ties always went to the lowest index (np.argmax): break ties "
     "uniformly at random among the actions with the highest value, e.g. rng.choice(np.flatnonzero(q == q.max()))")),
    ({"explore": "others", "ties": "first"}, "greedy-excluded", ("your exploration never picks the greedy action, "
     "and ties go to the lowest index: explore uniformly over ALL actions; break greedy ties at random")),
)


def _counts_judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        if obs.get("bad"):
            return incorrect(case, f"epsilon_greedy returned {obs['bad']}; return one action, an int in "
                             "0..n_actions-1.", "not-an-int")
        q, epsilon = case.args[0], case.args[1]
        counts = np.asarray(obs["counts"])
        if fits(counts, probabilities(q, epsilon)):
            continue
        for switches, mistake, message in SLIPS:
            p = probabilities(q, epsilon, **switches)
            if not np.allclose(p, probabilities(q, epsilon)) and fits(counts, p):
                return incorrect(case, message + ".", mistake)
        shares = ", ".join(f"{c / counts.sum():.3f}" for c in counts)
        return incorrect(case, f"over {int(counts.sum())} draws your actions came out with frequencies [{shares}]: "
                         "the greedy action(s) must get (1 - epsilon) shared equally among ties, plus epsilon / n "
                         "each like every other action.")
    return None


def _case(q, epsilon, name):
    q = np.asarray(q, dtype=float)
    seed = seed_for(MODULE_ID, "epsilon_greedy", name)
    ties = int((q == q.max()).sum())
    tie_text = f", {ties} actions tied for the best" if ties > 1 else ""
    return Case((q, epsilon, seed, N_DRAWS), {}, f"{N_DRAWS} draws, q_values of {len(q)} actions{tie_text}, "
                f"epsilon={epsilon}")


def _distinct_cases():
    return [_case([0.1, -0.4, 0.9, 0.3], 0.1, "a"), _case([2.0, 1.0, 0.5, -1.0, 0.0, 3.0], 0.5, "b"),
            _case([0.3, 0.2, 0.1], 1.0, "c")]


def _tie_cases():
    return [_case([0.5, 1.0, -0.2, 1.0, 0.0], 0.2, "d"), _case([2.0, 1.0, 2.0, 2.0], 0.0, "e"),
            _case([1.0, 1.0], 0.3, "f")]


def _counts_args(target, cases):
    return (target, [c.args for c in cases])


SEQ = (np.array([0.4, 0.4, 0.1, -0.3]), 0.3, seed_for(MODULE_ID, "epsilon_greedy", "sequence"), 2000)


def _sequence_judge(cases, observations):
    case, obs = cases[0], observations
    if isinstance(obs, dict) and "error" in obs:
        return error_failure(case, obs["error"])
    if obs.get("bad"):
        return incorrect(case, f"epsilon_greedy returned {obs['bad']}; return an int action.", "not-an-int")
    first, second = (np.asarray(s) for s in obs["sequences"])
    q, epsilon = SEQ[0], SEQ[1]
    if not fits(np.bincount(first, minlength=len(q)), probabilities(q, epsilon)):
        return incorrect(case, "the actions drawn here do not have the epsilon-greedy frequencies; fix the "
                         "distribution first.")
    if not np.array_equal(first, second):
        return incorrect(case, "two generators in the same state gave different sequences of actions: draw every "
                         "random number from `rng` (not np.random.*, random or torch), and nothing else.",
                         "global-rng")
    return None


def linear_ref(step, start, end, decay_steps, clamp=True, reverse=False, integer=False):
    fraction = (step // decay_steps) if integer else step / decay_steps
    if clamp:
        fraction = min(fraction, 1.0)
    a, b = (end, start) if reverse else (start, end)
    return a + fraction * (b - a)


LINEAR_MISTAKES = (
    Mistake("not-clamped", "after decay_steps the schedule must stay at `end`; yours kept going: clamp the "
            "fraction with min(step / decay_steps, 1)", variant=lambda *a: linear_ref(*a, clamp=False)),
    Mistake("integer-division", "step // decay_steps is 0 until the end: use true division, step / decay_steps",
            variant=lambda *a: linear_ref(*a, integer=True)),
    Mistake("reversed", "the schedule runs backwards: it starts at `start` (step 0) and reaches `end` at "
            "decay_steps", variant=lambda *a: linear_ref(*a, reverse=True)),
)


def _linear_cases():
    rows = [(0, 1.0, 0.05, 1000), (250, 1.0, 0.05, 1000), (999, 1.0, 0.05, 1000), (1000, 1.0, 0.05, 1000),
            (5000, 1.0, 0.05, 1000), (123, 0.5, 0.1, 400), (7, 0.2, 0.8, 10), (40, 0.2, 0.8, 10)]
    return [Case(row, {}, f"step={row[0]}, start={row[1]}, end={row[2]}, decay_steps={row[3]}") for row in rows]


epsilon_greedy = Exercise(
    "epsilon_greedy",
    skill="exploration",
    hints=(
        ("With probability epsilon pick any action uniformly (the greedy one included); otherwise pick a best "
        "action, choosing at random among ties. All randomness comes from the `rng` you are given."),
        ("`if rng.random() < epsilon:` return a uniform action; else the best actions are "
        "np.flatnonzero(q == q.max()); pick one with rng. linear_epsilon: fraction = min(step / decay_steps, 1)."),
        ("`best = np.flatnonzero(q == q.max()); return int(rng.choice(best))`; `return start + min(step / "
        "decay_steps, 1.0) * (end - start)`"),
    ),
    checks=(
        Check(f"epsilon_greedy: explores over all actions with probability epsilon ({N_DRAWS:,} draws, 5 standard "
              "errors)", 2, _distinct_cases, _counts_judge, probe=epsilon_counts_probe, probe_args=_counts_args,
              timeout=40),
        Check("epsilon_greedy: breaks greedy ties uniformly at random", 2, _tie_cases, _counts_judge,
              probe=epsilon_counts_probe, probe_args=_counts_args, timeout=40),
        Check("epsilon_greedy: draws only from rng (same-state generators give the same actions)", 1,
              [Case(SEQ, {}, "2000 draws from two generators in the same state, epsilon=0.3, a two-way tie")],
              _sequence_judge, probe=epsilon_sequence_probe, probe_args=lambda t, cases: (t, *cases[0].args),
              timeout=20, gated=True),
        Check("linear_epsilon interpolates from start to end and stays at end", 2, _linear_cases,
              returns(linear_ref, close(), LINEAR_MISTAKES, expect_text="the scheduled epsilon"),
              target="linear_epsilon"),
    ),
)
