from scipy.signal import lfilter


def discounted_returns(rewards, dones, gamma):
    """Each episode's segment filtered backwards with lfilter (the discounted cumulative sum)."""
    rewards, dones = np.asarray(rewards, dtype=float), np.asarray(dones, dtype=bool)
    out = np.empty_like(rewards)
    ends = list(np.flatnonzero(dones) + 1)
    start = 0
    for end in ends + [len(rewards)]:
        if end > start:
            segment = rewards[start:end][::-1]
            out[start:end] = lfilter([1.0], [1.0, -gamma], segment)[::-1]
        start = end
    return out


def gae(rewards, values, dones, last_value, gamma=0.99, lam=0.95):
    rewards, values = np.asarray(rewards, dtype=float), np.asarray(values, dtype=float)
    live = ~np.asarray(dones, dtype=bool)
    next_values = np.concatenate([values[1:], [last_value]]) * live
    deltas = rewards + gamma * next_values - values
    advantages = np.empty_like(deltas)
    acc = 0.0
    for t in range(len(deltas) - 1, -1, -1):
        acc = deltas[t] + (gamma * lam * acc if live[t] else 0.0)
        advantages[t] = acc
    return advantages, advantages + values
