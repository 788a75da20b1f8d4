"""policy_evaluation and value_iteration (one answer cell) on Gymnasium's ``env.unwrapped.P``.

The oracles are exact: V^pi solves the linear system (I - gamma P_pi) V = r_pi, and V* comes from
policy iteration with linear solves. A transition whose ``terminated`` flag is set contributes its
reward only (the synthetic MDPs send terminal transitions to non-absorbing states, so bootstrapping
through them shows). Two MDPs test the stopping rule: one with a single slowly converging state
among many that converge at once (the mean change hides it), one with gamma = 0.999 (a fixed
number of sweeps stops short).
"""
from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from graders.engine.compare import close
from graders.engine.judges import all_pass, error_failure, incorrect, matches_mistake, returns, unchanged_inputs
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID, as_vector, to_numpy

TOL = close(rtol=1e-6, atol=1e-6)           # pinned for V


def arrays(P, bootstrap_terminal=False, outcome="all"):
    """(T, R): T[s, a, s'] the probability of continuing into s' (terminated transitions excluded),
    R[s, a] the expected reward. ``outcome`` picks the slips: "first" or "likely" outcome only."""
    n_s, n_a = len(P), len(P[0])
    T, R = np.zeros((n_s, n_a, n_s)), np.zeros((n_s, n_a))
    for s in range(n_s):
        for a in range(n_a):
            outs = list(P[s][a])
            if outcome == "first":
                outs = [(1.0, *outs[0][1:])]
            elif outcome == "first-weighted":
                outs = outs[:1]
            elif outcome == "likely":
                outs = [(1.0, *max(outs, key=lambda o: o[0])[1:])]
            for p, s2, r, terminated in outs:
                R[s, a] += p * r
                if bootstrap_terminal or not terminated:
                    T[s, a, int(s2)] += p
    return T, R


def evaluate_exact(P, policy, gamma, theta=1e-10, **slips):
    T, R = arrays(P, **slips)
    pi = np.asarray(policy, dtype=float)
    P_pi, r_pi = np.einsum("sa,sat->st", pi, T), (pi * R).sum(axis=1)
    return np.linalg.solve(np.eye(len(P)) - gamma * P_pi, r_pi)


def optimal_exact(P, gamma, theta=1e-10, **slips):
    """(V*, Q*) by policy iteration with exact evaluation (terminates: ties keep the current action)."""
    T, R = arrays(P, **slips)
    n_s = R.shape[0]
    pi = np.zeros(n_s, dtype=int)
    while True:
        V = np.linalg.solve(np.eye(n_s) - gamma * T[np.arange(n_s), pi], R[np.arange(n_s), pi])
        Q = R + gamma * T @ V
        better = Q.max(axis=1) > Q[np.arange(n_s), pi] + 1e-12
        if not better.any():
            return V, Q
        pi = np.where(better, Q.argmax(axis=1), pi)


# ------------------------------------------------------------------ the MDPs
@functools.cache
def gym_P(env_id: str, **kwargs):
    import gymnasium as gym

    return gym.make(env_id, **kwargs).unwrapped.P


def synthetic_mdp(seed: int, n_s: int, n_a: int):
    """Random outcomes (the most likely one not always first), rewards, and terminal transitions that
    land in ordinary states, whose values are far from zero."""
    rng = np.random.default_rng(seed)
    P = {}
    for s in range(n_s):
        P[s] = {}
        for a in range(n_a):
            k = int(rng.integers(1, 4))
            probs = rng.dirichlet(np.ones(k))
            P[s][a] = [(float(p), int(rng.integers(n_s)), float(np.round(rng.normal(1.0, 1.0), 3)),
                        bool(rng.random() < 0.3)) for p in probs]
    return P


def slow_chain(n_s: int, reward: float):
    """State 0 loops on itself with a small reward (it converges slowly); every other state ends at once."""
    P = {0: {a: [(1.0, 0, reward, False)] for a in range(2)}}
    for s in range(1, n_s):
        P[s] = {a: [(1.0, s, 0.0, True)] for a in range(2)}
    return P


