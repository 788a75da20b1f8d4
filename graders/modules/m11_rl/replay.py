"""ReplayBuffer(capacity, obs_shape, seed=0): a circular buffer sampled uniformly with replacement.

Transition i has every field encoding i (helpers ``transition``: reward i + 0.25, obs i + a pattern,
next_obs obs + 0.5, action i % n_actions, terminated i % 3 == 0), so each sampled row says which
transition it came from and whether its fields belong together. Uniformity is graded by a
chi-square test at p >= 1e-6 on 20,000 draws; membership exactly.
"""
from __future__ import annotations

import numpy as np

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise

from .sandbox_probes import obs_shape_of, replay_probe

P_MIN = 1e-6
N_ACTIONS = 4


def _fields(batch, shape):
    """(the batch's fields as float arrays, one row per sampled transition, problem or None)."""
    size = int(batch["size"])
    obs, next_obs = (np.asarray(batch[k], dtype=float) for k in ("obs", "next_obs"))
    if obs.shape != (size, *shape) or next_obs.shape != (size, *shape):
        return None, (f"sample({size}) gave obs of shape {obs.shape} and next_obs of shape {next_obs.shape}; " \
                      f"expected the batch first: ({size}, {', '.join(map(str, shape))})")
    width = int(np.prod(shape))
    flat = {"obs": obs.reshape(size, width), "next_obs": next_obs.reshape(size, width)}
    for key in ("action", "reward", "terminated"):
        arr = np.asarray(batch[key])
        if arr.size != size or arr.shape[:1] != (size,):
            return None, f"sample({size}) gave `{key}` of shape {arr.shape}; expected ({size},)"
        flat[key] = arr.reshape(size).astype(float)
    return flat, None


def _ids(flat, shape, n_adds):
    """Each row's transition id; -1 for a row that is no stored transition, -2 for fields of several."""
    ids = np.round(flat["reward"] - 0.25).astype(int)
    pattern = np.arange(int(np.prod(shape)), dtype=float) / 100.0
    rows = flat["obs"]
    ok = (np.abs(flat["reward"] - ids - 0.25) < 1e-9) & (ids >= 0) & (ids < n_adds)
    ids = np.where(ok, ids, -1)
    consistent = ok & np.all(np.abs(rows - ids[:, None] - pattern) < 1e-9, axis=1) \
        & np.all(np.abs(flat["next_obs"] - rows - 0.5) < 1e-9, axis=1) \
        & (flat["action"] == ids % N_ACTIONS) & (flat["terminated"] == (ids % 3 == 0))
    return np.where(consistent, ids, np.where(ok, -2, -1))


def decode(batch, shape, n_adds):
    """(ids of the rows' transitions (-1 when the row is no stored transition), problem or None)."""
    flat, problem = _fields(batch, shape)
    return (None, problem) if problem else (_ids(flat, shape, n_adds), None)


def decode_all(batches, shape, n_adds):
    """decode() of every batch at once, their ids concatenated: the uniformity check samples 1,000 batches,
    and decoding them one by one cost 0.1 s of numpy calls on 20 rows each."""
    parts = []
    for batch in batches:
        flat, problem = _fields(batch, shape)
        if problem:
            return None, problem
        parts.append(flat)
    if not parts:
        return np.zeros(0, dtype=int), None
    return _ids({key: np.concatenate([p[key] for p in parts]) for key in parts[0]}, shape, n_adds), None


