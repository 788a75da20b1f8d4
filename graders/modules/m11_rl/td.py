"""q_update and q_learning (one answer cell): the TD(0) control update and tabular Q-learning.

q_update is compared with the update written out. q_learning is graded by outcome on
CliffWalking-v1 (3 seeds: the greedy policy, argmax with the lowest index, from reset(seed=0) must
walk the cliff edge, return -13, in at least 2) and by its fixed point on ``helpers.TrapEnv``, a
deterministic MDP explored uniformly (epsilon=1): the Q-learning fixed point differs from the ones
reached by bootstrapping through the terminated step, by zeroing the bootstrap on the truncated
steps, or by SARSA's target. Every env is wrapped in a strict ``Recorder``: a step after the end of
an episode without a reset is refused and named.
"""
from __future__ import annotations

import functools

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, seed_for

from .common import MODULE_ID, as_float, to_numpy
from .helpers import TrapEnv
from .sandbox_probes import q_learning_probe

GOAL_RETURN = -13
CLIFF_SEEDS = (0, 1, 2)
CLIFF_CAP = 100_000          # steps per run; Q-learning needs about 10,000 for 500 episodes


# ------------------------------------------------------------------ q_update
def q_update_ref(Q, s, a, r, s_next, terminated, alpha, gamma, boot_terminal=False, max_table=False,
                 max_current=False):
    Q = np.array(Q, dtype=float)
    best = Q.max() if max_table else (Q[s].max() if max_current else Q[s_next].max())
    bootstrap = 0.0 if (terminated and not boot_terminal) else gamma * best
    td = r + bootstrap - Q[s, a]
    Q[s, a] += alpha * td
    return td, Q


Q_UPDATE_SLIPS = (
    ({"boot_terminal": True}, "bootstraps-terminal", ("you bootstrapped from Q(s', .) although the transition "
     "terminated: the target is just r when `terminated` is true (there is no next state to value)")),
    ({"max_table": True}, "max-over-table", ("the target took the max of the whole table; use max_a Q(s_next, a), "
     "the best action in the next state")),
    ({"max_current": True}, "max-of-current-state", ("the target used max_a Q(s, a) of the current state; use the "
     "next state, Q[s_next].max()")),
)


def _q_update_judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        td_ref, q_ref = q_update_ref(*case.args)
        before = np.asarray(case.args[0])
        after = to_numpy(obs.get("args_after", [None])[0])
        value = to_numpy(obs["value"])
        td = as_float(value)
        if not isinstance(after, np.ndarray) or after.shape != before.shape:
            return incorrect(case, "Q must stay the same array, updated in place.")
        q_ok = np.allclose(after, q_ref, rtol=1e-6, atol=1e-9)
        td_ok = td is not None and np.isclose(td, td_ref, rtol=1e-6, atol=1e-9)
        if q_ok and td_ok:
            continue
        if np.array_equal(after, before):
            if isinstance(value, np.ndarray) and value.shape == before.shape:
                return incorrect(case, "you returned an updated copy of Q: update Q[s, a] in place (the caller's "
                                 "table must change) and return the TD error.", "not-in-place")
            return incorrect(case, "Q did not change: update Q[s, a] in place, Q[s, a] += alpha * td_error.",
                             "not-in-place")
        for switches, mistake, message in Q_UPDATE_SLIPS:
            _, q_v = q_update_ref(*case.args, **switches)
            if np.allclose(after, q_v, rtol=1e-6, atol=1e-9) and not np.allclose(q_v, q_ref):
                return incorrect(case, message + ".", mistake)
        if q_ok and td is not None:
            alpha = case.args[6]
            if np.isclose(td, (1 - alpha) * td_ref, rtol=1e-6, atol=1e-9):
                return incorrect(case, "you returned the TD error measured after the update; return "
                                 "r + gamma * max Q(s', .) - Q(s, a) computed before changing Q[s, a].",
                                 "td-after-update")
            if np.isclose(td, -td_ref, rtol=1e-6, atol=1e-9):
                return incorrect(case, "the TD error has the wrong sign: target - Q(s, a).", "td-sign")
            return incorrect(case, "Q was updated correctly but the returned TD error is wrong: return "
                             "target - Q(s, a), a number.")
        return incorrect(case, "after the call Q[s, a] should have moved by alpha * (r + gamma * max_a Q(s', a) "
                         "* (not terminated) - Q(s, a)); yours did not, and no other entry may change.")
    return None


