"""train_cartpole(env, seed=0): a policy-gradient agent that balances CartPole-v1 within a step budget.

Graded once (seed 0) on the env handed over by the probe: a CartPole-v1 wrapped in
``helpers.StepBudget`` (counts steps, refuses the 250,001st) while every other CartPole refuses to
be created or stepped. The returned greedy policy is then played on episodes reset with seeds
1000..1009 (float32 observations); their mean return must reach 195. The budget is counted in
environment steps, so the grade does not depend on the machine's speed; the wall-clock cap (the
check's timeout, times MLKATA_TIME_SCALE) only stops runaways.
"""
from __future__ import annotations

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, Mistake

from .sandbox_probes import cartpole_probe

BUDGET = 250_000
TARGET = 195.0
EVAL_SEEDS = tuple(range(1000, 1010))
WALL_CLOCK_S = 120


def _trend(lengths):
    """Mean length of the first 20 training episodes (the untrained policy) and of the last 100."""
    lengths = np.asarray(lengths, dtype=float)
    return float(lengths[:20].mean()), float(lengths[-100:].mean())


def _judge(cases, observations):
    case, rec = cases[0], observations
    log = rec.get("log", {})
    if rec.get("private"):
        return incorrect(case, "your training created or stepped a CartPole environment of its own: train on the "
                         "env you are given (the grader counts its steps; an env of your own escapes the budget).",
                         "private-env")
    error = rec.get("error")
    if error and error.get("type") == "StepBudgetExceeded" or log.get("steps", 0) > BUDGET:
        return incorrect(case, f"training went past the budget of {BUDGET:,} steps of the env: count every "
                         "env.step() call (evaluation rollouts on that env count too) and stop in time.",
                         "budget-exceeded")
    if error:
        return error_failure(case, error)
    if "policy" in rec:
        return incorrect(case, f"train_cartpole returned {rec['policy']}; return a function policy(obs) -> int.")
    if "bad_action" in rec:
        return incorrect(case, f"your policy returned {rec['bad_action']} for a float32 observation; return an "
                         "int action, 0 or 1 (e.g. int(logits.argmax())).", "not-an-int")
    if log.get("steps", 0) == 0:
        return incorrect(case, "train_cartpole never stepped the env it was given: train on it.", "no-training")
    mean = float(np.mean(rec["returns"]))
    if mean >= TARGET:
        return None
    lengths = log.get("lengths", [])
    summary = f"your greedy policy averaged {mean:.1f} over the 10 evaluation episodes (target {TARGET:g}) " \
              f"after {log['steps']:,} training steps in {len(lengths)} episodes"
    if len(lengths) >= 200:
        first, last = _trend(lengths)
        if last < 0.7 * first:
            return incorrect(case, f"{summary}, and the training episodes got SHORTER (about {first:.0f} steps at "
                             f"first, {last:.0f} at the end): the update descends the return. The loss to "
                             "minimise is -mean(log pi(a|s) * advantage).", "loss-sign")
    return incorrect(case, f"{summary}. Normalise the returns-to-go (subtract the mean, divide by the std) or use "
                     "a baseline, use the rewards-to-go rather than the whole-episode return, and Adam with a "
                     "learning rate around 1e-2 on batches of a few thousand steps.", "never-learns")


train_cartpole = Exercise(
    "train_cartpole",
    skill="policy gradients",
    cell_timeout=20.0,
    hints=(
        ("REINFORCE: play episodes with a stochastic policy, then raise the log-probability of each action in "
        "proportion to the (normalised) return that followed it. A small MLP and a few dozen updates are enough."),
        ("Collect about 2,000-5,000 steps per update from `env` (reset(seed=seed) the first time), compute "
        "rewards-to-go with discounted_returns, normalise them, loss = -(log_probs * advantages).mean(), Adam "
        "lr 1e-2; stop when recent episodes last ~300 steps or before the budget runs out; return the greedy policy."),
        ("`logp = torch.log_softmax(net(obs_batch), -1)[torch.arange(n), actions]`; `loss = -(logp * adv).mean()`; "
        "`return lambda obs: int(net(torch.as_tensor(obs)).argmax())`"),
    ),
    checks=(
        Check(f"the greedy policy's mean return over 10 seeded episodes is at least {TARGET:g}, after at most "
              f"{BUDGET:,} steps of the given env", 10,
              [Case((), {}, f"train_cartpole(env, seed=0) on CartPole-v1, evaluated with reset seeds "
                    f"{EVAL_SEEDS[0]}..{EVAL_SEEDS[-1]}")],
              _judge, probe=cartpole_probe, probe_args=lambda t, cases: (t, BUDGET, EVAL_SEEDS),
              timeout=WALL_CLOCK_S + 20,
              timeout_mistake=Mistake("too-slow", f"training must finish well within {WALL_CLOCK_S} s on one torch "
                                      "thread: sample actions without building a distribution object per step, and "
                                      "update on whole batches")),
    ),
)
