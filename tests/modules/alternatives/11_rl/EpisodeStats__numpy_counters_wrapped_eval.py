class EpisodeStats(gym.Wrapper):
    """Counters as numpy scalars, a copied info dict, extra keys allowed."""

    def __init__(self, env):
        super().__init__(env)
        self._r, self._l = np.float64(0), np.int64(0)

    def reset(self, **kwargs):
        self._r, self._l = np.float64(0), np.int64(0)
        return super().reset(**kwargs)

    def step(self, action):
        out = super().step(action)
        obs, reward, terminated, truncated, info = out
        self._r += reward
        self._l += 1
        if terminated or truncated:
            info = dict(info)
            info["episode"] = {"r": self._r, "l": self._l, "t": 0.0}
        return obs, reward, terminated, truncated, info


def evaluate_policy(env, policy, n_episodes, seed=0):
    env = EpisodeStats(env)
    out = []
    for i in range(n_episodes):
        obs, info = env.reset(seed=seed + i)
        while "episode" not in info:
            obs, _, _, _, info = env.step(policy(obs))
        out.append(float(info["episode"]["r"]))
    return out