def _q_update_cases(example=False):
    rng = np.random.default_rng(seed_for(MODULE_ID, "q_update", "random"))
    if example:
        Q = np.arange(12, dtype=float).reshape(4, 3) / 10
        return [Case((Q, 1, 2, 1.0, 3, False, 0.5, 0.9), {}, "the notebook's example: Q (4, 3), s=1, a=2, r=1, "
                     "s_next=3, not terminated, alpha=0.5, gamma=0.9")]
    cases = []
    for s, a, s_next, terminated, alpha, gamma in [(2, 1, 4, False, 0.5, 0.9), (0, 2, 5, True, 0.3, 0.99),
                                                   (3, 0, 3, 0.0, 0.1, 1.0), (5, 1, 0, 1.0, 0.7, 0.95),
                                                   (1, 2, 2, False, 1.0, 0.8)]:
        Q = rng.normal(size=(6, 3))
        r = float(np.round(rng.normal(), 3))
        kind = "bool" if isinstance(terminated, bool) else "float"
        cases.append(Case((Q, s, a, r, s_next, terminated, alpha, gamma), {},
                          f"Q (6, 3), s={s}, a={a}, s_next={s_next}, terminated={terminated!r} ({kind}), "
                          f"alpha={alpha}, gamma={gamma}"))
    return cases


# ------------------------------------------------------------------ q_learning on CliffWalking
@functools.cache
def _cliff():
    import gymnasium as gym

    return gym.make("CliffWalking-v1")


def greedy_return(Q) -> tuple[float, bool]:
    """Play argmax(Q[s]) (lowest index on ties) from reset(seed=0), at most 100 steps: (return, reached goal)."""
    env = _cliff()
    s, _ = env.reset(seed=0)
    total = 0.0
    for _ in range(100):
        s, r, terminated, truncated, _ = env.step(int(np.argmax(Q[int(s)])))
        total += float(r)
        if terminated or truncated:
            return total, bool(terminated)
    return total, False


def _q_table(obs, shape):
    q = to_numpy(obs.get("value"))
    try:
        q = np.asarray(q, dtype=float)
    except (TypeError, ValueError):
        return None
    return q if q.shape == shape and np.all(np.isfinite(q)) else None


def _episode_end_failure(case, obs):
    """A step after the end of an episode, refused by the Recorder: named by how that episode ended. Or
    episodes that never end: the step cap (ten times what Q-learning needs) stopped the run."""
    log = obs.get("log", {})
    if obs.get("error", {}).get("type") == "StepCap":
        return incorrect(case, f"q_learning used more than {log.get('steps', 0):,} environment steps, ten times "
                         "times what Q-learning needs here: its episodes do not reach the goal, so Q is not "
                         "learning (does q_update change Q[s, a] in place? is the target right?).", "never-learns")
    if not log.get("after_end"):
        return None
    if log.get("after") == "truncated":
        return incorrect(case, "your loop kept stepping after the time limit truncated the episode: end an "
                         "episode when `terminated or truncated`, then call env.reset().",
                         "no-reset-after-truncation")
    return incorrect(case, "your loop called env.step after the episode had terminated: end an episode when "
                     "`terminated or truncated`, then call env.reset().", "steps-after-termination")