def uniform(P):
    return np.full((len(P), len(P[0])), 1.0 / len(P[0]))


def random_policy(P, rng, deterministic=False):
    n_s, n_a = len(P), len(P[0])
    if deterministic:
        return np.eye(n_a)[rng.integers(n_a, size=n_s)]
    return rng.dirichlet(np.ones(n_a), size=n_s)


class GymMDP(NamedTuple):
    """A Gymnasium environment whose ``unwrapped.P`` is graded, and how feedback names it."""
    env_id: str
    kwargs: tuple
    label: str


FL4 = GymMDP("FrozenLake-v1", (("map_name", "4x4"), ("is_slippery", True)), "FrozenLake-v1 4x4 (slippery)")
FL8 = GymMDP("FrozenLake-v1", (("map_name", "8x8"), ("is_slippery", True)), "FrozenLake-v1 8x8 (slippery)")
CLIFF = GymMDP("CliffWalking-v1", (), "CliffWalking-v1")


def _env_P(env: GymMDP):
    return gym_P(env.env_id, **dict(env.kwargs))


MEAN_TRAP = ("a 300-state MDP in which one state converges slowly and all others at once (gamma=0.99)", 300,
             1e-4, 0.99)
COUNT_TRAP = ("a 3-state MDP with gamma=0.999 (thousands of sweeps to converge)", 3, 1e-3, 0.999)


def _trap_case(trap, with_policy, tags):
    label, n_s, reward, gamma = trap
    P = slow_chain(n_s, reward)
    args = (P, uniform(P), gamma) if with_policy else (P, gamma)
    return Case(args, {}, label, tags=frozenset(tags))


# ------------------------------------------------------------------ mistakes
def _under_converged(case, value, exact) -> bool:
    """The slow state (0) moved towards its value but stopped short; every other state is right."""
    if value is None or value.shape != exact.shape:
        return False
    v0, e0 = value[0], exact[0]
    short = 0 < v0 < e0 and e0 - v0 > 1e-6 + 1e-6 * abs(e0)
    return bool(short and np.allclose(value[1:], exact[1:], rtol=1e-6, atol=1e-6))


def _stop_detector(tag):
    def detect(case, obs, expected):
        if tag not in case.tags or "value" not in obs:
            return False
        value = obs["value"]
        if "pair" in case.tags:
            value = value[0] if isinstance(value, (tuple, list)) and len(value) == 2 else None
        exact = expected[0] if "pair" in case.tags else expected
        return _under_converged(case, as_vector(value), np.asarray(exact))
    return detect


FIXED = Mistake("fixed-iterations", "your values stopped short of convergence: sweep until the largest change of "
                "any state in a sweep, max_s |V_new(s) - V(s)|, is below theta; a fixed number of sweeps is not "
                "enough when gamma is close to 1", detect=_stop_detector("count-trap"))
MEAN = Mistake("mean-change", "you stopped when the mean change over the states was below theta: most states "
               "converge at once here, which hides the one that does not; stop on the largest change (max over "
               "states)", detect=_stop_detector("mean-trap"))
BOOT = "you bootstrapped through a transition whose `terminated` flag is set: such a transition contributes its " \
       "reward only, p * r, with no gamma * V(s') (the next state may still have a value of its own)"
FIRST = "you used only one outcome of each action: P[s][a] lists every (prob, next_state, reward, terminated); " \
        "sum prob * (reward + ...) over all of them (FrozenLake is slippery)"


def _eval_mistakes():
    return (FIXED, MEAN,
            Mistake("bootstraps-terminal", BOOT, variant=functools.partial(evaluate_exact, bootstrap_terminal=True)),
            *(Mistake("first-outcome-only", FIRST, variant=functools.partial(evaluate_exact, outcome=o))
              for o in ("first", "first-weighted", "likely")))


def _optimal_variant(**slips):
    return lambda P, gamma, theta=1e-10: optimal_exact(P, gamma, **slips)[0]


