"""The CSV files of chunked_group_mean, written by the grading process; only their paths reach the sandbox.

They live in a private temporary folder inside the engine's grader files folder (which the box shows
read-only), made once per process and removed at exit. The big one is written as fixed-width rows
straight from numpy, so making it costs about a second; its exact means come from the integers it
was made of. The grading machine keeps it and its means between runs (``graders/engine/kept_files.py``),
so a later cold grade copies it instead. Before each use its size and mtime are checked, so a
submission that scribbles on a file (without the box) cannot spoil the next submission: the file is
rewritten.
"""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile

import numpy as np
import pandas as pd

from graders.engine import kept_files
from graders.engine.paths import grader_files

BIG_ROWS = 3_200_000            # 15 bytes a row: 48 MB (45.8 MiB)
MEM_CAP = 40 << 20              # extra address space for the probe: below the file, twice what chunks need
BIG_CHUNKSIZE = 50_000          # pandas needs ~20 MiB to read and group chunks this size; whole reads 60+ MiB
_DIR: list[str] = []
_FILES: dict[str, tuple] = {}   # path -> (size, mtime_ns, writer)


def folder() -> str:
    if not _DIR:
        _DIR.append(tempfile.mkdtemp(prefix="04-csv-", dir=grader_files()))
        atexit.register(shutil.rmtree, _DIR[0], True)
    return _DIR[0]


def register(path, writer):
    """Write the file with ``writer(path)`` and remember how, for :func:`ensure`; what the writer returned."""
    made = writer(path)
    st = os.stat(path)
    _FILES[path] = (st.st_size, st.st_mtime_ns, writer)
    return made


def ensure(path: str) -> None:
    """Rewrite the file if it is missing or was changed since we wrote it."""
    size, mtime, writer = _FILES[path]
    try:
        st = os.stat(path)
        if (st.st_size, st.st_mtime_ns) == (size, mtime):
            return
    except FileNotFoundError:
        pass
    register(path, writer)


# ------------------------------------------------------------------ the big file
@functools.lru_cache(maxsize=1)
def big_parts(seed):
    """Store codes (popularity drifting along the file) and amounts in thousandths (trending up)."""
    rng = np.random.default_rng(seed)
    n_keys, n_blocks = 200, 28
    base = rng.dirichlet(np.full(n_keys, 0.6))
    drift = rng.normal(0, 2.0, n_keys)
    sizes = np.diff(np.linspace(0, BIG_ROWS, n_blocks + 1).astype(np.int64))
    keys = np.concatenate([np.searchsorted(np.cumsum(p / p.sum()), rng.random(size), side="right")
                           for p, size in ((base * np.exp(drift * b / n_blocks), size)
                                           for b, size in enumerate(sizes))]).astype(np.int32)
    keys = np.minimum(keys, n_keys - 1)
    level = rng.integers(50_000, 400_000, n_keys).astype(np.int32)
    trend = (np.arange(BIG_ROWS, dtype=np.int64) * 200_000 // BIG_ROWS).astype(np.int32)
    noise = rng.integers(-90_000, 90_001, BIG_ROWS, dtype=np.int32)
    amount = np.clip(level[keys] + trend + noise, 0, 999_999).astype(np.int32)
    return keys, amount


def _digits(values, width):
    out, rest = [], values
    for _ in range(width):
        rest, digit = np.divmod(rest, 10)
        out.append(digit.astype(np.uint8) + 48)
    return out[::-1]


def write_big(path, seed):
    keys, amount = big_parts(seed)
    k, a = _digits(keys, 3), _digits(amount, 6)
    n = BIG_ROWS
    comma, dot, newline = (np.full(n, ord(c), dtype=np.uint8) for c in ",.\n")
    qty = (49 + (keys + amount) % 9).astype(np.uint8)
    rows = np.stack([np.full(n, ord("s"), dtype=np.uint8), *k, comma, *a[:3], dot, *a[3:], comma, qty, newline],
                    axis=1)
    with open(path, "wb") as fh:
        fh.write(b"store,amount,qty\n")
        fh.write(rows.tobytes())


def big_expected(seed):
    keys, amount = big_parts(seed)
    counts = np.bincount(keys)
    sums = np.bincount(keys, weights=amount.astype(float))
    return {f"s{k:03d}": float(sums[k] / counts[k] / 1000.0) for k in np.flatnonzero(counts)}


def write_big_kept(path, seed) -> dict:
    """``write_big``'s file and ``{"expected": big_expected(seed)}``, copied from what an earlier grading run
    kept (``graders/engine/kept_files.py``) when it can be: a cold grade then skips the 0.7 s of making them."""
    def make(part: str) -> dict:
        write_big(part, seed)
        return {"expected": big_expected(seed)}

    recipe = ("sales_big.csv", seed, BIG_ROWS, kept_files.code_digest(__file__), np.__version__)
    return kept_files.kept(path, "04_features-sales_big", recipe, make)


# ------------------------------------------------------------------ small files
def small_frame(seed, n=3000):
    rng = np.random.default_rng(seed)
    user = rng.choice(np.arange(1, 61), size=n, p=rng.dirichlet(np.full(60, 0.5)))
    order = np.argsort(user % 7 + rng.random(n) * 3)          # keys cluster in parts of the file
    spend = np.round(rng.gamma(2.0, 30.0, n) + user, 2)
    frame = pd.DataFrame({"user_id": user[order], "country": rng.choice(["PT", "ES", "FR, overseas"], n),
                          "spend": spend[order]})
    frame.loc[rng.random(n) < 0.05, "spend"] = np.nan
    return frame


def write_frame(frame):
    return lambda p: frame.to_csv(p, index=False)


def small_expected(frame, key, value):
    means = frame.groupby(key)[value].mean().dropna()
    return {str(k): float(v) for k, v in means.items()}
