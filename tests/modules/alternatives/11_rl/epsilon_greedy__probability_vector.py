def epsilon_greedy(q_values, epsilon, rng):
    """Build the action probabilities, then draw once with rng.choice."""
    q = np.asarray(q_values, dtype=float)
    best = q == q.max()
    probs = np.full(len(q), epsilon / len(q)) + best * (1 - epsilon) / best.sum()
    return int(rng.choice(len(q), p=probs))


def linear_epsilon(step, start, end, decay_steps):
    return float(np.interp(step, [0, decay_steps], [start, end]))
