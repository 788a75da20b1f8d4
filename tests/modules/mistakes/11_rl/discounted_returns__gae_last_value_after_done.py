# mistake: last-value-after-done
# expect: `last_value` was used
def discounted_returns(rewards, dones, gamma):
    rewards, dones = np.asarray(rewards, float), np.asarray(dones, float)
    out, running = np.zeros(len(rewards)), 0.0
    for t in reversed(range(len(rewards))):
        running = rewards[t] + gamma * (1 - dones[t]) * running
        out[t] = running
    return out


def gae(rewards, values, dones, last_value, gamma=0.99, lam=0.95):
    rewards, values, dones = (np.asarray(a, float) for a in (rewards, values, dones))
    next_values = np.append(values[1:], last_value)
    # masks the bootstrap only inside the rollout: the last step always bootstraps from last_value
    masks = np.append(1 - dones[:-1], 1.0)
    deltas = rewards + gamma * next_values * masks - values
    adv, running = np.zeros(len(rewards)), 0.0
    for t in reversed(range(len(rewards))):
        running = deltas[t] + gamma * lam * (1 - dones[t]) * running
        adv[t] = running
    return adv, adv + values
