"""chunked_group_mean: exact group means of a CSV read in chunks, under a memory cap smaller than the file."""
from __future__ import annotations

import dataclasses
import hashlib
import os

import numpy as np
import pandas as pd

from graders.engine.domains import Column, Domain, Frames
from graders.engine.judges import error_failure
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .csv_files import (
    _FILES,
    BIG_CHUNKSIZE,
    BIG_ROWS,
    MEM_CAP,
    big_parts,
    ensure,
    folder,
    register,
    small_expected,
    small_frame,
    write_big_kept,
    write_frame,
)
from .frames import incorrect, what
from .helpers import frames_each


def _big_cases():
    seed = seed_for("04_features", "chunked_group_mean", "big")
    path = os.path.join(folder(), "sales_big.csv")
    expected = register(path, lambda p: write_big_kept(p, seed))["expected"]
    size = os.path.getsize(path)
    return [Case((path, "store", "amount", BIG_CHUNKSIZE), {},
                 f"a {size / 2 ** 20:.0f} MiB CSV ({BIG_ROWS:,} rows, 200 stores) with {MEM_CAP >> 20} MiB of memory "
                 f"to spare, chunksize={BIG_CHUNKSIZE:,}", extra={"expected": expected, "seed": seed})]


def _small_cases():
    frame = small_frame(seed_for("04_features", "chunked_group_mean", "small"))
    path = os.path.join(folder(), "spend_small.csv")
    register(path, write_frame(frame))
    return [Case((path, "user_id", "spend", 256), {}, "a 3000-row CSV (integer user ids that cluster in parts of "
                 "the file, 5% missing spend, a quoted text column), chunksize=256",
                 extra={"expected": small_expected(frame, "user_id", "spend"), "frame": frame})]


def example_frame():
    """The notebook's example CSV content (the notebook writes the same file)."""
    return pd.DataFrame({"city": ["Lisbon", "Porto", "Lisbon", "Porto", "Lisbon", "Madrid", "Lisbon"],
                         "price": [100.0, 80.0, 120.0, None, 90.0, 70.0, 110.0]})


def _example_cases():
    path = os.path.join(folder(), "example.csv")
    register(path, write_frame(example_frame()))
    return [Case((path, "city", "price", 2), {}, "the notebook's example (7 rows, chunksize=2)",
                 extra={"expected": small_expected(example_frame(), "city", "price"), "frame": example_frame()})]


def _args(target, cases):
    for case in cases:
        ensure(case.args[0])
    return (target, [(c.args, c.kwargs) for c in cases], False)


# ------------------------------------------------------------------ judging
def _key(k):
    if isinstance(k, (float, np.floating)) and float(k).is_integer():
        return str(int(k))
    return str(k)


def _mapping(desc, key):
    """{key as text: mean} from a Series, a dict or a DataFrame (keys as its index or its `key` column)."""
    kind = desc.get("kind")
    if kind == "series" and desc["data"].get("kind") == "number":
        keys, values = desc["index"], desc["data"]["values"]
    elif kind == "dict":
        keys, values = desc["keys"], desc["values"]
    elif kind == "frame":
        cols, data = desc["columns"], desc["data"]
        numeric = [i for i, d in enumerate(data) if d.get("kind") == "number"]
        keyed = [i for i, c in enumerate(cols) if c == key]
        if keyed and len([i for i in numeric if i not in keyed]) == 1:
            k = keyed[0]
            v = [i for i in numeric if i != k][0]
            keys, values = data[k]["values"], data[v]["values"]
        elif len(cols) == 1 and numeric:
            keys, values = desc["index"], data[0]["values"]
        else:
            return None
    else:
        return None
    try:
        return {_key(k): float(v) for k, v in zip(list(keys), list(values))}
    except (TypeError, ValueError):
        return None


def _chunk_means(frame, key, value, chunksize, count_nan=False):
    sums: dict = {}
    for start in range(0, len(frame), chunksize):
        part = frame.iloc[start:start + chunksize]
        grouped = part.groupby(key, observed=True)[value]
        means = grouped.sum() / grouped.size() if count_nan else grouped.mean()
        for k, v in means.dropna().items():
            sums.setdefault(str(k), []).append(v)
    return {k: float(np.mean(v)) for k, v in sums.items()}


def _nan_counted(frame, key, value):
    grouped = frame.groupby(key)[value]
    return {str(k): float(v) for k, v in (grouped.sum() / grouped.size()).items()}


def _frame_of(case):
    if "frame" in case.extra:
        return case.extra["frame"]
    keys, amount = big_parts(case.extra["seed"])
    return pd.DataFrame({"store": pd.Categorical.from_codes(keys, [f"s{k:03d}" for k in range(keys.max() + 1)]),
                         "amount": amount / 1000.0})


def _close(got, exp):
    return set(got) == set(exp) and all(np.isclose(got[k], exp[k], rtol=1e-6, atol=1e-9) for k in exp)


