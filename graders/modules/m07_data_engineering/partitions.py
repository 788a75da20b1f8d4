"""write_partitioned(df, root, partition_cols) and read_pruned(root, filters): a Hive-partitioned Parquet lake.

Writing is judged from the tree the learner's function leaves under ``root`` (directory names,
the columns and rows of every file); reading is judged on lakes the sandbox writes itself (with
pyarrow, or DuckDB's COPY ... PARTITION_BY, so file names differ), and pruning by zeroing the data
pages of every file outside the filters after writing: their footers still give the schema, but
reading their rows fails, so only a reader that skips those partitions survives.
"""
from __future__ import annotations

from graders.engine.judges import error_failure, incorrect
from graders.engine.spec import Case, Check, Exercise, seed_for

from . import helpers, sandbox_lake
from .data import shop
from .tables import Table, canonical, difference, result_table, same, show

MODULE = "07_data_engineering"


def _frame(name: str, n: int):
    frame = shop.make_lake(n_rows=n, seed=seed_for(MODULE, "lake", name))
    return {c: frame[c].tolist() for c in frame.columns}


# ------------------------------------------------------------------ write_partitioned
def _write_cases():
    out = []
    for name, n, cols in (("a", 240, ("year", "region")), ("b", 90, ("region",)), ("c", 150, ("region", "year"))):
        columns = _frame(name, n)
        out.append(Case((columns, cols, name), {}, f"a {n}-row orders frame, partition_cols={list(cols)}",
                        extra={"columns": columns, "cols": cols}))
    return out


def _write_args(target, cases):
    return (target, [c.args for c in cases])


def _tree(case, obs):
    """(tree, None) or (None, Failure) for what the learner wrote."""
    if "error" in obs:
        return None, error_failure(case, obs["error"])
    tree = obs.get("tree") or {}
    if not tree.get("exists"):
        return None, incorrect(case, "nothing was written: `root` does not exist after the call (create it, e.g. "
                                     "with df.to_parquet(root, partition_cols=...) or os.makedirs).")
    if tree.get("unreadable"):
        path, why = tree["unreadable"][0]
        return None, incorrect(case, f"{len(tree['unreadable'])} file(s) under root are not readable Parquet (for "
                                     f"example {path}: {why}).")
    if not tree.get("files"):
        return None, incorrect(case, "no data file was written under root.")
    return tree, None


def _layout_problem(case, tree) -> tuple[str, str] | None:
    cols = list(case.extra["cols"])
    for f in tree["files"]:
        dirs = f["dirs"]
        names = [d.split("=", 1)[0] if "=" in d else None for d in dirs]
        if len(dirs) != len(cols) or None in names:
            where = "/".join(dirs) or "root itself"
            if len(dirs) == len(cols) or None in names:
                return ("non-hive-names", (f"a data file lies in `{where}`: each level of a Hive layout is named "
                        "`column=value` (`year=2024/region=eu/...`), so readers can recover the partition "
                        "columns from the path."))
            return ("wrong-depth", (f"a data file lies in `{where}`: with partition_cols={cols} every file belongs "
                    f"{len(cols)} directory level(s) below root, one `column=value` level per partition column."))
        if names != cols:
            if sorted(names) == sorted(cols):
                return ("partition-order", (f"your directories nest as {names}, but partition_cols is {cols}: the "
                        "levels follow the order of partition_cols."))
            return ("non-hive-names", (f"your directories are named after {names}, not after the partition columns "
                    f"{cols}."))
    return None


def _judge_layout(cases, observations):
    for case, obs in zip(cases, observations):
        tree, failure = _tree(case, obs)
        if failure:
            return failure
        problem = _layout_problem(case, tree)
        if problem:
            return incorrect(case, problem[1], problem[0])
    return None


def _expected_rows(case) -> tuple[tuple, Table]:
    data, cols = case.extra["columns"], list(case.extra["cols"])
    names = tuple(data)
    rows = []
    for values in zip(*(data[c] for c in names)):
        rows.append(tuple((3, str(v)) if c in cols else canonical(helpers.cell(v)) for c, v in zip(names, values)))
    return names, Table(names, tuple(rows))