def _rows(case, rec):
    """All decoded ids of one build, or a Failure."""
    shape, adds = obs_shape_of(case.extra["obs_shape"]), case.extra["adds"]
    if rec.get("bad"):
        return incorrect(case, f"sample() returned {rec['bad']}; return a dict with keys 'obs', 'action', "
                         "'reward', 'next_obs', 'terminated'.")
    ids, problem = decode_all(rec["batches"], shape, adds)
    if rec["batches"] and problem is None and (ids >= 0).all():
        return np.split(ids, np.cumsum([int(b["size"]) for b in rec["batches"]])[:-1])
    out = []        # some batch is wrong: decoded one by one, the first one's slip is named, as it comes
    for batch in rec["batches"]:
        ids, problem = decode(batch, shape, adds)
        if problem:
            return incorrect(case, problem + ".")
        if (ids == -1).any():
            bad = ids == -1
            zeros = (np.asarray(batch["reward"], dtype=float).reshape(-1)[bad] == 0) & \
                np.all(np.asarray(batch["obs"], dtype=float).reshape(len(ids), -1)[bad] == 0, axis=1)
            if adds < case.extra["capacity"] and zeros.any():
                return incorrect(case, "sample() returned rows that were never written (zeros): before the buffer "
                                 "is full, draw indices only from the len() stored transitions.",
                                 "sampled-empty-slots")
            return incorrect(case, "sample() returned rows that match no transition that was added.")
        if (ids == -2).any():
            if case.extra.get("reuse"):
                return incorrect(case, "the stored observations changed after add(): you kept references to the "
                                 "caller's arrays, which the caller then overwrote (as environments do). Copy obs "
                                 "and next_obs into your own storage, e.g. self.obs[i] = obs.", "stores-references")
            return incorrect(case, "the fields of a sampled row come from different transitions: draw one set of "
                             "indices and use it for every field.", "fields-mixed")
        out.append(ids)
    return out


def _sample_error(case, rec):
    error = rec["sample_error"]
    if "replace" in error.get("message", "") and rec["asked"] > rec["len"]:
        return incorrect(case, f"sample({rec['asked']}) with only {rec['len']} transitions stored raised "
                         f"{error.get('type')}: sample WITH replacement (rng.integers(0, len, size=batch_size)), "
                         "so any batch size works.", "without-replacement")
    return error_failure(case, error)


def _length_failure(case, rec):
    want = min(case.extra["adds"], case.extra["capacity"])
    if rec["len"] == want:
        return None
    if rec["len"] > case.extra["capacity"]:
        return incorrect(case, f"len() is {rec['len']} for a buffer of capacity {case.extra['capacity']}: it "
                         "must never grow past capacity; overwrite the oldest transition instead.",
                         "grows-past-capacity")
    return incorrect(case, f"len() is {rec['len']} after {case.extra['adds']} add() calls (capacity "
                     f"{case.extra['capacity']}); it is the number of transitions stored.")


def _content_judge(cases, observations, rows=_rows):
    """Length, shapes, every row a whole stored transition, the right ones stored, all of them drawn."""
    case = cases[0]
    for rec in observations:
        if rec.get("sample_error"):
            return _sample_error(case, rec)
        failure = _length_failure(case, rec)
        if failure:
            return failure
        ids = rows(case, rec)
        if not isinstance(ids, list):
            return ids
        drawn = np.concatenate(ids)
        adds, cap = case.extra["adds"], case.extra["capacity"]
        stored = np.arange(max(0, adds - cap), adds)
        if not np.isin(drawn, stored).all():
            if adds > cap and np.isin(drawn, np.r_[np.arange(cap - 1), adds - 1]).all():
                return incorrect(case, "once full, your buffer overwrote the newest transition again and again: "
                                 "a circular buffer overwrites the OLDEST one (write at position, then "
                                 "position = (position + 1) % capacity).", "evicts-newest")
            return incorrect(case, f"sample() returned transitions that should have been overwritten: after "
                             f"{adds} adds a buffer of capacity {cap} holds only the last {cap}.",
                             "grows-past-capacity" if adds > cap else None)
        if case.extra.get("coverage") and len(np.unique(drawn)) < len(stored):
            missing = len(stored) - len(np.unique(drawn))
            return incorrect(case, f"in {len(drawn)} draws, {missing} of the {len(stored)} stored transitions "
                             "never came up: draw indices from all len() stored slots (check for an "
                             "off-by-one in the range).")
    return None


def _uniform_judge(cases, observations):
    decoded: dict = {}      # 20,000 rows decoded once, not once per question asked of them (0.08 s a time)

    def rows(case, rec):
        if id(rec) not in decoded:
            decoded[id(rec)] = _rows(case, rec)
        return decoded[id(rec)]

    failure = _content_judge(cases, observations, rows)
    if failure:
        return failure
    case, rec = cases[0], observations[0]
    ids = np.concatenate(rows(case, rec))
    adds, cap = case.extra["adds"], case.extra["capacity"]
    from scipy import stats  # imported here: grading an untouched notebook never needs it

    counts = np.bincount(ids - (adds - cap), minlength=cap)
    p = stats.chisquare(counts).pvalue
    if p < P_MIN:
        return incorrect(case, f"the {len(ids)} draws are not uniform over the stored transitions (chi-square "
                         f"p = {p:.1e}): every stored transition must be equally likely.", "not-uniform")
    if not any(len(np.unique(b)) < len(b) for b in rows(case, rec)):     # the first repeat settles it
        return incorrect(case, "no batch ever held the same transition twice: sample with replacement "
                         "(rng.integers(0, len, size=batch_size)), as the contract says.", "without-replacement")
    return None


