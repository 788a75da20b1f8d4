"""EpisodeStats and evaluate_policy (one answer cell): episode statistics as Gymnasium reports them.

EpisodeStats is compared step by step with ``gymnasium.wrappers.RecordEpisodeStatistics`` on the
same scripted episodes of CartPole-v1 with ``max_episode_steps=40``: episodes that end by
truncation (a balancing policy), by termination (always left), and resets in the middle of an
episode. evaluate_policy runs on a strict Recorder (a step after the end of an episode is refused)
that logs the seeds of every reset; the returns are replayed here with the same policy.
"""
from __future__ import annotations

import functools

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise

from .common import as_vector, to_numpy
from .helpers import POLICIES
from .sandbox_probes import episode_stats_probe, evaluate_probe, run_episodes

MAX_STEPS = 40


@functools.cache
def oracle_steps(max_steps: int, episodes: tuple):
    import gymnasium as gym
    from gymnasium.wrappers import RecordEpisodeStatistics

    env = RecordEpisodeStatistics(gym.make("CartPole-v1", max_episode_steps=max_steps))
    return run_episodes(env, episodes, lambda e, a: e.step(a),
                        lambda e, seed: e.reset() if seed is None else e.reset(seed=seed))


def _number(value, integral=False):
    value = to_numpy(value)
    if isinstance(value, (bool, np.bool_)):
        return None
    if integral:
        return int(value) if isinstance(value, (int, np.integer)) else None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    if isinstance(value, np.ndarray) and value.size == 1 and value.dtype.kind in "iuf":
        return float(value.reshape(()))
    return None


def _alternatives(steps, upto):
    """(return, length) counted since the wrapper was created, and since the last episode end (resets ignored)."""
    total = since_end = 0.0
    n_total = n_since = 0
    for rec in steps[:upto + 1]:
        if "reset" in rec:
            continue
        total, since_end, n_total, n_since = total + rec["reward"], since_end + rec["reward"], n_total + 1, n_since + 1
        if rec is not steps[upto] and (rec["terminated"] or rec["truncated"]):
            since_end, n_since = 0.0, 0
    return {(total, n_total), (since_end, n_since)}


def _stats_judge(cases, observations):
    case, got = cases[0], observations
    want = oracle_steps(case.extra["max_steps"], case.extra["episodes"])
    for i, (g, w) in enumerate(zip(got, want)):
        if "reset" not in w:
            same = np.allclose(np.asarray(g.get("obs"), dtype=float), w["obs"]) and g.get("reward") == w["reward"] \
                and g.get("terminated") == w["terminated"] and g.get("truncated") == w["truncated"]
            if w["truncated"] and not g.get("truncated") and not g.get("terminated"):
                return incorrect(case, "your wrapper hid truncated=True when the time limit ended the episode: "
                                 "pass terminated and truncated through unchanged; an episode ends on either.",
                                 "truncation-ignored")
            if not same:
                return incorrect(case, "your wrapper changed what the environment returns (observation, reward, "
                                 "terminated or truncated): pass them through unchanged and only add "
                                 "info['episode'].", "changes-env-output")
        ep, want_ep = g.get("episode"), w["episode"]
        if isinstance(ep, tuple) and ep and ep[0] == "not-a-dict":
            return incorrect(case, f"info is a {ep[1]}, not a dict: return the env's info dict (adding 'episode').")
        where = "reset()" if "reset" in w else f"step {i}"
        if want_ep is None and ep is not None:
            return incorrect(case, f"info['episode'] appeared at {where}, before the episode ended: add it only on "
                             "the step that returns terminated or truncated.", "reported-early")
        if want_ep is None:
            continue
        if ep is None:
            if w["truncated"]:
                return incorrect(case, "an episode that ended by truncation (the time limit) got no "
                                 "info['episode']: an episode ends when `terminated or truncated`.",
                                 "truncation-ignored")
            return incorrect(case, "an episode that terminated got no info['episode'].")
        if not isinstance(ep, dict) or "r" not in ep or "l" not in ep:
            return incorrect(case, "info['episode'] must be a dict with keys 'r' (the return) and 'l' (the length).")
        r, length = _number(ep["r"]), _number(ep["l"], integral=True)
        if r is None or length is None:
            return incorrect(case, "info['episode']['r'] must be a number (float) and ['l'] an int.", "wrong-types")
        if np.isclose(r, want_ep["r"], rtol=1e-9, atol=1e-9) and length == want_ep["l"]:
            continue
        if (r, length) in _alternatives(got, i) or any(np.isclose(r, a) and length == n
                                                       for a, n in _alternatives(got, i)):
            return incorrect(case, "the counters carried over from before the last reset(): set the running "
                             "return and length to 0 in reset() (RecordEpisodeStatistics does).",
                             "counters-not-reset")
        if abs(length - want_ep["l"]) == 1:
            return incorrect(case, "the episode length is off by one: count every step() call of the episode, "
                             "including the last one.", "length-off-by-one")
        return incorrect(case, "info['episode'] holds the wrong numbers: 'r' is the sum of the episode's rewards "
                         "and 'l' its number of steps, counted from the last reset().")
    if len(got) != len(want):
        return incorrect(case, "the episodes did not end where they should: an episode ends on the step that "
                         "returns terminated or truncated.", "truncation-ignored")
    return None


