"""Sandbox-side probes of 11_rl: run learner code on environments and inputs, report plain data.

Each probe runs in a forked child of the sandbox, calls learner code only through ``ctx.run`` or
``ctx.observe``, and returns observations (actions drawn, values, gradients, what an env saw),
never a verdict. Expected values never come here; the judges replay the references in the
grading process.
"""
from __future__ import annotations

import random
import sys
import time

import gymnasium as gym
import numpy as np

from graders.engine.sandbox.probes import shares_child
from graders.engine.sandbox.probing import LearnerFailure

from .helpers import POLICIES, CountingPolicy, Recorder, StepBudget, arm_guard, disarm_guard, make_trap_env


def _torch():
    """torch, imported here on first use: the sandbox has it preloaded; the grading process imports this
    file only to name the probes and does not need it."""
    import torch

    return torch


def is_tensor(value) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def what(value) -> str:
    if is_tensor(value):
        return f"a tensor of shape {tuple(value.shape)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"a value of type {type(value).__name__}"


def as_int_action(value):
    """The action as an int, or None when it is not an integer (numpy integers count; bools do not)."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, np.ndarray) and value.shape == () and value.dtype.kind in "iu":
        return int(value)            # a 0-d integer array: Gymnasium's Discrete space accepts it too
    return None


# ------------------------------------------------------------------ q_learning
def make_env(name: str):
    if name == "trap":
        return make_trap_env()
    return gym.make(name)


@shares_child
def q_learning_probe(ctx, target, runs):
    """runs: (env id, kwargs, step cap); each on a fresh env inside a strict Recorder. Q and the env's log."""
    fn = ctx.lookup(target)
    out = []
    for i, (env_name, kwargs, max_steps) in enumerate(runs):
        ctx.progress(i)
        env = Recorder(make_env(env_name), strict=True, max_steps=max_steps)
        obs = ctx.observe(fn, (env,), dict(kwargs))
        obs["log"] = env.log()
        out.append(obs)
        if "error" in obs:
            break                      # the judge reports the first failure; the other runs would only cost time
    return out


# ------------------------------------------------------------------ epsilon_greedy
def _draw(ctx, fn, q, epsilon, rng):
    action = ctx.run(fn, q.copy(), epsilon, rng, stage="epsilon_greedy")
    return as_int_action(action), action


def epsilon_counts_probe(ctx, target, cases):
    """cases: (q_values, epsilon, seed, n). How often each action came back from n calls on one rng."""
    fn = ctx.lookup(target)
    out = []
    for i, (q, epsilon, seed, n) in enumerate(cases):
        ctx.progress(i)
        rng = np.random.default_rng(seed)
        counts, bad = np.zeros(len(q), dtype=np.int64), None
        for _ in range(n):
            action, raw = _draw(ctx, fn, q, epsilon, rng)
            if action is None or not 0 <= action < len(q):
                bad = what(raw) if action is None else f"the action {action}"
                break
            counts[action] += 1
        out.append({"counts": counts.tolist(), "bad": bad})
    return out


def epsilon_sequence_probe(ctx, target, q, epsilon, seed, n):
    """Two generators in the same state, with the global generators seeded differently before each:
    the two sequences of actions."""
    fn = ctx.lookup(target)
    sequences = []
    for glob in (11, 2024):
        random.seed(glob)
        np.random.seed(glob)
        _torch().manual_seed(glob)
        rng = np.random.default_rng(seed)
        seq = []
        for _ in range(n):
            action, raw = _draw(ctx, fn, q, epsilon, rng)
            if action is None or not 0 <= action < len(q):
                return {"bad": what(raw) if action is None else f"the action {action}"}
            seq.append(action)
        sequences.append(seq)
    return {"sequences": sequences}


# ------------------------------------------------------------------ ReplayBuffer
def obs_shape_of(obs_shape) -> tuple:
    return (int(obs_shape),) if np.ndim(obs_shape) == 0 else tuple(int(d) for d in obs_shape)


def transition(i: int, shape: tuple, n_actions: int):
    """Transition number i: every field encodes i, so a sampled row says which transition it came from."""
    obs = i + np.arange(int(np.prod(shape)), dtype=np.float64).reshape(shape) / 100.0
    return obs, i % n_actions, float(i) + 0.25, obs + 0.5, i % 3 == 0