VI_VALUE_MISTAKES = (
    FIXED, MEAN,
    Mistake("bootstraps-terminal", BOOT, variant=_optimal_variant(bootstrap_terminal=True)),
    *(Mistake("first-outcome-only", FIRST, variant=_optimal_variant(outcome=o))
      for o in ("first", "first-weighted", "likely")),
)
MAX_OVER_STATES = "you took the max (or argmax) over states instead of over actions: for each state s, " \
                  "V(s) = max over a of Q(s, a), i.e. Q.max(axis=1) for Q of shape (n_states, n_actions)"


# ------------------------------------------------------------------ value_iteration judges
def _pair(obs):
    value = obs.get("value")
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value
    return None


def _greedy_matrix(policy, n_s, n_a):
    """The returned greedy policy as an (n_states, n_actions) matrix, or a reason it is not one."""
    arr = to_numpy(policy)
    try:
        arr = np.asarray(arr, dtype=float)
    except (TypeError, ValueError):
        return None, "the policy is not an array"
    if arr.shape == (n_s,):
        if not np.all((arr == np.round(arr)) & (arr >= 0) & (arr < n_a)):
            return None, f"the policy holds values that are not actions 0..{n_a - 1}"
        return np.eye(n_a)[arr.astype(int)], None
    if arr.shape == (n_s, n_a):
        if np.any(arr < -1e-12) or not np.allclose(arr.sum(axis=1), 1.0, atol=1e-9):
            return None, "the rows of the (n_states, n_actions) policy are not probability distributions"
        return arr, None
    if arr.shape == (n_a,) and n_a != n_s:
        return None, "max-over-states"
    return None, f"the policy has shape {arr.shape}; return (n_states,) actions or an (n_states, n_actions) array"


def _value_judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        pair = _pair(obs)
        if pair is None:
            return incorrect(case, "value_iteration must return a pair (V, policy).")
        exact = optimal_exact(*case.args)[0]
        value = as_vector(pair[0])
        n_s, n_a = len(case.args[0]), len(case.args[0][0])
        if n_a != n_s and as_vector(pair[0], n_a) is not None:
            return incorrect(case, MAX_OVER_STATES + ".", "max-over-states")
        problem = TOL(pair[0], exact)
        if problem is None:
            continue
        for m in VI_VALUE_MISTAKES:
            if (m.detect is not None and m.detect(case, {"value": pair}, (exact,))) or \
                    (m.variant is not None and matches_mistake(m, case, {"value": pair[0]}, exact, TOL)):
                return incorrect(case, m.message + ".", m.id)
        if value is not None and value.shape == exact.shape and np.ptp(value) == 0 < np.ptp(exact):
            return incorrect(case, MAX_OVER_STATES + ".", "max-over-states")     # one value for every state
        return incorrect(case, f"expected V*, the optimal state values; {problem}.")
    return None


def _policy_judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            return error_failure(case, obs["error"])
        pair = _pair(obs)
        if pair is None:
            return incorrect(case, "value_iteration must return a pair (V, policy).")
        P, gamma = case.args
        n_s, n_a = len(P), len(P[0])
        matrix, problem = _greedy_matrix(pair[1], n_s, n_a)
        if problem == "max-over-states":
            return incorrect(case, MAX_OVER_STATES + ".", "max-over-states")
        if problem:
            return incorrect(case, problem + ".")
        exact = optimal_exact(P, gamma)[0]
        value = evaluate_exact(P, matrix, gamma)
        worse = ~np.isclose(value, exact, rtol=1e-6, atol=1e-6)
        if worse.any():
            return incorrect(case, f"following your greedy policy is worse than optimal in {int(worse.sum())} of "
                             f"{n_s} states: take argmax over a of sum_outcomes p * (r + gamma * V*(s') * "
                             "(not terminated)) with the converged V*.", "policy-not-greedy")
    return None


# ------------------------------------------------------------------ cases
def _eval_example():
    P = _env_P(FL4)
    return [Case((P, uniform(P), 0.99), {}, f"{FL4.label}, uniform random policy, gamma=0.99")]


