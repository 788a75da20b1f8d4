"""out_of_core_agg(path, key, value): per-key count, sum and mean of a 20-million-row Parquet file.

The files are written once per grading process by ``shop.write_order_lines`` into a folder of the grading
process's files folder, which the box shows read-only, and their exact per-key counts and sums are kept while
writing. Writing the big one takes 2.4 CPU-s, so the grading machine keeps it between runs
(``graders/engine/kept_files.py``): a later cold grade copies it (0.06 s).
The learner's function runs in a fresh process (``sandbox_fresh``) whose peak memory is measured.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from importlib.metadata import version

import numpy as np

from graders.engine import kept_files
from graders.engine.judges import error_failure, incorrect
from graders.engine.paths import grader_files
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, seed_for

from . import sandbox_fresh
from .background import Prepared
from .data import shop
from .tables import canonical, column_problem

MODULE = "07_data_engineering"
BIG_ROWS = 20_000_000
BUDGET_MB = 160
_DIR: list[str] = []
_FILES: dict[str, DataFile] = {}


def folder() -> str:
    """Inside the grading process's files folder: the box shows learner code that one, read-only."""
    if not _DIR:
        _DIR.append(tempfile.mkdtemp(prefix="m07-parquet-", dir=grader_files()))
        atexit.register(shutil.rmtree, _DIR[0], True)
    return _DIR[0]


class DataFile:
    """One generated Parquet file and its exact per-key counts and sums, written in the background."""

    def __init__(self, name: str, rows: int, products: int, key: str, value: str):
        self.path = os.path.join(folder(), f"{name}.parquet")
        self.spec = (name, rows, products, key, value)
        self.expected: dict = {}
        self.stamp: tuple | None = None
        self.job = Prepared(self.path + ".ready", self._write)

    def _write(self) -> dict:
        name, rows, products, key, value = self.spec
        seed = seed_for(MODULE, "out_of_core_agg", name)

        def make(path: str) -> dict:
            keys, counts, totals = shop.write_order_lines(path, n_rows=rows, n_products=products, seed=seed,
                                                          names=(key, value))
            return {"sums": [[int(k), int(n), float(t)] for k, n, t in zip(keys, counts, totals) if n]}

        # a cold grade copies the file an earlier run wrote (2.4 CPU-s saved for the big one); the recipe is
        # all that decides its bytes and sums
        recipe = ("order lines", self.spec, seed, kept_files.code_digest(shop.__file__), np.__version__,
                  version("pyarrow"))           # its version without importing it
        made = kept_files.kept(self.path, f"{MODULE}-order-lines-{name}", recipe, make)
        st = os.stat(self.path)
        self.stamp = (st.st_size, st.st_mtime_ns)
        self.expected = {k: (n, t) for k, n, t in made["sums"]}
        return {"path": self.path, "bytes": st.st_size}

    def start(self) -> str:
        """Start writing (or rewrite a file a submission changed); the marker path for the probe."""
        if self.stamp is not None:
            try:
                st = os.stat(self.path)
                spoiled = (st.st_size, st.st_mtime_ns) != self.stamp
            except FileNotFoundError:
                spoiled = True
            if spoiled:
                self.stamp = None
                self.job.reset()
        return self.job.start()


def _file(name, rows, products, key, value) -> DataFile:
    if name not in _FILES:
        _FILES[name] = DataFile(name, rows, products, key, value)
    return _FILES[name]


def _small_cases():
    f = _file("small", 300_000, 150, "store_id", "sales")
    return [Case((f.path, "store_id", "sales"), {}, "a 300,000-row Parquet file (key='store_id', value='sales', "
                 "150 keys)", extra={"file": f, "key": "store_id"})]


def _big_cases():
    f = _file("big", BIG_ROWS, 2000, "product_id", "amount")
    return [Case((f.path, "product_id", "amount"), {}, "the 20,000,000-row Parquet file (230 MB on disk, 320 MB "
                 "as two columns in memory; key='product_id', value='amount', 2,000 keys)",
                 extra={"file": f, "key": "product_id"})]


def _args(timeout: float, also=None):
    """Probe arguments; ``also`` starts what the next checks need, so it is made while this one runs."""
    def args(target, cases):
        (case,) = cases
        marker = case.extra["file"].start()
        if also is not None:
            also()
        return (target, [c.args for c in cases], timeout, marker)
    return args


def _big_file_too():
    _big_cases()[0].extra["file"].start()


def _spark_too():
    # spark_top_n comes later in the notebook; its JVM takes seconds to start, so start it now, in the
    # background, while this check and the next exercises run (nothing waits for it unless needed)
    from .spark_session import warm_up

    warm_up()


WHY = ("`pd.read_parquet(path)` loads every row; aggregate where the data streams instead: DuckDB "
          "(`SELECT key, count(*), sum(value) ... FROM read_parquet(path) GROUP BY key`), polars "
          "(`pl.scan_parquet(path).group_by(key).agg(...).collect()`), or pyarrow batches with running sums "
          "(`pq.ParquetFile(path, pre_buffer=False).iter_batches(...)`: with its default pre_buffer=True, pyarrow "
          "reads ahead the whole file).")
MEMORY = ("your function's memory peaked at {peak:.0f} MB above the fresh process's baseline, over the "
          f"{BUDGET_MB} MB budget for a file of 230 MB: it held (close to) the whole file in memory. ") + WHY


