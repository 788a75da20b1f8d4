# mistake: seed-ignored
# expect: seed=7
class ReplayBuffer:
    """A circular buffer of transitions, sampled uniformly with replacement."""

    def __init__(self, capacity, obs_shape, seed=0):
        shape = (int(obs_shape),) if np.isscalar(obs_shape) else tuple(obs_shape)
        self.capacity = capacity
        self.obs = np.zeros((capacity, *shape))
        self.next_obs = np.zeros((capacity, *shape))
        self.action = np.zeros(capacity, dtype=np.int64)
        self.reward = np.zeros(capacity)
        self.terminated = np.zeros(capacity, dtype=bool)
        self.pos = 0
        self.size = 0
        self.rng = np.random.default_rng(seed)

    def add(self, obs, action, reward, next_obs, terminated):
        i = self.pos
        self.obs[i] = obs             # assignment into our own array copies the values
        self.next_obs[i] = next_obs
        self.action[i], self.reward[i], self.terminated[i] = action, reward, terminated
        self.pos = (i + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def sample(self, batch_size):
        idx = np.random.randint(0, self.size, size=batch_size)
        return {"obs": self.obs[idx], "action": self.action[idx], "reward": self.reward[idx],
                "next_obs": self.next_obs[idx], "terminated": self.terminated[idx]}

    def __len__(self):
        return self.size