FIELDS = ("obs", "action", "reward", "next_obs", "terminated")


def _as_array(value):
    if is_tensor(value):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _fill(ctx, buf, spec):
    shape = obs_shape_of(spec["obs_shape"])
    scratch = (np.empty(shape), np.empty(shape))
    for i in range(spec["adds"]):
        obs, action, reward, next_obs, terminated = transition(i, shape, spec["n_actions"])
        if spec.get("reuse"):        # one array, overwritten before every add, as env wrappers do
            scratch[0][...], scratch[1][...] = obs, next_obs
            obs, next_obs = scratch
        ctx.run(buf.add, obs, action, reward, next_obs, terminated, stage="add")


def _samples(ctx, buf, spec) -> dict:
    rec: dict = {"batches": []}
    for batch_size, repeats in spec["samples"]:
        for _ in range(repeats):
            try:
                batch = ctx.run(buf.sample, batch_size, stage="sample")
            except LearnerFailure as failure:
                if failure.info.get("not_implemented"):
                    raise
                rec.update(sample_error=failure.info, asked=batch_size)
                return rec
            if not isinstance(batch, dict) or any(k not in batch for k in FIELDS):
                keys = sorted(map(str, batch)) if isinstance(batch, dict) else None
                rec["bad"] = f"a dict with keys {keys}" if keys is not None else what(batch)
                return rec
            rec["batches"].append({k: _as_array(batch[k]) for k in FIELDS} | {"size": batch_size})
    return rec


@shares_child
def replay_probe(ctx, target, spec):
    """Build the buffer (once per entry of spec["builds"]: (seed, global seed)), add transitions, sample."""
    cls = ctx.lookup(target)
    out = []
    for k, (seed, glob) in enumerate(spec.get("builds", [(spec.get("seed", 0), 0)])):
        ctx.progress(k)
        np.random.seed(glob)
        random.seed(glob)
        _torch().manual_seed(glob)
        buf = ctx.run(cls, spec["capacity"], spec["obs_shape"], seed=seed, stage="the constructor")
        _fill(ctx, buf, spec)
        length = ctx.run(len, buf, stage="len()")
        out.append({"len": int(length), **_samples(ctx, buf, spec)})
    return ctx.plain(out)


# ------------------------------------------------------------------ torch losses
def _weights(out):
    """Fixed weights for a weighted sum of the output, so every element's gradient counts differently."""
    torch = _torch()
    n = out.numel()
    return torch.linspace(0.5, 1.5, n, dtype=out.dtype).reshape(out.shape) if n > 1 else torch.ones_like(out)


def as_tensors(arrays, dtype: str):
    """The case's numpy arrays as torch tensors of ``dtype`` ("float32" or "float64")."""
    torch = _torch()
    return [torch.tensor(a, dtype=getattr(torch, dtype)) for a in arrays]


@shares_child
def grad_probe(ctx, target, cases):
    """cases: ((arrays, dtype), kwargs). Call with leaf tensors that require grad; the value, and the gradients
    of (weights * output).sum() with respect to each input (None when no gradient reached it)."""
    fn = ctx.lookup(target)
    out = []
    for i, ((arrays, dtype), kwargs) in enumerate(cases):
        ctx.progress(i)
        leaves = [t.requires_grad_(True) for t in as_tensors(arrays, dtype)]
        value = ctx.run(fn, *leaves, stage=target, **kwargs)
        rec = {"value": ctx.plain(value), "grads": None}
        if is_tensor(value) and value.requires_grad:
            ctx.run(lambda v=value: (v * _weights(v)).sum().backward(), stage="backward")
            rec["grads"] = [ctx.plain(leaf.grad) for leaf in leaves]
        out.append(rec)
    return out


