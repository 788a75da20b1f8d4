"""discounted_returns and gae (one answer cell): rewards-to-go and generalised advantage estimation.

Pinned: dones[t] = 1 when the transition at step t ended the episode, so
    G_t = r_t + gamma (1 - d_t) G_{t+1}   (no bootstrap past the last step),
    delta_t = r_t + gamma V_{t+1} (1 - d_t) - V_t   with V_T = last_value,
    A_t = delta_t + gamma lam (1 - d_t) A_{t+1},   returns = A + V.
Every variant below is one switch away from the reference, so each slip is named exactly.
"""
from __future__ import annotations

import numpy as np

from graders.engine.compare import close, each
from graders.engine.judges import all_pass, returns, unchanged_inputs
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID


def _float(a):
    return np.asarray(a, dtype=np.float64)


def discounted_ref(rewards, dones, gamma, mask="done"):
    r, d = _float(rewards), _float(dones)
    if mask == "none":
        d = np.zeros_like(d)
    elif mask == "next":                      # the reset lands one step early
        d = np.append(d[1:], 0.0)
    out, g = np.zeros_like(r), 0.0
    for t in range(len(r) - 1, -1, -1):
        g = r[t] + gamma * (1.0 - d[t]) * g
        out[t] = g
    return out


def gae_ref(rewards, values, dones, last_value, gamma=0.99, lam=0.95, mask_delta=True, mask_trace=True,
            final_bootstrap=False, lam_on_delta=False, mc_returns=False):
    r, v, d = _float(rewards), _float(values), _float(dones)
    adv, next_value, next_adv = np.zeros_like(r), float(last_value), 0.0
    for t in range(len(r) - 1, -1, -1):
        keep_value = 1.0 if (not mask_delta or (final_bootstrap and t == len(r) - 1)) else 1.0 - d[t]
        keep_trace = 1.0 - d[t] if mask_trace else 1.0
        delta = r[t] + gamma * next_value * keep_value - v[t]
        adv[t] = lam * delta + gamma * keep_trace * next_adv if lam_on_delta else \
            delta + gamma * lam * keep_trace * next_adv
        next_value, next_adv = v[t], adv[t]
    rets = discounted_ref(r, d, gamma) if mc_returns else adv + v
    return adv, rets


def _variant(**switches):
    return lambda *args, **kwargs: gae_ref(*args, **kwargs, **switches)


RETURN_MISTAKES = (
    Mistake("no-reset", "the return did not restart after an episode ended: multiply the running return by "
            "(1 - dones[t]) so a done cuts the sum", variant=lambda r, d, g: discounted_ref(r, d, g, mask="none")),
    Mistake("reset-off-by-one", "the cut is one step off: the return of the step that ended the episode must be "
            "just its reward, G_t = r_t + gamma * (1 - dones[t]) * G_{t+1}",
            variant=lambda r, d, g: discounted_ref(r, d, g, mask="next")),
)
GAE_MISTAKES = (
    Mistake("no-reset", "the advantages ran across episode boundaries: at a done both the bootstrap value "
            "V_{t+1} and the trace A_{t+1} must be multiplied by (1 - dones[t])",
            variant=_variant(mask_delta=False, mask_trace=False)),
    Mistake("bootstrap-not-masked", "the TD residual bootstrapped through a done: use "
            "delta_t = r_t + gamma * V_{t+1} * (1 - dones[t]) - V_t (the next value belongs to another episode)",
            variant=_variant(mask_delta=False)),
    Mistake("trace-not-cut", "the trace was not cut at a done: A_t = delta_t + gamma * lam * (1 - dones[t]) * "
            "A_{t+1}; the next advantage belongs to another episode", variant=_variant(mask_trace=False)),
    Mistake("last-value-after-done", "`last_value` was used although the last step ended its episode: it "
            "belongs to the next episode, so mask it with (1 - dones[-1]) like any other bootstrap",
            variant=_variant(final_bootstrap=True)),
    Mistake("lam-on-residual", "lambda multiplied the TD residual instead of the trace: "
            "A_t = delta_t + gamma * lam * (1 - dones[t]) * A_{t+1}", variant=_variant(lam_on_delta=True)),
    Mistake("returns-not-adv-plus-values", "the returns must be advantages + values (the critic's target), not "
            "the discounted rewards-to-go", variant=_variant(mc_returns=True)),
)
MUTATES = "your function changed its input arrays in place; compute into new arrays"


def _dones(rng, T, inner, final, as_bool):
    d = np.zeros(T, dtype=bool)
    if inner:
        d[rng.choice(np.arange(1, T - 1), size=inner, replace=False)] = True
    d[-1] = final
    return d if as_bool else d.astype(np.float64)


