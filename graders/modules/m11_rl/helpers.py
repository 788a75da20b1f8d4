"""Sandbox-side helpers of 11_rl: environments and wrappers handed to learner code, and policies.

Nothing here knows an expected value. The grading process imports this file too: its oracles
replay the same environments and policies (same seeds, same dynamics) with Gymnasium's own tools.

- ``TrapEnv``: a tiny deterministic MDP whose terminal transition leads to a valuable state and
  whose time limit always cuts the same transitions, so the fixed point of a Q-learning run shows
  how terminated and truncated steps were treated.
- ``Recorder``: a wrapper that logs resets (and their seeds), steps and episode lengths; strict, it
  refuses a step after the episode ended without a reset (the time limit must end the episode).
- ``StepBudget``: the CartPole env train_cartpole trains on; it counts steps and stops at the budget.
- the CartPole guard: while train_cartpole trains, stepping or creating any other CartPole refuses.
"""
from __future__ import annotations

from typing import ClassVar

import gymnasium as gym
import numpy as np
from gymnasium.envs.classic_control import cartpole
from gymnasium.spaces import Discrete


# ------------------------------------------------------------------ a tiny MDP for q_learning
class TrapEnv(gym.Env):
    """7 states, 2 actions, deterministic. Episodes alternate between starting in 0 and in 3 (by
    reset count, not by seed, so reseeding every reset changes nothing). With a time limit of 3:

        0 -> 1 -> 2 -> 3 (truncated)       1 --a1--> 4 (terminated, reward +1)
        3 -> 4 -> 5 -> 6 (truncated)

    State 4 is worth a lot, so bootstrapping through the terminated step shows; state 3 is worth a
    lot, so zeroing the bootstrap of the truncated step 2 -> 3 shows."""

    metadata: ClassVar[dict] = {"render_modes": []}
    # (state, action) -> (next state, reward, terminated)
    MOVES: ClassVar[dict] = {
        (0, 0): (1, 0.0, False), (0, 1): (1, -1.0, False),
        (1, 0): (2, 0.0, False), (1, 1): (4, 1.0, True),
        (2, 0): (3, 0.0, False), (2, 1): (3, -2.0, False),
        (3, 0): (4, 1.0, False), (3, 1): (4, 0.0, False),
        (4, 0): (5, 2.0, False), (4, 1): (5, -1.0, False),
        (5, 0): (6, 0.0, False), (5, 1): (6, 3.0, False),
        (6, 0): (6, 0.0, False), (6, 1): (6, 0.0, False)
    }
    STARTS = (0, 3)
    TIME_LIMIT = 3

    def __init__(self):
        self.observation_space = Discrete(7)
        self.action_space = Discrete(2)
        self.state = 0
        self.resets = 0

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.state = self.STARTS[self.resets % 2]
        self.resets += 1
        return self.state, {}

    def step(self, action):
        self.state, reward, terminated = self.MOVES[(self.state, int(action))]
        return self.state, reward, terminated, False, {}


def make_trap_env():
    return gym.wrappers.TimeLimit(TrapEnv(), max_episode_steps=TrapEnv.TIME_LIMIT)


# ------------------------------------------------------------------ recording wrappers
class EpisodeOver(RuntimeError):
    """A step after the episode ended (terminated or truncated) without a reset."""


class StepCap(RuntimeError):
    """Far more steps than the task needs: episodes that never end (a Q table that does not learn)."""