SCENARIOS = {
    "truncation": ("CartPole-v1 with max_episode_steps=40 and a balancing policy (episodes end by truncation)",
                   ((11, "balance", None), (12, "balance", None), (None, "balance", None))),
    "termination": ("CartPole-v1 with max_episode_steps=40 and an always-left policy (episodes end by termination)",
                    ((21, "left", None), (22, "left", None), (None, "left", None))),
    "resets": ("reset() called in the middle of episodes, then whole episodes",
               ((31, "balance", 5), (32, "balance", None), (33, "left", None), (None, "balance", 12),
                (34, "sign", None))),
}


def _scenario(name):
    label, episodes = SCENARIOS[name]
    return [Case((), {}, label, extra={"max_steps": MAX_STEPS, "episodes": episodes})]


def _stats_args(target, cases):
    return (target, cases[0].extra["max_steps"], cases[0].extra["episodes"])


# ------------------------------------------------------------------ evaluate_policy
@functools.cache
def evaluate_ref(max_steps, policy_name, n_episodes, seed=0):
    import gymnasium as gym

    env, policy, out = gym.make("CartPole-v1", max_episode_steps=max_steps), POLICIES[policy_name], []
    for i in range(n_episodes):
        obs, _ = env.reset(seed=seed + i)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total, done = total + float(reward), terminated or truncated
        out.append(total)
    return np.array(out)


def _evaluate_judge(cases, observations):
    for case, obs in zip(cases, observations):
        _, _, n, seed = case.args
        seed = 0 if seed is None else seed
        log = obs.get("log", {})
        if log.get("after_end"):
            return incorrect(case, f"your loop kept stepping after an episode {log.get('after') or 'ended'}: end "
                             "an episode when `terminated or truncated` (the time limit truncates it).",
                             "runs-past-time-limit")
        if "error" in obs:
            return error_failure(case, obs["error"])
        seeds = log.get("reset_seeds", [])
        wanted = [seed + i for i in range(n)]
        if seeds != wanted:
            if seeds[:1] == [seed] and all(s is None for s in seeds[1:]) and n > 1:
                how = "only the first reset got a seed"
            elif all(s is None for s in seeds):
                how = "no reset got a seed"
            elif seeds and all(s == seed for s in seeds):
                how = "every reset got the same seed"
            else:
                how = f"the resets got seeds {seeds[:6]}{'...' if len(seeds) > 6 else ''}"
            return incorrect(case, f"{how}: reset episode i with env.reset(seed=seed + i), so every episode is "
                             f"reproducible ({n} episodes, seed={seed}).", "seeds-not-passed")
        got = as_vector(obs.get("value"), n)
        if got is None:
            return incorrect(case, f"expected {n} episode returns (an array or list of numbers).")
        if obs.get("policy_calls") != log.get("steps"):
            return incorrect(case, "call policy(obs) once per step to choose the action.")
        if not np.allclose(got, evaluate_ref(*case.args[:3], seed), rtol=1e-9, atol=1e-9):
            return incorrect(case, "the returns are not the sums of each episode's rewards.")
    return None


def _evaluate_cases():
    return [Case((45, "sign", 6, 100), {}, "evaluate_policy on CartPole-v1 (max_episode_steps=45, some episodes "
                 "truncated), 6 episodes, seed=100"),
            Case((45, "sign", 3, None), {}, "3 episodes, default seed")]


EpisodeStats = Exercise(
    "EpisodeStats",
    blocked=("gymnasium.wrappers.RecordEpisodeStatistics",),
    skill="environments",
    hints=(
        ("A wrapper sits between the agent and the env: it passes every call through and keeps running totals. "
        "An episode ends when step() returns terminated OR truncated; reset() starts a new one."),
        ("reset(): zero the return and the length, then return self.env.reset(**kwargs). step(): call "
        "self.env.step, add the reward, count the step; if terminated or truncated, put "
        "info['episode'] = {'r': ..., 'l': ...}."),
        ("`if terminated or truncated: info = dict(info); info['episode'] = {'r': float(self.total), 'l': "
        "int(self.length)}`; evaluate_policy: `obs, _ = env.reset(seed=seed + i)` for episode i"),
    ),
    checks=(
        Check("EpisodeStats: episodes ended by the time limit are reported (matches RecordEpisodeStatistics)", 2,
              lambda: _scenario("truncation"), _stats_judge, probe=episode_stats_probe, probe_args=_stats_args),
        Check("EpisodeStats: episodes ended by termination are reported", 2, lambda: _scenario("termination"),
              _stats_judge, probe=episode_stats_probe, probe_args=_stats_args),
        Check("EpisodeStats: reset() restarts the counters", 1, lambda: _scenario("resets"), _stats_judge,
              probe=episode_stats_probe, probe_args=_stats_args),
        Check("evaluate_policy: one return per episode, episode i reset with seed + i", 3, _evaluate_cases,
              _evaluate_judge, target="evaluate_policy", probe=evaluate_probe,
              probe_args=lambda t, cases: (t, [c.args for c in cases]), timeout=20),
    ),
)
