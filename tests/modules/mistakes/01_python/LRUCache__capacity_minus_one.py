# mistake: capacity-off-by-one
# expect: one item fewer than its capacity
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self.capacity = capacity
        self.data = OrderedDict()

    def get(self, key, default=None):
        if key not in self.data:
            return default
        self.data.move_to_end(key)
        return self.data[key]

    def put(self, key, value):
        if key in self.data:
            self.data.move_to_end(key)
        self.data[key] = value
        if len(self.data) >= self.capacity:
            self.data.popitem(last=False)

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        return key in self.data
