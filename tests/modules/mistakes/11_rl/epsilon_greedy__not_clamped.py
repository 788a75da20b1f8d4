# mistake: not-clamped
# expect: stay at `end`
def epsilon_greedy(q_values, epsilon, rng):
    """An epsilon-greedy action (int): explore uniformly over all actions, break greedy ties at random."""
    q_values = np.asarray(q_values)
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    best = np.flatnonzero(q_values == q_values.max())
    return int(best[rng.integers(len(best))])


def linear_epsilon(step, start, end, decay_steps):
    """start at step 0, end at decay_steps, linear in between, end afterwards."""
    fraction = step / decay_steps
    return start + fraction * (end - start)
