from collections import OrderedDict


class LRUCache(OrderedDict):
    """An OrderedDict subclass: len() and `in` come for free."""

    def __init__(self, capacity):
        if capacity <= 0:
            raise ValueError(f"bad capacity {capacity}")
        super().__init__()
        self.capacity = capacity

    def get(self, key, default=None):
        try:
            self.move_to_end(key)
        except KeyError:
            return default
        return self[key]

    def put(self, key, value):
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.capacity:
            self.popitem(last=False)
