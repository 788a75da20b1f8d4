# mistake: fields-mixed
# expect: different transitions
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
        def pick(field):                   # a fresh draw for every field
            return field[self.rng.integers(0, self.size, size=batch_size)]
        return {"obs": pick(self.obs), "action": pick(self.action), "reward": pick(self.reward),
                "next_obs": pick(self.next_obs), "terminated": pick(self.terminated)}

    def __len__(self):
        return self.size