def _seed_judge(cases, observations):
    failure = _content_judge(cases, observations)
    if failure:
        return failure
    case = cases[0]
    first, again, other = (np.concatenate(_rows(case, rec)) for rec in observations)
    if not np.array_equal(first, again):
        return incorrect(case, "two buffers built with seed=7 (and the same adds) sampled differently: create "
                         "np.random.default_rng(seed) in __init__ and draw only from it.", "seed-ignored")
    if np.array_equal(first, other):
        return incorrect(case, "buffers built with seed=7 and seed=8 sampled the same rows: use `seed`.",
                         "seed-ignored")
    return None


def scenario(label, **spec):
    spec = {"n_actions": N_ACTIONS, "seed": 0, **spec}
    return [Case((), {}, label, extra=spec)]


def _args(target, cases):
    return (target, cases[0].extra)


def _check(title, points, case, judge, **kw):
    return Check(title, points, case, judge, probe=replay_probe, probe_args=_args, timeout=30, **kw)


ReplayBuffer = Exercise(
    "ReplayBuffer",
    skill="experience replay",
    hints=(
        ("Preallocate one array per field with `capacity` rows, write each transition at a position that wraps "
        "around (the oldest gets overwritten), and sample indices uniformly from the rows written so far."),
        ("In __init__: self.rng = np.random.default_rng(seed), arrays of shape (capacity, *obs_shape) for obs and "
        "next_obs and (capacity,) for the rest, self.pos = self.size = 0. add writes row pos, then "
        "pos = (pos + 1) % capacity and size = min(size + 1, capacity)."),
        ("`idx = self.rng.integers(0, self.size, size=batch_size)`; `return {'obs': self.obs[idx], ...}`; "
        "`obs_shape = (obs_shape,) if np.isscalar(obs_shape) else tuple(obs_shape)`"),
    ),
    checks=(
        _check("the example in the notebook: len() and sample() keys and shapes", 1,
               scenario("the notebook's example: capacity 5, obs_shape 3, 3 adds, sample(4)", capacity=5,
                        obs_shape=3, adds=3, samples=[(4, 1)]), _content_judge),
        _check("before it is full: samples only written transitions, each row one whole transition, with "
               "replacement", 2,
               scenario("capacity 50, obs_shape (2, 2), 7 adds, 40 samples of 25 (more than len)", capacity=50,
                        obs_shape=(2, 2), adds=7, samples=[(25, 40)], coverage=True), _content_judge),
        _check("circular: after overflow it holds the newest `capacity` transitions, len() == capacity", 2,
               scenario("capacity 20, obs_shape 3, 53 adds, 100 samples of 32", capacity=20, obs_shape=3, adds=53,
                        samples=[(32, 100)], coverage=True), _content_judge),
        _check("add() copies its inputs (the caller reuses its arrays)", 1,
               scenario("capacity 10, obs_shape 3, 6 adds from one array the caller overwrites, 10 samples of 8",
                        capacity=10, obs_shape=3, adds=6, samples=[(8, 10)], reuse=True), _content_judge),
        _check("uniform with replacement over the stored transitions (chi-square on 20,000 draws)", 2,
               scenario("capacity 30, obs_shape (3,), 45 adds, 1000 samples of 20", capacity=30, obs_shape=(3,),
                        adds=45, samples=[(20, 1000)]), _uniform_judge),
        _check("same seed, same samples; another seed, other samples", 1,
               scenario("capacity 16, obs_shape 2, 16 adds, 5 samples of 10, seeds 7, 7, 8", capacity=16,
                        obs_shape=2, adds=16, samples=[(10, 5)], builds=[(7, 1), (7, 2), (8, 1)]), _seed_judge,
               gated=True),
    ),
)
