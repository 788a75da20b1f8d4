# mistake: list-order
# expect: keeping the order in a list
class LRUCache:
    def __init__(self, capacity):
        if capacity < 1:
            raise ValueError("capacity must be >= 1")
        self.capacity = capacity
        self.data = {}
        self.order = []                 # least recent first

    def _touch(self, key):
        if key in self.data:
            self.order.remove(key)      # O(capacity)
        self.order.append(key)

    def get(self, key, default=None):
        if key not in self.data:
            return default
        self._touch(key)
        return self.data[key]

    def put(self, key, value):
        self._touch(key)
        self.data[key] = value
        if len(self.data) > self.capacity:
            del self.data[self.order.pop(0)]

    def __len__(self):
        return len(self.data)

    def __contains__(self, key):
        return key in self.data
