def _backup(P, s, a, V, gamma):
    return sum(p * (r + (0.0 if terminated else gamma * V[s_next])) for p, s_next, r, terminated in P[s][a])


def policy_evaluation(P, policy, gamma, theta=1e-10):
    """Gauss-Seidel sweeps: each state uses the freshest values of the others."""
    V = [0.0] * len(P)
    while True:
        delta = 0.0
        for s in range(len(P)):
            new = sum(policy[s][a] * _backup(P, s, a, V, gamma) for a in range(len(P[s])) if policy[s][a] > 0)
            delta = max(delta, abs(new - V[s]))
            V[s] = new
        if delta < theta:
            return np.array(V)


def value_iteration(P, gamma, theta=1e-10):
    V = np.zeros(len(P))
    while True:
        delta = 0.0
        for s in range(len(P)):
            best = max(_backup(P, s, a, V, gamma) for a in range(len(P[s])))
            delta = max(delta, abs(best - V[s]))
            V[s] = best
        if delta < theta:
            break
    n_actions = len(P[0])
    policy = np.zeros((len(P), n_actions))
    for s in range(len(P)):
        q = [_backup(P, s, a, V, gamma) for a in range(n_actions)]
        policy[s, int(np.argmax(q))] = 1.0                        # one-hot rows
    return V, policy