def _eval_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "policy_evaluation", "random"))
    cases = []
    for env, gamma in [(FL8, 0.95), (CLIFF, 0.9)]:
        P = _env_P(env)
        cases.append(Case((P, random_policy(P, rng), gamma), {}, f"{env.label}, a random stochastic policy, "
                          f"gamma={gamma}"))
    for n_s, n_a, gamma, det in [(7, 3, 0.9, False), (9, 2, 0.8, True)]:
        P = synthetic_mdp(int(rng.integers(1 << 30)), n_s, n_a)
        kind = "a deterministic (one-hot)" if det else "a random stochastic"
        cases.append(Case((P, random_policy(P, rng, det), gamma), {}, f"a synthetic {n_s}-state MDP whose "
                          f"terminal transitions lead to ordinary states, {kind} policy, gamma={gamma}"))
    return cases


def _eval_stop_cases():
    return [_trap_case(COUNT_TRAP, True, {"count-trap"}), _trap_case(MEAN_TRAP, True, {"mean-trap"})]


def _vi_cases(envs, traps=()):
    rng = np.random.default_rng(seed_for(MODULE_ID, "policy_evaluation", "vi"))
    cases = []
    for env, gamma in envs:
        cases.append(Case((_env_P(env), gamma), {}, f"{env.label}, gamma={gamma}", tags=frozenset({"pair"})))
    for n_s, n_a, gamma in [(8, 3, 0.9)]:
        P = synthetic_mdp(int(rng.integers(1 << 30)), n_s, n_a)
        cases.append(Case((P, gamma), {}, f"a synthetic {n_s}-state MDP whose terminal transitions lead to "
                          f"ordinary states, gamma={gamma}", tags=frozenset({"pair"})))
    for trap, tag in traps:
        cases.append(_trap_case(trap, False, {tag, "pair"}))
    return cases


policy_evaluation = Exercise(
    "policy_evaluation",
    skill="dynamic programming",
    hints=(
        ("Bellman backups: V(s) = sum_a pi(a|s) sum_outcomes p * (r + gamma * V(s') * (not terminated)); value "
        "iteration replaces the sum over actions by a max. Repeat sweeps until nothing changes by more than theta."),
        ("Loop over states, actions and every (p, s', r, terminated) in P[s][a]; keep the largest |V_new(s) - V(s)| "
        "of the sweep and stop when it is below theta. The greedy policy is the argmax over actions of the same "
        "backup with the converged V."),
        ("`q = sum(p * (r + (0.0 if terminated else gamma * V[s2])) for p, s2, r, terminated in P[s][a])`; "
        "`delta = max(delta, abs(new - V[s]))` and `if delta < theta: break`"),
    ),
    checks=(
        Check("policy_evaluation: the example in the notebook", 1, _eval_example,
              returns(evaluate_exact, TOL, _eval_mistakes(), expect_text="V of the policy"), timeout=20),
        Check("policy_evaluation matches the exact linear solve (FrozenLake 8x8, CliffWalking, synthetic MDPs), "
              "policy unchanged", 3, _eval_cases,
              all_pass(returns(evaluate_exact, TOL, _eval_mistakes(), expect_text="V of the policy"),
                       unchanged_inputs((1,), message="your function changed the policy array in place")),
              keep_args=True, timeout=40),
        Check("policy_evaluation stops when the largest change is below theta", 2, _eval_stop_cases,
              returns(evaluate_exact, TOL, _eval_mistakes(), expect_text="V of the policy"), timeout=40),
        Check("value_iteration: V* matches the exact solution", 2,
              lambda: _vi_cases([(FL4, 0.99), (FL8, 0.95), (CLIFF, 0.95)],
                                [(COUNT_TRAP, "count-trap"), (MEAN_TRAP, "mean-trap")]),
              _value_judge, target="value_iteration", timeout=60),
        Check("value_iteration: the greedy policy is optimal (graded by its exact value)", 2,
              lambda: _vi_cases([(FL4, 0.99), (CLIFF, 0.95)]), _policy_judge, target="value_iteration", timeout=30),
    ),
)
