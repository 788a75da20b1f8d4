# mistake: first-outcome-only
# expect: only one outcome
def policy_evaluation(P, policy, gamma, theta=1e-10):
    V = np.zeros(len(P))
    while True:
        delta = 0.0
        for s in range(len(P)):
            new = 0.0
            for a in range(len(P[s])):
                p, s_next, r, terminated = P[s][a][0]          # the first outcome only
                new += policy[s][a] * (r + (0.0 if terminated else gamma * V[s_next]))
            delta = max(delta, abs(new - V[s]))
            V[s] = new
        if delta < theta:
            return V


def value_iteration(P, gamma, theta=1e-10):
    V = np.zeros(len(P))
    while True:
        delta = 0.0
        for s in range(len(P)):
            best = max(P[s][a][0][2] + (0.0 if P[s][a][0][3] else gamma * V[P[s][a][0][1]]) for a in range(len(P[s])))
            delta = max(delta, abs(best - V[s]))
            V[s] = best
        if delta < theta:
            break
    policy = np.array([int(np.argmax([P[s][a][0][2] + (0.0 if P[s][a][0][3] else gamma * V[P[s][a][0][1]])
                                      for a in range(len(P[s]))])) for s in range(len(P))])
    return V, policy
