# mistake: sarsa-target
# expect: SARSA
def q_update(Q, s, a, r, s_next, terminated, alpha, gamma):
    """One Q-learning update of Q[s, a], in place; returns the TD error."""
    target = r if terminated else r + gamma * np.max(Q[s_next])
    td_error = target - Q[s, a]
    Q[s, a] += alpha * td_error
    return float(td_error)


def q_learning(env, n_episodes=500, alpha=0.5, gamma=1.0, epsilon=0.1, seed=0):
    """Tabular epsilon-greedy Q-learning; returns Q of shape (n_states, n_actions)."""
    rng = np.random.default_rng(seed)
    n_actions = env.action_space.n
    Q = np.zeros((env.observation_space.n, n_actions))
    for episode in range(n_episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)

        def act(state):
            return int(rng.integers(n_actions)) if rng.random() < epsilon else int(np.argmax(Q[state]))

        a, done = act(s), False
        while not done:
            s_next, r, terminated, truncated, _ = env.step(a)
            a_next = act(s_next)
            target = r if terminated else r + gamma * Q[s_next, a_next]     # the action actually taken next
            Q[s, a] += alpha * (target - Q[s, a])
            s, a, done = s_next, a_next, terminated or truncated
    return Q
