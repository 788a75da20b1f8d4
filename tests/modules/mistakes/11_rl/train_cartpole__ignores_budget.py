# mistake: budget-exceeded
# expect: past the budget
def train_cartpole(env, seed=0):
    """REINFORCE with normalised rewards-to-go on the given CartPole env; returns a greedy policy obs -> int."""
    budget, batch_steps, longest = 250_000, 2_000, 500
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = nn.Sequential(nn.Linear(4, 32), nn.Tanh(), nn.Linear(32, 2))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    # Acting through nn.Module one observation at a time costs more than the env step. These numpy arrays are
    # views of the parameters (no copies): they always hold the current weights.
    W1, b1, W2, b2 = (p.detach().numpy() for p in net.parameters())

    def logits(obs):
        return W2 @ np.tanh(W1 @ obs + b1) + b2

    steps, lengths = 0, []
    while steps < 400_000:        # the next batch cannot overrun the budget
        observations, actions, rewards, dones = [], [], [], []
        while len(observations) < batch_steps:
            obs, _ = env.reset(seed=seed if not lengths else None)
            done, length = False, 0
            while not done:
                z = logits(obs)
                action = int(rng.random() < 1.0 / (1.0 + np.exp(z[0] - z[1])))   # P(right) = softmax(z)[1]
                next_obs, reward, terminated, truncated, _ = env.step(action)
                done = terminated or truncated
                observations.append(obs)
                actions.append(action)
                rewards.append(reward)
                dones.append(done)
                obs, length = next_obs, length + 1
            lengths.append(length)
        steps += len(observations)
        returns = discounted_returns(np.array(rewards), np.array(dones), 0.99)
        advantages = torch.as_tensor((returns - returns.mean()) / (returns.std() + 1e-8), dtype=torch.float32)
        log_probs = torch.log_softmax(net(torch.as_tensor(np.array(observations))), dim=-1)
        taken = log_probs[torch.arange(len(actions)), torch.as_tensor(actions)]
        loss = -(taken * advantages).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if np.mean(lengths[-10:]) >= 1000:                 # the stochastic policy balances: stop early
            break

    def policy(obs):
        z = logits(np.asarray(obs, dtype=np.float32))
        return int(z[1] > z[0])

    return policy
