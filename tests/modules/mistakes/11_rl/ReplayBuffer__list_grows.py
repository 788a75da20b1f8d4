# mistake: grows-past-capacity
# expect: never grow past capacity
class ReplayBuffer:
    def __init__(self, capacity, obs_shape, seed=0):
        self.capacity = capacity
        self.items = []
        self.rng = np.random.default_rng(seed)

    def add(self, obs, action, reward, next_obs, terminated):
        self.items.append((np.array(obs), action, reward, np.array(next_obs), terminated))

    def sample(self, batch_size):
        idx = self.rng.integers(0, len(self.items), size=batch_size)
        rows = [self.items[i] for i in idx]
        return {k: np.array([r[j] for r in rows]) for j, k in enumerate(["obs", "action", "reward", "next_obs",
                                                                         "terminated"])}

    def __len__(self):
        return len(self.items)
