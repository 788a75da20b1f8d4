# mistake: mean-change
# expect: mean change
def _tables(P):
    """T[s, a, s'] (probability of continuing into s', terminated transitions left out) and R[s, a]."""
    n_states, n_actions = len(P), len(P[0])
    T, R = np.zeros((n_states, n_actions, n_states)), np.zeros((n_states, n_actions))
    for s in range(n_states):
        for a in range(n_actions):
            for p, s_next, r, terminated in P[s][a]:
                R[s, a] += p * r
                if not terminated:
                    T[s, a, s_next] += p
    return T, R


def policy_evaluation(P, policy, gamma, theta=1e-10):
    """V of `policy` ((n_states, n_actions) probabilities) by iterative Bellman backups."""
    T, R = _tables(P)
    policy = np.asarray(policy, dtype=np.float64)
    V = np.zeros(len(P))
    while True:
        V_new = (policy * (R + gamma * T @ V)).sum(axis=1)
        if np.mean(np.abs(V_new - V)) < theta:
            return V_new
        V = V_new


def value_iteration(P, gamma, theta=1e-10):
    """(V*, greedy policy) by value iteration."""
    T, R = _tables(P)
    V = np.zeros(len(P))
    while True:
        V_new = (R + gamma * T @ V).max(axis=1)
        if np.max(np.abs(V_new - V)) < theta:
            break
        V = V_new
    return V_new, (R + gamma * T @ V_new).argmax(axis=1)
