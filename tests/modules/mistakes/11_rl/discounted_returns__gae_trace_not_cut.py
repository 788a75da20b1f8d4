# mistake: trace-not-cut
# expect: trace was not cut
def discounted_returns(rewards, dones, gamma):
    """Rewards-to-go G_t = r_t + gamma * (1 - dones[t]) * G_{t+1}, restarting after every done."""
    rewards = np.asarray(rewards, dtype=np.float64)
    nonterminal = 1.0 - np.asarray(dones, dtype=np.float64)
    out = np.zeros_like(rewards)
    running = 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + gamma * nonterminal[t] * running
        out[t] = running
    return out


def gae(rewards, values, dones, last_value, gamma=0.99, lam=0.95):
    """Generalised advantage estimates and the critic's targets: (advantages, advantages + values)."""
    rewards = np.asarray(rewards, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    nonterminal = 1.0 - np.asarray(dones, dtype=np.float64)
    advantages = np.zeros_like(rewards)
    next_value, next_advantage = float(last_value), 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + gamma * next_value * nonterminal[t] - values[t]
        next_advantage = delta + gamma * lam * next_advantage
        advantages[t] = next_advantage
        next_value = values[t]
    return advantages, advantages + values
