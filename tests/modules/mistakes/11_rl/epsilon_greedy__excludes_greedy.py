# mistake: greedy-excluded
# expect: never picks the greedy action
def epsilon_greedy(q_values, epsilon, rng):
    q = np.asarray(q_values)
    best = int(rng.choice(np.flatnonzero(q == q.max())))
    others = [a for a in range(len(q)) if a != best]
    if others and rng.random() < epsilon:
        return int(rng.choice(others))            # explores, but never into the greedy action
    return best


def linear_epsilon(step, start, end, decay_steps):
    return start + min(step / decay_steps, 1.0) * (end - start)
