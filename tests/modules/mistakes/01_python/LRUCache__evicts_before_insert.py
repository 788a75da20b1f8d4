# mistake: evicts-on-update
# expect: `put` of a key already in it evicted another key
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
        if len(self.data) >= self.capacity:      # makes room even when key is already there
            self.data.popitem(last=False)
        self.data[key] = value
        self.data.move_to_end(key)

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        return key in self.data
