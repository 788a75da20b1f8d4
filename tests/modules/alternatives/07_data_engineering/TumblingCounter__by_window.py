from collections import defaultdict


class TumblingCounter:
    def __init__(self, window, allowed_lateness=0):
        self.window = window
        self.lateness = allowed_lateness
        self.windows = defaultdict(lambda: defaultdict(int))   # start -> key -> count
        self.watermark = float("-inf")
        self.late_events = 0

    def _close(self, upto):
        out = []
        for start in sorted(s for s in self.windows if s + self.window <= upto):
            counts = self.windows.pop(start)
            out += [(start, key, counts[key]) for key in sorted(counts)]
        return out

    def process(self, ts, key):
        start = ts - ts % self.window
        if start + self.window <= self.watermark:
            self.late_events += 1
            return []
        self.windows[start][key] += 1
        self.watermark = max(self.watermark, ts - self.lateness)
        return self._close(self.watermark)

    def flush(self):
        return self._close(float("inf"))