def _judge_rows(cases, observations):
    for case, obs in zip(cases, observations):
        tree, failure = _tree(case, obs)
        if failure:
            return failure
        problem = _layout_problem(case, tree)
        if problem:
            return incorrect(case, "the directory layout is not right yet (see the check above): " + problem[1],
                             problem[0])
        cols = list(case.extra["cols"])
        names, expected = _expected_rows(case)
        data_cols = [c for c in names if c not in cols]
        rows = []
        for f in tree["files"]:
            inside = [c for c in f["columns"] if c in cols]
            if inside:
                return incorrect(case, f"the partition column(s) {inside} are stored inside the Parquet files too: "
                                       "they belong in the directory names only (pandas' to_parquet(partition_cols"
                                       "=...), pyarrow's write_to_dataset and DuckDB's PARTITION_BY drop them for "
                                       "you).", "partition-cols-in-files")
            if sorted(f["columns"]) != sorted(data_cols):
                missing = [c for c in data_cols if c not in f["columns"]]
                extra = [c for c in f["columns"] if c not in data_cols]
                return incorrect(case, f"a data file has the columns {f['columns']}: expected the other columns of "
                                       f"df ({data_cols})" + (f"; missing {missing}" if missing else "")
                                       + (f"; unexpected {extra}" if extra else "") + ".", "wrong-file-columns")
            part = {d.split("=", 1)[0]: d.split("=", 1)[1] for d in f["dirs"]}
            for row in f["rows"]:
                values = dict(zip(f["columns"], row))
                rows.append(tuple((3, part[c]) if c in cols else canonical(values[c]) for c in names))
        got = Table(names, tuple(rows))
        if not same(got, expected):
            return incorrect(case, "the rows under root are not the rows of df: "
                                   + difference(got, expected, ("order_id",), example=False) + ".")
    return None


write_partitioned = Exercise(
    "write_partitioned",
    skill="lakes",
    cell_timeout=20.0,
    hints=(
        ("A Hive-partitioned table is a folder tree: one level per partition column, each directory named "
        "`column=value`, and the files inside hold the other columns of the rows with those values."),
        ("pandas does it in one call (`df.to_parquet(root, partition_cols=partition_cols)`); so do pyarrow "
        "(`pq.write_to_dataset`) and DuckDB (`COPY ... TO root (FORMAT parquet, PARTITION_BY (...))`)."),
        ("`df.to_parquet(root, partition_cols=list(partition_cols), index=False)`; or by hand: for each "
        "`df.groupby(partition_cols)` group, os.makedirs the `col=value` path and write the group without "
        "the partition columns."),
    ),
    checks=(
        Check("Hive layout: one `column=value` level per partition column, in order", 4, _write_cases,
              _judge_layout, probe=sandbox_lake.write_then_inspect, probe_args=_write_args, timeout=30.0),
        Check("every row written once; partition columns only in the directory names", 4, _write_cases,
              _judge_rows, probe=sandbox_lake.write_then_inspect, probe_args=_write_args, timeout=30.0),
    ),
)


# ------------------------------------------------------------------ read_pruned
FILTERS = (("a", ("year", "region"), "pyarrow", {"year": 2023, "region": "eu"}),
           ("a", ("year", "region"), "pyarrow", {"region": "us"}),
           ("b", ("region", "year"), "duckdb", {"year": 2024}),
           ("b", ("region", "year"), "duckdb", {"region": "apac", "year": 2022}),
           ("c", ("region",), "pyarrow", {"region": "eu"}),
           ("a", ("year", "region"), "pyarrow", {"year": 2031}))


def _read_cases(corrupt: bool):
    def make():
        frames = {"a": _frame("ra", 400), "b": _frame("rb", 250), "c": _frame("rc", 120)}
        out = []
        for i, (name, cols, writer, filters) in enumerate(FILTERS):
            columns = frames[name]
            label = (f"a lake of {len(columns['order_id'])} rows partitioned by {list(cols)} (written by {writer}), "
                     f"filters={filters}" + (", files of the other partitions damaged" if corrupt else ""))
            out.append(Case((columns, cols, filters, writer, corrupt, f"{'x' if corrupt else 'r'}{i}"), {}, label,
                            extra={"columns": columns, "cols": cols, "filters": filters}))
        return out
    return make


