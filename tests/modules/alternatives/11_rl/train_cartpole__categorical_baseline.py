def train_cartpole(env, seed=0):
    """REINFORCE with a learned value baseline, torch.distributions.Categorical per step, episode batches."""
    torch.manual_seed(seed)
    policy_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 2))
    value_net = nn.Sequential(nn.Linear(4, 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(list(policy_net.parameters()) + list(value_net.parameters()), lr=5e-3)
    used, recent, first = 0, deque(maxlen=20), True
    while used < 240_000 and (len(recent) < 20 or np.mean(recent) < 250):
        states, actions, returns = [], [], []
        for _ in range(8):                                  # 8 episodes per update
            obs, _ = env.reset(seed=seed if first else None)
            first = False
            ep_obs, ep_act, ep_rew = [], [], []
            while True:
                with torch.no_grad():
                    dist = torch.distributions.Categorical(logits=policy_net(torch.as_tensor(obs)))
                    action = dist.sample().item()
                ep_obs.append(obs)
                ep_act.append(action)
                obs, reward, terminated, truncated, _ = env.step(action)
                ep_rew.append(reward)
                used += 1
                if terminated or truncated or used >= 249_500:
                    break
            recent.append(len(ep_rew))
            g, ep_ret = 0.0, []
            for r in reversed(ep_rew):
                g = r + 0.99 * g
                ep_ret.append(g)
            states += ep_obs
            actions += ep_act
            returns += ep_ret[::-1]
            if used >= 249_500:
                break
        s = torch.as_tensor(np.array(states))
        ret = torch.as_tensor(returns, dtype=torch.float32)
        values = value_net(s).squeeze(-1)
        adv = ret - values.detach()
        adv = (adv - adv.mean()) / (adv.std() + 1e-8)
        logp = torch.distributions.Categorical(logits=policy_net(s)).log_prob(torch.as_tensor(actions))
        loss = -(logp * adv).mean() + 0.5 * ((values - ret) ** 2).mean() / (ret.var() + 1e-8)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    policy_net.eval()

    def policy(obs):
        with torch.no_grad():
            return int(policy_net(torch.as_tensor(obs, dtype=torch.float32)).argmax())

    return policy