def _cliff_judge(cases, observations):
    results = []
    for case, obs in zip(cases, observations):
        failure = _episode_end_failure(case, obs)
        if failure:
            return failure
        if "error" in obs:
            return error_failure(case, obs["error"])
        q = _q_table(obs, (48, 4))
        if q is None:
            return incorrect(case, f"expected a finite (48, 4) array Q (n_states, n_actions), got "
                             f"{'something else' if obs.get('value') is None else type(obs['value']).__name__}.")
        results.append(greedy_return(q))
    wins = sum(ret == GOAL_RETURN and done for ret, done in results)
    if wins >= 2:
        return None
    safe = sum(done and -100 < ret < GOAL_RETURN for ret, done in results)
    seen = ", ".join(f"{ret:g}" + ("" if done else " (goal not reached)") for ret, done in results)
    if safe >= 2:
        return incorrect(None, f"the greedy policies of your three runs took a safe detour away from the cliff "
                         f"(returns {seen}): that is what SARSA learns, because its target uses the next action "
                         "the exploring policy takes. Q-learning's target uses max_a Q(s', a), the greedy action, "
                         "and learns the optimal path along the edge.", "sarsa-target")
    return incorrect(None, f"the greedy policies (argmax of your Q) from reset(seed=0) had returns {seen}; at least "
                     f"2 of the 3 runs must walk the cliff edge (return {GOAL_RETURN}). Check the update "
                     "(target r + gamma * max_a Q(s', a), none when terminated) and the epsilon-greedy exploration.")


def _cliff_cases():
    return [Case(("CliffWalking-v1", {"seed": s}, CLIFF_CAP), {}, f"q_learning(gym.make('CliffWalking-v1'), "
                 f"seed={s})") for s in CLIFF_SEEDS]


# ------------------------------------------------------------------ q_learning on the trap MDP
TRAP_GAMMA = 0.9
TRAP_KWARGS = {"n_episodes": 400, "alpha": 0.5, "gamma": TRAP_GAMMA, "epsilon": 1.0, "seed": 3}
TRUNCATED = {(2, 0), (2, 1), (5, 0), (5, 1)}      # with the time limit of 3, these steps are always cut


@functools.cache
def trap_fixed_point(boot_terminal=False, zero_truncated=False, sarsa_uniform=False):
    Q = np.zeros((7, 2))
    for _ in range(200):
        for (s, a), (s2, r, terminated) in TrapEnv.MOVES.items():
            if s == 6:
                continue                  # never acted from: every episode ends on arrival
            nxt = Q[s2].mean() if sarsa_uniform else Q[s2].max()
            cut = (terminated and not boot_terminal) or (zero_truncated and (s, a) in TRUNCATED)
            Q[s, a] = r + (0.0 if cut else TRAP_GAMMA * nxt)
    return Q


TRAP_SLIPS = (
    ({"boot_terminal": True, "zero_truncated": True}, "bootstraps-terminal",
     ("you bootstrapped on the terminated step and cut the bootstrap on the truncated ones: it is the other way "
     "round. No bootstrap when `terminated` (the episode really ended); bootstrap as usual when only `truncated` "
     "(the time limit cut an episode that would have gone on)")),
    ({"boot_terminal": True}, "bootstraps-terminal",
     "you bootstrapped from Q(s', .) on a step that terminated: the target is just r when `terminated` is true"),
    ({"zero_truncated": True}, "zero-bootstrap-on-truncation",
     ("you dropped the bootstrap on steps cut by the time limit: a truncated step is not an end of the task, so "
     "its target is still r + gamma * max_a Q(s', a); only `terminated` removes the bootstrap")),
)


def _trap_judge(cases, observations):
    case, obs = cases[0], observations[0]
    failure = _episode_end_failure(case, obs)
    if failure:
        return failure
    if "error" in obs:
        return error_failure(case, obs["error"])
    q = _q_table(obs, (7, 2))
    if q is None:
        return incorrect(case, "expected a finite (7, 2) array Q (n_states, n_actions).")
    acted = q[:6]

    def near(reference):
        return float(np.abs(acted - reference[:6]).max()) < 1e-2

    if near(trap_fixed_point()):
        return None
    for switches, mistake, message in TRAP_SLIPS:
        if near(trap_fixed_point(**switches)):
            return incorrect(case, message + ".", mistake)
    optimal, uniform = trap_fixed_point(), trap_fixed_point(sarsa_uniform=True)
    if np.abs(acted[3:] - uniform[3:6]).mean() < np.abs(acted[3:] - optimal[3:6]).mean():
        return incorrect(case, "your Q-values follow the exploring policy rather than the greedy one: the target "
                         "must use max_a Q(s', a), not the next action actually taken (that is SARSA).",
                         "sarsa-target")
    return incorrect(case, "after many episodes with epsilon=1 on a small deterministic MDP your Q-values are not "
                     "the Q-learning fixed point: check the target r + gamma * max_a Q(s', a) (none when "
                     "terminated, as usual when only truncated), alpha and gamma as given, and one update per step.")


