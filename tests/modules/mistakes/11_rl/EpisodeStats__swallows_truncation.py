# mistake: truncation-ignored
# expect: hid truncated=True
class EpisodeStats(gym.Wrapper):
    """Adds info["episode"] = {"r": return, "l": length} on the step that ends an episode."""

    def __init__(self, env):
        super().__init__(env)
        self.episode_return = 0.0
        self.episode_length = 0

    def reset(self, *, seed=None, options=None):
        self.episode_return, self.episode_length = 0.0, 0
        return self.env.reset(seed=seed, options=options)

    def step(self, action):
        obs, reward, terminated, truncated, info = self.env.step(action)
        self.episode_return += float(reward)
        self.episode_length += 1
        if terminated or truncated:
            info = {**info, "episode": {"r": self.episode_return, "l": self.episode_length}}
        return obs, reward, terminated, False, info


def evaluate_policy(env, policy, n_episodes, seed=0):
    """Returns of n_episodes episodes; episode i is reset with seed + i."""
    returns = []
    for i in range(n_episodes):
        obs, _ = env.reset(seed=seed + i)
        total, done = 0.0, False
        while not done:
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total += float(reward)
            done = terminated or truncated
        returns.append(total)
    return np.array(returns)
