"""TumblingCounter(window, allowed_lateness=0): event-time tumbling windows with a watermark.

The reference below (grading process only) and its wrong variants replay the same seeded streams as
the learner's class in the sandbox; every ``process`` return, ``flush()`` and ``late_events`` must
match exactly, in order.
"""
from __future__ import annotations

import numpy as np

from graders.engine.judges import incorrect
from graders.engine.spec import Case, Check, Exercise, seed_for

from . import sandbox_stream

MODULE = "07_data_engineering"


class Reference:
    """The contract, with switches that turn it into each known mistake."""

    def __init__(self, window, allowed_lateness=0, *, late_test="end", close="inclusive", lateness=True,
                 boundary="start", drop_late=True, ordered=True):
        self.window, self.lateness = window, (allowed_lateness if lateness else 0)
        self.late_test, self.close, self.boundary = late_test, close, boundary
        self.drop_late, self.ordered = drop_late, ordered
        self.max_ts = None
        self.open: dict = {}
        self.late_events = 0

    def _start(self, ts):
        if self.boundary == "end":                    # windows (start, start + window]
            return (ts - 1) // self.window * self.window
        return ts // self.window * self.window

    def watermark(self):
        return None if self.max_ts is None else self.max_ts - self.lateness

    def _closed(self, start, wm) -> bool:
        end = start + self.window
        return wm is not None and (wm >= end if self.close == "inclusive" else wm > end)

    def process(self, ts, key):
        start, wm = self._start(ts), self.watermark()
        late = (self._closed(start, wm) if self.late_test == "end" else wm is not None and ts < wm)
        if late and self.drop_late:
            self.late_events += 1
            return []
        self.open[(start, key)] = self.open.get((start, key), 0) + 1
        self.max_ts = ts if self.max_ts is None else max(self.max_ts, ts)
        wm = self.watermark()
        done = [k for k in self.open if self._closed(k[0], wm)]
        return self._emit(done)

    def _emit(self, keys):
        out = [(s, k, self.open.pop((s, k))) for s, k in keys]
        return sorted(out, key=lambda x: (x[0], x[1])) if self.ordered else out

    def flush(self):
        return self._emit(list(self.open))


VARIANTS = (
    ("late-by-watermark", {"late_test": "ts"}, ("an event was judged late because its *timestamp* is behind the "
     "watermark; it is late only when its *window* has closed (window_start + window <= watermark), so events "
     "a little behind the watermark still count.")),
    ("strict-close", {"close": "strict"}, ("windows closed one event too late: a window [start, start + window) "
     "closes as soon as the watermark *reaches* its end (watermark >= end), not when it passes it.")),
    ("no-allowed-lateness", {"lateness": False}, ("allowed_lateness was ignored: the watermark is the maximum event "
     "time seen *minus allowed_lateness*, so windows stay open that much longer for stragglers.")),
    ("boundary-earlier", {"boundary": "end"}, ("an event exactly on a window boundary went into the earlier window: "
     "windows are [start, start + window), so ts = 60 with window 60 opens the window starting at 60 "
     "(window_start = ts // window * window).")),
    ("late-counted", {"drop_late": False}, ("a late event was counted into a window that had already been emitted, "
     "so that window came out twice: drop events whose window has closed and count them in late_events.")),
    ("unsorted-emissions", {"ordered": False}, ("windows closed by the same call (or flushed) came out in the wrong order: "
     "sort each returned list by (window_start, key).")),
)


def replay(cls_kwargs, init_args, events) -> dict:
    op = Reference(*init_args, **cls_kwargs)
    steps = [[list(x) for x in op.process(ts, key)] for ts, key in events]
    return {"steps": steps, "flush": [list(x) for x in op.flush()], "late": op.late_events}


