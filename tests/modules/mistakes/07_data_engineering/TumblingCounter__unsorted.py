# mistake: unsorted-emissions
# expect: sort each returned list
class TumblingCounter:
    def __init__(self, window, allowed_lateness=0):
        self.window, self.allowed_lateness = window, allowed_lateness
        self.counts = {}
        self.max_ts = None
        self.late_events = 0

    def process(self, ts, key):
        start = ts // self.window * self.window
        wm = None if self.max_ts is None else self.max_ts - self.allowed_lateness
        if wm is not None and start + self.window <= wm:
            self.late_events += 1
            return []
        self.counts[(start, key)] = self.counts.get((start, key), 0) + 1
        self.max_ts = ts if self.max_ts is None else max(self.max_ts, ts)
        wm = self.max_ts - self.allowed_lateness
        return [(s, k, self.counts.pop((s, k))) for s, k in [k for k in self.counts if k[0] + self.window <= wm]]

    def flush(self):
        return [(s, k, self.counts.pop((s, k))) for s, k in list(self.counts)]