class Recorder(gym.Wrapper):
    """Logs what learner code does with an env; ``strict`` refuses a step after the end of an episode;
    ``max_steps`` stops code whose episodes never end (CliffWalking has no time limit)."""

    def __init__(self, env, strict: bool = True, max_steps: int | None = None):
        super().__init__(env)
        self.strict = strict
        self.max_steps = max_steps
        self.reset_seeds: list = []
        self.lengths: list[int] = []         # finished episodes, in steps
        self.steps = 0
        self.after_end = 0                   # steps taken after an episode ended, without a reset
        self.after = None                    # how that episode had ended: "terminated" or "truncated"
        self._length = 0
        self._over = True
        self._end = None

    def reset(self, *, seed=None, options=None):
        self.reset_seeds.append(None if seed is None else int(seed))
        self._length, self._over = 0, False
        return self.env.reset(seed=seed, options=options)

    def step(self, action):
        if self._over:
            self.after_end += 1
            self.after = self.after or self._end
            if self.strict:
                raise EpisodeOver("step() was called after the episode ended (terminated or truncated) "
                                  "without calling reset() first")
        if self.max_steps is not None and self.steps >= self.max_steps:
            raise StepCap(f"more than {self.max_steps:,} environment steps")
        out = self.env.step(action)
        self.steps += 1
        self._length += 1
        if (out[2] or out[3]) and not self._over:
            self.lengths.append(self._length)
            self._over, self._end = True, "terminated" if out[2] else "truncated"
        return out

    def log(self) -> dict:
        return {"reset_seeds": list(self.reset_seeds), "lengths": list(self.lengths), "steps": self.steps,
                "after_end": self.after_end, "after": self.after}


class StepBudgetExceeded(RuntimeError):
    """train_cartpole stepped its env more often than the budget allows."""


class StepBudget(Recorder):
    """The CartPole env handed to train_cartpole: counts steps, refuses the one past the budget."""

    def __init__(self, env, budget: int):
        super().__init__(env, strict=False)
        self.budget = budget

    def step(self, action):
        if self.steps >= self.budget:
            self.steps += 1
            raise StepBudgetExceeded(f"the step budget of {self.budget:,} environment steps is spent")
        return super().step(action)


# ------------------------------------------------------------------ the CartPole guard
class PrivateEnv(RuntimeError):
    """train_cartpole created or stepped a CartPole other than the one it was given."""


GUARD: dict = {"env": None, "violations": 0}


def _guarded(method, what):
    def wrapper(self, *args, **kwargs):
        allowed = GUARD["env"]
        if allowed is not None and self is not allowed:
            GUARD["violations"] += 1
            raise PrivateEnv(f"train_cartpole {what} a CartPole environment of its own: train on the env you "
                             "are given (the grader counts its steps)")
        return method(self, *args, **kwargs)

    wrapper.__wrapped__ = method
    return wrapper


def arm_guard(env) -> None:
    """Only ``env`` (the unwrapped CartPole handed to learner code) may be created or stepped until
    disarmed. Installed on first use, in the probe's own process: the grading process (maybe a
    learner's kernel running check()) never has its CartPole patched."""
    for cls in (cartpole.CartPoleEnv, cartpole.CartPoleVectorEnv):
        if not hasattr(cls.step, "__wrapped__"):
            cls.step = _guarded(cls.step, "stepped")
            cls.__init__ = _guarded(cls.__init__, "created")
    GUARD.update(env=env, violations=0)


def disarm_guard() -> int:
    violations = GUARD["violations"]
    GUARD.update(env=None, violations=0)
    return violations


# ------------------------------------------------------------------ scripted CartPole policies
def balance_policy(obs) -> int:
    """Keeps the pole up for well over 40 steps from any start: episodes end by the time limit."""
    return int(obs[2] + 0.5 * obs[3] > 0)


def left_policy(obs) -> int:
    """Always push left: the pole falls within about ten steps (termination)."""
    return 0


def sign_policy(obs) -> int:
    """Push towards the side the pole leans: episodes of 25 to 60 steps, so some end by the time limit."""
    return int(obs[2] > 0)


POLICIES = {"balance": balance_policy, "left": left_policy, "sign": sign_policy}


class CountingPolicy:
    """A policy handed to evaluate_policy: records every observation it is called with."""

    def __init__(self, name: str):
        self.name, self.fn, self.calls = name, POLICIES[name], 0

    def __call__(self, obs):
        self.calls += 1
        return self.fn(np.asarray(obs))
