class _Node:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key=None, value=None):
        self.key, self.value, self.prev, self.next = key, value, None, None


class LRUCache:
    """A dict of nodes plus a doubly linked list with sentinels: the textbook O(1) LRU."""

    def __init__(self, capacity):
        if not capacity >= 1:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self.nodes = {}
        self.head, self.tail = _Node(), _Node()      # head.next = least recent, tail.prev = most recent
        self.head.next, self.tail.prev = self.tail, self.head

    def _unlink(self, node):
        node.prev.next, node.next.prev = node.next, node.prev

    def _append(self, node):
        node.prev, node.next = self.tail.prev, self.tail
        self.tail.prev.next = node
        self.tail.prev = node

    def get(self, key, default=None):
        node = self.nodes.get(key)
        if node is None:
            return default
        self._unlink(node)
        self._append(node)
        return node.value

    def put(self, key, value):
        node = self.nodes.get(key)
        if node is not None:
            node.value = value
            self._unlink(node)
        else:
            node = self.nodes[key] = _Node(key, value)
        self._append(node)
        if len(self.nodes) > self.capacity:
            oldest = self.head.next
            self._unlink(oldest)
            del self.nodes[oldest.key]

    def __len__(self):
        return len(self.nodes)

    def __contains__(self, key):
        return key in self.nodes
