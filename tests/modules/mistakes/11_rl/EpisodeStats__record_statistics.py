# mistake: blocked-call
# expect: implement it yourself
class EpisodeStats(gym.wrappers.RecordEpisodeStatistics):
    pass


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