# ------------------------------------------------------------------ streams
def _stream(seed, n, window, lateness, jitter, keys="dbca"):
    rng = np.random.default_rng(seed)
    t, events = 0, []
    for _ in range(n):
        t += int(rng.integers(0, max(2, window // 3)))
        ts = max(0, t - int(rng.integers(0, jitter + 1))) if rng.random() < 0.35 else t
        if rng.random() < 0.15:
            ts = ts // window * window                     # exactly on a boundary
        events.append((int(ts), str(rng.choice(list(keys)))))
    return events


HANDMADE = [(0, "b"), (3, "a"), (9, "b"), (10, "a"), (10, "c"), (4, "a"), (19, "b"), (20, "b"), (12, "c"),
            (35, "a"), (5, "b"), (29, "c"), (40, "c"), (31, "a"), (59, "b"), (60, "a")]


def _case(label, init_args, events) -> Case:
    return Case((tuple(init_args), events), {}, label, extra={"init": tuple(init_args), "events": events})


def _in_order_cases():
    return [_case("an in-order stream: window=10, events on window boundaries, keys arriving unsorted", (10,),
                  sorted(_stream(seed_for(MODULE, "stream", "in-order"), 60, 10, 0, 0), key=lambda e: e[0])),
            _case("the stream 0 b, 3 a, 9 b, 10 a, 10 c, 4 a, 19 b, 20 b, 12 c, 35 a, 5 b, ... with window=10",
                  (10,), HANDMADE)]


def _lateness_cases():
    return [_case("an out-of-order stream: window=10, allowed_lateness=5", (10, 5),
                  _stream(seed_for(MODULE, "stream", "late5"), 80, 10, 5, 12)),
            _case("an out-of-order stream: window=60, allowed_lateness=15", (60, 15),
                  _stream(seed_for(MODULE, "stream", "late15"), 120, 60, 15, 40)),
            _case("the handmade stream with window=10, allowed_lateness=3", (10, 3), HANDMADE)]


def _late_cases():
    return [_case("an out-of-order stream with many late events: window=20, allowed_lateness=0", (20, 0),
                  _stream(seed_for(MODULE, "stream", "late0"), 100, 20, 0, 45)),
            _case("late events for windows that never held an event: window=5, allowed_lateness=2", (5, 2),
                  [(1, "a"), (12, "a"), (16, "b"), (7, "b"), (2, "c"), (30, "a"), (21, "a"), (26, "b"), (15, "c"),
                   (24, "c"), (50, "a"), (44, "b"), (45, "b"), (46, "a")])]


def _args(target, cases):
    return (target, [c.args for c in cases])


# ------------------------------------------------------------------ judging
def _first_difference(got: dict, want: dict, events) -> str:
    for n, (g, w) in enumerate(zip(got["steps"], want["steps"])):
        if g != w:
            ts, key = events[n]
            return f"call {n + 1}, process({ts}, {key!r}), returned a different list of closed windows"
    if got.get("flush") != want["flush"]:
        return "flush() returned a different list of remaining windows"
    if got.get("late") != want["late"]:
        return f"late_events is {got.get('late')} after the stream, which is not the number of late events"
    return "the emissions differ"


def _shape_problem(obs) -> str | None:
    for n, step in enumerate(obs.get("steps", []) + [obs.get("flush", [])]):
        where = f"process() call {n + 1}" if n < len(obs.get("steps", [])) else "flush()"
        if isinstance(step, dict):
            if "not_list" in step:
                return f"{where} returned {step['not_list']}, not a list of (window_start, key, count) tuples"
            return f"{where} returned a list whose items are not (window_start, key, count) triples"
        for item in step:
            if isinstance(item[2], list):
                return f"{where} returned a count of type {item[2][1]}: counts are ints"
    late = obs.get("late")
    if isinstance(late, list):
        return f"late_events is not an int ({late[1]})"
    return None


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            from graders.engine.judges import error_failure

            return error_failure(case, obs["error"])
        if "failed" in obs:
            from graders.engine.judges import error_failure

            at = obs["failed"]["at"]
            failure = error_failure(case, obs["failed"]["error"])
            where = f"at event {at + 1} ({case.extra['events'][at]})" if isinstance(at, int) else "in flush()"
            return type(failure)(failure.status, failure.message + f" [{where}]", failure.mistake)
        shape = _shape_problem(obs)
        if shape:
            return incorrect(case, shape + ".", "wrong-return-shape")
        got = {"steps": [[list(x) for x in s] for s in obs["steps"]], "flush": [list(x) for x in obs["flush"]],
               "late": obs["late"]}
        want = replay({}, case.extra["init"], case.extra["events"])
        if got == want:
            continue
        for mistake_id, kwargs, message in VARIANTS:
            wrong = replay(kwargs, case.extra["init"], case.extra["events"])
            if wrong != want and got == wrong:
                return incorrect(case, message, mistake_id)
        if got["steps"] == want["steps"] and got["flush"] == want["flush"]:
            return incorrect(case, "the windows are right but late_events is not the number of events dropped "
                                   "because their window had closed.", "late-events-count")
        return incorrect(case, _first_difference(got, want, case.extra["events"]) + ".")
    return None


TumblingCounter = Exercise(
    "TumblingCounter",
    skill="streaming",
    cell_timeout=20.0,
    hints=(
        ("Keep a count per open (window_start, key), the maximum event time seen, and the late counter. The "
        "watermark (max seen − allowed_lateness) only moves forward; a window is final once the watermark "
        "reaches its end, and an event whose window is already final is late."),
        ("In process: compute window_start = ts // window * window; if window_start + window <= watermark, count "
        "it late and return []; else add it, update the max, then pop every open window whose end <= watermark "
        "and return them sorted."),
        ("`closed = sorted(k for k in self.counts if k[0] + self.window <= wm)`; `return [(s, k, "
        "self.counts.pop((s, k))) for s, k in closed]`; flush pops everything the same way."),
    ),
    checks=(
        Check("in order: windows [start, start + window) emitted when the watermark reaches their end, sorted", 4,
              _in_order_cases, _judge, probe=sandbox_stream.stream_replay, probe_args=_args),
        Check("out of order: allowed lateness keeps windows open for stragglers", 4, _lateness_cases, _judge,
              probe=sandbox_stream.stream_replay, probe_args=_args),
        Check("late events are dropped, counted in late_events, never emitted twice", 4, _late_cases, _judge,
              probe=sandbox_stream.stream_replay, probe_args=_args),
    ),
)