def _trap_case():
    return [Case(("trap", TRAP_KWARGS, None), {}, "a 7-state MDP with a time limit of 3 steps, q_learning(env, "
                 "n_episodes=400, alpha=0.5, gamma=0.9, epsilon=1.0, seed=3)")]


# ------------------------------------------------------------------ determinism
def _seed_judge(cases, observations):
    tables = []
    for case, obs in zip(cases, observations):
        failure = _episode_end_failure(case, obs)
        if failure:
            return failure
        if "error" in obs:
            return error_failure(case, obs["error"])
        q = _q_table(obs, (48, 4))
        if q is None:
            return incorrect(case, "expected a finite (48, 4) array Q.")
        tables.append(q)
    if not any(greedy_return(q) == (GOAL_RETURN, True) for q in tables):
        return incorrect(None, "none of these runs learned the cliff-edge path, so there is nothing to compare; "
                         "fix the learning first.")
    if not np.array_equal(tables[0], tables[1]):
        return incorrect(None, "two runs with seed=5 gave different Q tables: draw every random number from "
                         "`np.random.default_rng(seed)` (and pass seed to the first env.reset).", "seed-ignored")
    if np.array_equal(tables[0], tables[2]):
        return incorrect(None, "seed=5 and seed=6 gave identical Q tables: your exploration does not depend on "
                         "`seed`.", "seed-ignored")
    return None


def _q_probe_args(target, cases):
    return (target, [c.args for c in cases])


q_update = Exercise(
    "q_update",
    skill="temporal-difference learning",
    hints=(
        ("Q-learning moves Q(s, a) a step alpha towards the target r + gamma * max_a' Q(s', a'), whatever action "
        "the exploring policy takes next. When the step terminated there is no next state: the target is r. A "
        "truncated step (time limit) still bootstraps."),
        ("q_update: compute the target, td = target - Q[s, a], then Q[s, a] += alpha * td and return td. "
        "q_learning: rng = np.random.default_rng(seed), a zero table, per episode reset (seed only the first), "
        "epsilon-greedy action, step, q_update, until terminated or truncated."),
        ("`target = r if terminated else r + gamma * Q[s_next].max()`; in q_learning "
        "`a = int(rng.integers(n_actions)) if rng.random() < epsilon else int(np.argmax(Q[s]))`"),
    ),
    checks=(
        Check("q_update: the example in the notebook", 1, lambda: _q_update_cases(example=True), _q_update_judge,
              keep_args=True),
        Check("q_update: TD error returned, Q updated in place, no bootstrap when terminated", 3, _q_update_cases,
              _q_update_judge, keep_args=True),
        Check(f"q_learning on CliffWalking-v1: the greedy policy walks the cliff edge (return {GOAL_RETURN}) in at "
              "least 2 of 3 seeds", 3, _cliff_cases, _cliff_judge, target="q_learning", probe=q_learning_probe,
              probe_args=_q_probe_args, timeout=90),
        Check("q_learning: terminated and truncated steps handled as pinned (fixed point on a small MDP)", 2,
              _trap_case, _trap_judge, target="q_learning", probe=q_learning_probe, probe_args=_q_probe_args,
              timeout=40),
        Check("q_learning: same seed, same Q; another seed, another Q", 1,
              lambda: [Case(("CliffWalking-v1", {"seed": s}, CLIFF_CAP), {}, f"seed={s}") for s in (5, 5, 6)],
              _seed_judge,
              target="q_learning", probe=q_learning_probe, probe_args=_q_probe_args, timeout=90, gated=True),
    ),
)