def _expected_read(case) -> Table:
    data, cols, filters = case.extra["columns"], case.extra["cols"], case.extra["filters"]
    names = tuple(data)
    rows = []
    for values in zip(*(data[c] for c in names)):
        row = dict(zip(names, values))
        if all(str(row[k]) == str(v) for k, v in filters.items()):
            rows.append(tuple((3, str(row[c])) if c in cols else canonical(helpers.cell(row[c])) for c in names))
    return Table(names, tuple(rows))


def _as_text(t: Table, cols) -> Table:
    idx = {i for i, c in enumerate(t.columns) if c in cols}
    return Table(t.columns, tuple(tuple((3, show(v)) if i in idx and v[0] == 1 else v for i, v in enumerate(row))
                                  for row in t.rows))


def _read_judge(pruning: bool):
    def judge(cases, observations):
        for case, obs in zip(cases, observations):
            expected = _expected_read(case)
            cols = list(case.extra["cols"])
            if "error" in obs and pruning and not obs["error"].get("not_implemented"):
                err = obs["error"]
                return incorrect(case, "your read failed on a lake whose non-matching partitions are damaged "
                                       f"({err.get('type')}: {err.get('message', '')[:160]}): it opened the data of "
                                       "partitions the filters exclude. Choose the partitions before reading rows: "
                                       "`pd.read_parquet(root, filters=[(col, '==', value), ...])`, a pyarrow "
                                       "dataset with a filter, DuckDB or polars with hive partitioning and a WHERE "
                                       "on the partition columns, or build the `col=value` paths yourself.",
                                 "no-pruning")
            if not expected.rows and "value" in obs and isinstance(obs["value"], dict) \
                    and obs["value"].get("kind") == "table" and not obs["value"]["rows"]:
                continue                                  # nothing matches: any empty frame will do
            desc = obs.get("value") if isinstance(obs.get("value"), dict) else {}
            if desc.get("kind") == "table" and set(case.extra["columns"]) - set(cols) <= set(desc["columns"]) \
                    and not set(cols) <= set(desc["columns"]):
                lost = [c for c in cols if c not in desc["columns"]]
                return incorrect(case, f"the partition column(s) {lost} are missing from your frame: they are not "
                                       "inside the files, only in the directory names, so read with hive "
                                       "partitioning (pandas and pyarrow do it for a root folder; DuckDB and polars "
                                       "need `hive_partitioning=true`) or add them from the path.",
                                 "partition-cols-lost")
            got, failure = result_table(case, obs, expected.columns, "a DataFrame")
            if failure:
                return failure
            got = _as_text(got, cols)
            if same(got, expected):
                continue
            return incorrect(case, "your rows are not the rows matching the filters: "
                                   + difference(got, expected, ("order_id",), example=False) + ".")
        return None

    return judge


def _read_args(target, cases):
    return (target, [c.args for c in cases])


read_pruned = Exercise(
    "read_pruned",
    skill="lakes",
    cell_timeout=20.0,
    hints=(
        ("Partition pruning: the filters name directories, so the files of every other directory need not be "
        "opened at all. Readers that understand Hive layouts do this for you when you give them the filter "
        "*before* they read."),
        ("`pd.read_parquet(root, filters=[(col, '==', value) for col, value in filters.items()])` prunes; so do "
        "`pyarrow.dataset.dataset(root, partitioning='hive').to_table(filter=...)` and DuckDB's "
        "`read_parquet(root || '/**/*.parquet', hive_partitioning = true)` with a WHERE on the partition columns."),
        ("`return pd.read_parquet(root, filters=[(c, '==', v) for c, v in filters.items()] or None)`; partition "
        "values come back from the directory names (as categories or numbers: both compare as text)."),
    ),
    checks=(
        Check("the rows matching the filters, with every column", 4, _read_cases(False), _read_judge(False),
              probe=sandbox_lake.read_lakes, probe_args=_read_args, timeout=30.0),
        Check("files of non-matching partitions are never read", 4, _read_cases(True), _read_judge(True),
              probe=sandbox_lake.read_lakes, probe_args=_read_args, timeout=30.0),
    ),
)
