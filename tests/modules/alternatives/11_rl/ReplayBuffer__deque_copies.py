import copy


class ReplayBuffer:
    """A deque that drops the oldest item by itself; rows are copied in and stacked on the way out."""

    def __init__(self, capacity, obs_shape, seed=0):
        self.data = deque(maxlen=capacity)
        self.rng = np.random.default_rng(seed)

    def add(self, obs, action, reward, next_obs, terminated):
        self.data.append(copy.deepcopy((obs, action, reward, next_obs, terminated)))

    def sample(self, batch_size):
        rows = [self.data[i] for i in self.rng.integers(len(self.data), size=batch_size)]
        columns = list(zip(*rows))
        keys = ("obs", "action", "reward", "next_obs", "terminated")
        return {k: torch.as_tensor(np.array(col)) for k, col in zip(keys, columns)}      # tensors are fine too

    def __len__(self):
        return len(self.data)
