# mistake: td-after-update
# expect: after the update
def q_update(Q, s, a, r, s_next, terminated, alpha, gamma):
    """One Q-learning update of Q[s, a], in place; returns the TD error."""
    target = r if terminated else r + gamma * np.max(Q[s_next])
    Q[s, a] += alpha * (target - Q[s, a])
    return target - Q[s, a]


def q_learning(env, n_episodes=500, alpha=0.5, gamma=1.0, epsilon=0.1, seed=0):
    """Tabular epsilon-greedy Q-learning; returns Q of shape (n_states, n_actions)."""
    rng = np.random.default_rng(seed)
    n_actions = env.action_space.n
    Q = np.zeros((env.observation_space.n, n_actions))
    for episode in range(n_episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        done = False
        while not done:
            if rng.random() < epsilon:
                a = int(rng.integers(n_actions))
            else:
                a = int(np.argmax(Q[s]))
            s_next, r, terminated, truncated, _ = env.step(a)
            q_update(Q, s, a, r, s_next, terminated, alpha, gamma)
            s, done = s_next, terminated or truncated
    return Q
