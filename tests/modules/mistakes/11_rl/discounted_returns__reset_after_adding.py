# mistake: reset-off-by-one
# expect: one step off
def discounted_returns(rewards, dones, gamma):
    out, running = [], 0.0
    for r, d in zip(reversed(list(rewards)), reversed(list(dones))):
        running = r + gamma * running
        out.append(running)
        if d:
            running = 0.0          # too late: the step that ended the episode already saw the next one
    return np.array(out[::-1])


def gae(rewards, values, dones, last_value, gamma=0.99, lam=0.95):
    rewards, values = np.asarray(rewards, float), np.asarray(values, float)
    nonterminal = 1.0 - np.asarray(dones, float)
    adv, next_value, next_adv = np.zeros(len(rewards)), last_value, 0.0
    for t in reversed(range(len(rewards))):
        delta = rewards[t] + gamma * next_value * nonterminal[t] - values[t]
        next_adv = delta + gamma * lam * nonterminal[t] * next_adv
        adv[t], next_value = next_adv, values[t]
    return adv, adv + values