def _judge(measure: bool):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            if obs.get("grader_error"):
                return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault): {obs['grader_error']}")
            if obs.get("timeout"):
                return incorrect(case, "did not finish in time in a fresh process: an aggregation over this file "
                                       "takes about a second in DuckDB or polars.")
            if obs.get("died"):
                return incorrect(case, "the fresh process running your function died (out of memory, or a crash) "
                                       f"before returning. {WHY}", "whole-file-in-memory")
            if "error" in obs:
                err = obs["error"]
                if err.get("type") == "MemoryError" or "memory" in str(err.get("message", "")).lower():
                    return incorrect(case, f"your function ran out of memory. {WHY}", "whole-file-in-memory")
                return error_failure(case, err)
            problem = _values_problem(case, obs.get("value"))
            if problem:
                return problem
            if measure and obs.get("peak_mb", 0) > BUDGET_MB:
                return incorrect(case, MEMORY.format(peak=obs["peak_mb"]), "whole-file-in-memory")
        return None
    return judge


def _values_problem(case, desc):
    key = case.extra["key"]
    wanted = [key, "n", "total", "mean"]
    if not isinstance(desc, dict) or desc.get("kind") != "table":
        what = desc.get("type") if isinstance(desc, dict) else type(desc).__name__
        return incorrect(case, f"expected a pandas DataFrame with columns {wanted}, got {what}.")
    problem = column_problem(desc, wanted)
    if problem:
        return incorrect(case, problem + ".", "wrong-columns")
    idx = {c: desc["columns"].index(c) for c in wanted}
    expected = case.extra["file"].expected
    got = {}
    for row in desc["rows"]:
        k = canonical(row[idx[key]])
        if k[0] != 1:
            return incorrect(case, f"the `{key}` column holds non-numeric values: keep the key's own values.")
        if k[1] in got:
            return incorrect(case, f"key {int(k[1])} appears in more than one row: one row per key (group the "
                                   "partial results of all batches before returning).", "duplicate-keys")
        got[k[1]] = [canonical(row[idx[c]]) for c in ("n", "total", "mean")]
    if set(got) != {float(k) for k in expected}:
        missing = len({float(k) for k in expected} - set(got))
        return incorrect(case, f"your result has {len(got)} keys; {missing} key(s) of the file are missing"
                               if missing else "your result has keys that are not in the file.", "wrong-keys")
    bad_n = bad_total = bad_mean = unweighted = 0
    for k, (n, total) in expected.items():
        gn, gt, gm = got[float(k)]
        if gn[0] != 1 or gn[1] != n:
            bad_n += 1
        if gt[0] != 1 or not np.isclose(gt[1], total, rtol=1e-6, atol=1e-9):
            bad_total += 1
        if gm[0] != 1 or not np.isclose(gm[1], total / n, rtol=1e-6, atol=1e-9):
            bad_mean += 1
            if gn[0] == gt[0] == gm[0] == 1 and gn[1] == n and not np.isclose(gm[1], gt[1] / gn[1], rtol=1e-6):
                unweighted += 1
    if bad_n:
        return incorrect(case, f"`n` is wrong for {bad_n} of {len(expected)} keys: it counts the rows of each key "
                               "in the whole file.", "wrong-count")
    if bad_total:
        return incorrect(case, f"`total` is wrong for {bad_total} of {len(expected)} keys: it is the sum of `value` "
                               "over all rows of the key.", "wrong-total")
    if unweighted:
        return incorrect(case, f"`mean` is not total / n for {unweighted} of {len(expected)} keys: averaging the "
                               "means of batches weighs a batch with 3 rows of a key like one with 3,000. Keep "
                               "running counts and sums, and divide once at the end.", "mean-of-batch-means")
    if bad_mean:
        return incorrect(case, f"`mean` is wrong for {bad_mean} of {len(expected)} keys (it is total / n).")
    return None


out_of_core_agg = Exercise(
    "out_of_core_agg",
    skill="out-of-core",
    cell_timeout=20.0,
    hints=(
        ("The file holds 320 MB of numbers but the answer is 2,000 rows: aggregate while the data streams past, "
        "keeping only a count and a sum per key. Engines that plan a query over a file do exactly that."),
        ("DuckDB: `duckdb.sql(\"SELECT key, count(*) AS n, sum(value) AS total ... FROM read_parquet('path') "
        "GROUP BY key\").df()`; polars: `pl.scan_parquet(path).group_by(key).agg(pl.len().alias('n'), ...)`."),
        ("`duckdb.sql(f\"SELECT {key}, count(*) AS n, sum({value}) AS total, sum({value}) / count(*) AS mean FROM "
        "read_parquet('{path}') GROUP BY {key}\").df()`."),
    ),
    checks=(
        Check("count, sum and mean per key", 4, _small_cases, _judge(False), probe=sandbox_fresh.fresh_calls,
              probe_args=_args(60.0, _big_file_too), timeout=70.0),
        Check(f"a 20-million-row file with a peak under {BUDGET_MB} MB", 6, _big_cases, _judge(True),
              probe=sandbox_fresh.fresh_calls, probe_args=_args(100.0, _spark_too), timeout=110.0, mem_bytes=6 << 30),
    ),
)
