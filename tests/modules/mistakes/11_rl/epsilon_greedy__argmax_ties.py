# mistake: ties-to-first
# expect: lowest index
def epsilon_greedy(q_values, epsilon, rng):
    """An epsilon-greedy action (int): explore uniformly over all actions, break greedy ties at random."""
    q_values = np.asarray(q_values)
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    return int(np.argmax(q_values))


def linear_epsilon(step, start, end, decay_steps):
    """start at step 0, end at decay_steps, linear in between, end afterwards."""
    fraction = min(step / decay_steps, 1.0)
    return start + fraction * (end - start)
