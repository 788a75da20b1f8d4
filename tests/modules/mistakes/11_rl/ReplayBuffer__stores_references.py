# mistake: stores-references
# expect: kept references
class ReplayBuffer:
    def __init__(self, capacity, obs_shape, seed=0):
        self.buffer = deque(maxlen=capacity)
        self.rng = np.random.default_rng(seed)

    def add(self, obs, action, reward, next_obs, terminated):
        self.buffer.append((obs, action, reward, next_obs, terminated))     # the caller's arrays, not copies

    def sample(self, batch_size):
        idx = self.rng.integers(0, len(self.buffer), size=batch_size)
        obs, action, reward, next_obs, terminated = zip(*(self.buffer[i] for i in idx))
        return {"obs": np.stack(obs), "action": np.array(action), "reward": np.array(reward),
                "next_obs": np.stack(next_obs), "terminated": np.array(terminated)}

    def __len__(self):
        return len(self.buffer)