MEMORY = Mistake("whole-file-in-memory", "your function needed more memory than the cap, which is smaller than the "
                 "file: read it with pd.read_csv(csv_path, chunksize=chunksize, usecols=[key, value]) and keep only a "
                 "running sum and count per key, never the rows themselves.")


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        if "error" in obs:
            err = obs["error"]
            if err.get("type") == "MemoryError" or "memory" in err.get("message", "").lower():
                return incorrect(case, MEMORY.message, MEMORY.id)
            return error_failure(case, err)
        desc = obs["value"]
        got = _mapping(desc, case.args[1])
        if got is None:
            return incorrect(case, f"expected a Series of means indexed by key (or a dict key -> mean), got "
                                   f"{what(desc)}.")
        expected = case.extra["expected"]
        if _close(got, expected):
            continue
        key, value, chunksize = case.args[1:]
        frame = _frame_of(case)
        if _close(got, _chunk_means(frame, key, value, chunksize)):
            return incorrect(case, "you averaged the per-chunk means: chunks hold different numbers of rows per "
                                   "key, so the mean of means is not the mean. Accumulate sums and counts per key "
                                   "over all chunks and divide once at the end.", "mean-of-chunk-means")
        if frame[value].isna().any() and _close(got, _nan_counted(frame, key, value)):
            return incorrect(case, "you counted rows with a missing value: pandas' mean skips them, so count only "
                                   "non-missing values (groupby(key)[value].count(), not .size()).", "nan-counted")
        if len(got) < len(expected):
            return incorrect(case, f"you returned {len(got)} keys, the file has {len(expected)}: combine the results "
                                   "of *all* chunks (a return inside the loop stops after the first).",
                             "not-all-chunks")
        bad = [k for k in expected if k in got and not np.isclose(got[k], expected[k], rtol=1e-6, atol=1e-9)]
        extra = sorted(set(got) - set(expected))[:3]
        if extra:
            return incorrect(case, f"your keys include values that are not in the `{key}` column, e.g. {extra}.")
        return incorrect(case, f"the means of {len(bad)} of {len(expected)} keys are wrong.")
    return None


# ------------------------------------------------------------------ generated cases (engine/domains.py)
def _each_key_has_a_value(args, kwargs):
    """A key whose values are all missing has no mean (pandas gives NaN, a dict of running totals no entry):
    the syllabus does not say which, so every key keeps a value."""
    frame, key, value, _ = args
    return bool(frame.groupby(key)[value].count().gt(0).all())


# the contract's inputs: a CSV of 1..12 rows whose key is an int or a text (a quoted comma, a space) and whose float
# value has missing entries, with another text column; chunksize 1, a few rows, or more than the file. No missing
# keys (pandas drops them, a csv reader keeps ""), no all-missing key (see above)
DOMAIN = Domain(args=(Frames({"user": Column("int64", ints=(0, 3)), "city": Column("object", values=(
                          "Lisbon", "FR, overseas", "São Paulo", " Porto")), "spend": Column(low=0.0, high=100.0,
                                                                                               missing=True)},
                             rows="n"), ("user", "city"), ("spend",), (1, 2, 5, 20)),
                names=("rows", "key", "value", "chunksize"), dim_sizes={"n": (1, 12)}, where=_each_key_has_a_value,
                examples=5)


def _on_file(case):
    """A drawn case (frame, key, value, chunksize) as the hand-picked ones: the frame written to a CSV named by its
    content (kept for the process: shrinking rewrites smaller frames), its path the first argument."""
    frame, key, value, chunksize = case.args
    text = frame.to_csv(index=False)
    path = os.path.join(folder(), f"drawn-{hashlib.sha1(text.encode()).hexdigest()[:16]}.csv")
    if path not in _FILES:
        register(path, write_frame(frame))
    label = case.label.replace("rows = a", "a CSV written from a", 1)
    return dataclasses.replace(case, args=(path, key, value, chunksize), label=label,
                               extra={"expected": small_expected(frame, key, value), "frame": frame})


def _judge_drawn(cases, observations):
    return _judge([_on_file(c) for c in cases], observations)


def _args_drawn(target, cases):
    return _args(target, [_on_file(c) for c in cases])


chunked_group_mean = Exercise(
    "chunked_group_mean",
    skill="data-engineering",
    hints=(
        "A mean is a sum divided by a count, and both can be accumulated chunk by chunk: memory then grows with "
        "the number of keys, never with the number of rows.",
        "for chunk in pd.read_csv(csv_path, usecols=[key, value], chunksize=chunksize): g = "
        "chunk.groupby(key)[value]; add g.sum() and g.count() into running totals (Series.add(..., fill_value=0)).",
        "`total = total.add(g.sum(), fill_value=0); count = count.add(g.count(), fill_value=0)`; at the end "
        "`return total / count`.",
    ),
    checks=(
        Check("the example in the notebook", 1, _example_cases, _judge, probe=frames_each, probe_args=_args),
        Check("exact means from chunks: sums and counts, missing values skipped", 3, _small_cases, _judge,
              probe=frames_each, probe_args=_args, timeout=20.0),
        Check("under a memory cap smaller than the file", 5, _big_cases, _judge, probe=frames_each, probe_args=_args,
              timeout=90.0, mem_bytes=MEM_CAP),
        generated(DOMAIN, _judge_drawn, 1, seed_for("04_features", "chunked_group_mean", "domain"), probe=frames_each,
                  probe_args=_args_drawn, timeout=20.0),
    ),
)
