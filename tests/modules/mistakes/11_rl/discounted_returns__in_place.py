# mistake: mutates-input
# expect: in place
def discounted_returns(rewards, dones, gamma):
    for t in reversed(range(len(rewards) - 1)):
        rewards[t] += gamma * (1 - dones[t]) * rewards[t + 1]      # overwrites the caller's array
    return rewards.astype(np.float64)


def gae(rewards, values, dones, last_value, gamma=0.99, lam=0.95):
    """Generalised advantage estimates and the critic's targets: (advantages, advantages + values)."""
    rewards = np.asarray(rewards, dtype=np.float64)
    values = np.asarray(values, dtype=np.float64)
    nonterminal = 1.0 - np.asarray(dones, dtype=np.float64)
    advantages = np.zeros_like(rewards)
    next_value, next_advantage = float(last_value), 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + gamma * next_value * nonterminal[t] - values[t]
        next_advantage = delta + gamma * lam * nonterminal[t] * next_advantage
        advantages[t] = next_advantage
        next_value = values[t]
    return advantages, advantages + values