# ------------------------------------------------------------------ EpisodeStats and evaluate_policy
def _unpack(out, n, stage):
    """A reset()/step() result as Gymnasium's API says, with a CartPole observation; else the learner's error."""
    problem = None
    if not isinstance(out, tuple) or len(out) != n:
        problem = f"{stage} returned {what(out)}, not a tuple of {n} items as Gymnasium's API says"
    elif np.shape(out[0]) != (4,):
        problem = f"{stage} returned an observation that is {what(out[0])}, not CartPole's 4 numbers"
    if problem:
        raise LearnerFailure({"type": "TypeError", "message": problem, "trace": [], "stage": stage,
                              "not_implemented": False})
    return out


def run_episodes(env, episodes, step_env, reset_env):
    """Play ``episodes`` ((reset seed or None, policy name, cut after n steps or None)) on ``env``; the
    record of every step. Shared by the probe (learner's wrapper) and the oracle (Gymnasium's)."""
    steps = []
    for k, (seed, policy, cut) in enumerate(episodes):
        obs, info = reset_env(env, seed)
        steps.append({"reset": k, "episode": _episode_info(info)})
        for n in range(1, 601):
            obs, reward, terminated, truncated, info = step_env(env, POLICIES[policy](obs))
            steps.append({"obs": np.asarray(obs), "reward": reward, "terminated": bool(terminated),
                          "truncated": bool(truncated), "episode": _episode_info(info)})
            if terminated or truncated or (cut is not None and n >= cut):
                break
    return steps


def _episode_info(info):
    if not isinstance(info, dict):
        return ("not-a-dict", type(info).__name__)
    if "episode" not in info:
        return None
    return info["episode"]


@shares_child
def episode_stats_probe(ctx, target, max_steps, episodes):
    cls = ctx.lookup(target)
    env = ctx.run(cls, gym.make("CartPole-v1", max_episode_steps=max_steps), stage="EpisodeStats(env)")

    def reset_env(env, seed):
        kwargs = {} if seed is None else {"seed": seed}
        return _unpack(ctx.run(env.reset, stage="reset", **kwargs), 2, "reset()")

    def step_env(env, action):
        return _unpack(ctx.run(env.step, action, stage="step"), 5, "step()")

    return ctx.plain(run_episodes(env, episodes, step_env, reset_env))


def evaluate_probe(ctx, target, cases):
    """cases: (max_episode_steps, policy name, n_episodes, seed or None for the default)."""
    fn = ctx.lookup(target)
    out = []
    for i, (max_steps, policy_name, n_episodes, seed) in enumerate(cases):
        ctx.progress(i)
        env = Recorder(gym.make("CartPole-v1", max_episode_steps=max_steps), strict=True)
        policy = CountingPolicy(policy_name)
        obs = ctx.observe(fn, (env, policy, n_episodes), {} if seed is None else {"seed": seed})
        obs["log"] = env.log()
        obs["policy_calls"] = policy.calls
        out.append(obs)
    return out


# ------------------------------------------------------------------ train_cartpole
def cartpole_probe(ctx, target, budget, eval_seeds):
    """Train on a step-counting CartPole (no other CartPole may be created or stepped meanwhile), then
    play the returned policy greedily on episodes reset with ``eval_seeds``."""
    fn = ctx.lookup(target)
    env = StepBudget(gym.make("CartPole-v1"), budget)
    rec: dict = {}
    arm_guard(env.unwrapped)
    start = time.perf_counter()
    try:
        policy = ctx.run(fn, env, 0, stage="train_cartpole")
    except LearnerFailure as failure:
        rec["error"], policy = failure.info, None
    finally:
        rec["private"] = disarm_guard()
    rec.update(seconds=time.perf_counter() - start, log=env.log())
    if "error" in rec:
        return rec
    if not callable(policy):
        rec["policy"] = what(policy)
        return rec
    eval_env = gym.make("CartPole-v1")
    returns = []
    for k, seed in enumerate(eval_seeds):
        ctx.progress(k)
        obs, _ = eval_env.reset(seed=int(seed))
        total = 0.0
        while True:
            raw = ctx.run(policy, obs.copy(), stage="policy(obs)")
            action = as_int_action(raw)
            if action not in (0, 1):
                rec["bad_action"] = what(raw) if action is None else f"the action {action}"
                return rec
            obs, reward, terminated, truncated, _ = eval_env.step(action)
            total += float(reward)
            if terminated or truncated:
                break
        returns.append(total)
    rec["returns"] = returns
    return rec
