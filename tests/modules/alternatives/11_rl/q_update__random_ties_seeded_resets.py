def q_update(Q, s, a, r, s_next, terminated, alpha, gamma):
    bootstrap = 0.0 if terminated else gamma * Q[s_next].max()
    delta = r + bootstrap - Q[s, a]
    Q[s, a] = Q[s, a] + alpha * delta
    return delta


def q_learning(env, n_episodes=500, alpha=0.5, gamma=1.0, epsilon=0.1, seed=0):
    """Ties broken at random; every reset gets a seed drawn from the run's generator."""
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    for _ in range(n_episodes):
        s, _ = env.reset(seed=int(rng.integers(2**31)))
        while True:
            if rng.random() < epsilon:
                a = rng.integers(env.action_space.n)
            else:
                a = rng.choice(np.flatnonzero(Q[s] == Q[s].max()))
            s_next, r, terminated, truncated, _ = env.step(int(a))
            q_update(Q, s, int(a), r, s_next, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s = s_next
    return Q