def _label(T, d, extra):
    kind = "bool" if np.asarray(d).dtype == bool else "0/1 float"
    ends = int(np.sum(d[:-1])) if T > 1 else 0
    last = ", the last step ends an episode" if d[-1] else ""
    return f"T={T} steps, {kind} dones with {ends} episode end(s) inside{last}, {extra}"


def _return_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "discounted_returns", "random"))
    cases = []
    for T, inner, final, as_bool, gamma in [(12, 2, False, True, 0.95), (20, 3, True, False, 0.99),
                                            (9, 0, False, True, 0.9), (1, 0, True, False, 0.9),
                                            (15, 4, False, False, 1.0)]:
        r, d = rng.normal(size=T), _dones(rng, T, inner, final, as_bool)
        cases.append(Case((r, d, gamma), {}, _label(T, d, f"gamma={gamma}")))
    return cases


def _gae_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "discounted_returns", "gae"))
    cases = []
    for T, inner, final, as_bool, kw in [(16, 2, False, True, {"gamma": 0.97, "lam": 0.9}),
                                         (10, 1, False, False, {}),
                                         (25, 3, False, True, {"gamma": 0.99, "lam": 1.0}),
                                         (8, 2, False, False, {"gamma": 0.9, "lam": 0.0}),
                                         (12, 2, False, True, {"gamma": 0.95, "lam": 0.8})]:
        r, v, d = rng.normal(size=T), rng.normal(size=T), _dones(rng, T, inner, final, as_bool)
        last = float(rng.normal() * 3)
        extra = ", ".join(f"{k}={val}" for k, val in kw.items()) or "default gamma and lam"
        cases.append(Case((r, v, d, last), kw, _label(T, d, extra)))
    return cases


def _final_done_cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "discounted_returns", "final"))
    cases = []
    for T, inner, as_bool, kw in [(9, 1, True, {"gamma": 0.9, "lam": 0.95}), (1, 0, False, {"gamma": 0.99}),
                                  (14, 3, False, {"gamma": 0.98, "lam": 0.7})]:
        r, v, d = rng.normal(size=T), rng.normal(size=T), _dones(rng, T, inner, True, as_bool)
        extra = ", ".join(f"{k}={val}" for k, val in kw.items()) + ", last_value = 50 (another episode's)"
        cases.append(Case((r, v, d, 50.0), kw, _label(T, d, extra)))
    return cases


PAIR = each(close(), close(), names=("advantages", "returns"))
DR_EXAMPLE = [Case((np.ones(5), np.array([0.0, 0.0, 1.0, 0.0, 0.0]), 0.9), {},
                   "the notebook's example: rewards all 1, dones [0, 0, 1, 0, 0], gamma=0.9")]
GAE_EXAMPLE = [Case((np.ones(4), np.full(4, 0.5), np.array([False, True, False, False]), 2.0),
                    {"gamma": 0.9, "lam": 0.8}, "the notebook's example: T=4, a done at t=1, gamma=0.9, lam=0.8")]

discounted_returns = Exercise(
    "discounted_returns",
    skill="returns and advantages",
    hints=(
        ("Work backwards from the last step: a return is the reward now plus the discounted return from the "
        "next step, unless this step ended the episode. GAE does the same with TD residuals instead of rewards."),
        ("Keep a running value `g` (and for GAE the next value and the next advantage); multiply whatever comes "
        "from step t+1 by (1 - dones[t]). For GAE start with next value = last_value and next advantage = 0."),
        ("`for t in reversed(range(T)): nonterminal = 1.0 - dones[t]; delta = rewards[t] + gamma * next_value * "
        "nonterminal - values[t]; adv[t] = delta + gamma * lam * nonterminal * next_adv; next_value, next_adv = "
        "values[t], adv[t]`"),
    ),
    checks=(
        Check("discounted_returns: the example in the notebook", 1, DR_EXAMPLE,
              returns(discounted_ref, close(), RETURN_MISTAKES, expect_text="the rewards-to-go")),
        Check("discounted_returns restarts after every done, inputs unchanged", 2, _return_cases,
              all_pass(returns(discounted_ref, close(), RETURN_MISTAKES, expect_text="the rewards-to-go"),
                       unchanged_inputs((0, 1), message=MUTATES)), keep_args=True),
        Check("gae: the example in the notebook", 1, GAE_EXAMPLE,
              returns(gae_ref, PAIR, GAE_MISTAKES, expect_text="(advantages, returns)"), target="gae"),
        Check("gae matches the recursion on random rollouts with episode ends, inputs unchanged", 4, _gae_cases,
              all_pass(returns(gae_ref, PAIR, GAE_MISTAKES, expect_text="(advantages, returns)"),
                       unchanged_inputs((0, 1, 2), message=MUTATES)), target="gae", keep_args=True),
        Check("gae ignores last_value when the last step ended its episode", 2, _final_done_cases,
              returns(gae_ref, PAIR, GAE_MISTAKES, expect_text="(advantages, returns)"), target="gae"),
    ),
)
