"""Sandbox side of write_partitioned and read_pruned: fresh roots, lakes written here, damaged partitions.

The tree a learner wrote is described file by file (directory parts, columns, rows as plain cells);
lakes for read_pruned are written here with pyarrow or DuckDB, then every file outside the filters
gets its data pages zeroed while its footer stays readable.
"""
from __future__ import annotations

import os

from .helpers import cell, observe_table
from .sandbox_forks import polars_threads_in_parent, probe_in_fresh_process


def write_then_inspect(ctx, target: str, cases):
    """Call write_partitioned(df, root, cols) on a fresh root, then describe the tree it wrote."""
    import pandas as pd

    if polars_threads_in_parent():
        return probe_in_fresh_process(ctx, write_then_inspect, target, cases)
    fn = ctx.lookup(target)
    out = []
    for i, (columns, partition_cols, label) in enumerate(cases):
        ctx.progress(i)
        root = fresh_root(label)
        df = pd.DataFrame(columns)
        obs = ctx.observe(fn, (df, root, list(partition_cols)))
        if "error" not in obs:
            obs["tree"] = inspect_tree(root, partition_cols)
        out.append(obs)
    return out


def fresh_root(label: str) -> str:
    """A path that does not exist yet, in a new folder of the scratch directory."""
    import tempfile

    return os.path.join(tempfile.mkdtemp(prefix=f"lake-{label}-", dir=os.getcwd()), "root")


def inspect_tree(root: str, partition_cols) -> dict:
    """Every data file under ``root``: its directory parts, its columns and its rows (plain cells)."""
    import pyarrow.parquet as pq

    if not os.path.isdir(root):
        return {"exists": False}
    files, problems = [], []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.startswith((".", "_")) or name.endswith(".crc"):
                continue                         # hidden, _SUCCESS and checksum files are not data
            path = os.path.join(dirpath, name)
            parts = os.path.relpath(dirpath, root).split(os.sep)
            parts = [] if parts == ["."] else parts
            try:
                table = pq.ParquetFile(path).read()
            except Exception as exc:  # noqa: BLE001 - not Parquet, or unreadable
                problems.append([os.path.relpath(path, root), f"{type(exc).__name__}"])
                continue
            files.append({"dirs": parts, "name": name, "columns": table.schema.names,
                          "rows": [[cell(v) for v in col] for col in
                                   zip(*[table.column(j).to_pylist() for j in range(table.num_columns)])]
                          if table.num_rows else []})
    return {"exists": True, "files": files, "unreadable": problems}


def read_lakes(ctx, target: str, cases):
    """Write a Hive-partitioned lake (pyarrow, or DuckDB's COPY), corrupt the data pages of every file
    outside the filters when asked, then call read_pruned(root, filters) and describe its frame."""
    if polars_threads_in_parent():
        return probe_in_fresh_process(ctx, read_lakes, target, cases)
    fn = ctx.lookup(target)
    out = []
    for i, (columns, partition_cols, filters, writer, corrupt, label) in enumerate(cases):
        ctx.progress(i)
        root = fresh_root(label)
        write_lake(columns, partition_cols, root, writer)
        corrupted = corrupt_outside(root, filters) if corrupt else 0
        obs = observe_table(fn, (root, dict(filters)))
        obs["corrupted"] = corrupted
        out.append(obs)
    return out


def write_lake(columns: dict, partition_cols, root: str, writer: str) -> None:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = pd.DataFrame(columns)
    if writer == "duckdb":
        import duckdb

        con = duckdb.connect()
        con.register("lake_rows", df)
        con.execute(f"COPY lake_rows TO '{root}' (FORMAT parquet, PARTITION_BY ({', '.join(partition_cols)}))")
        con.close()
    else:
        pq.write_to_dataset(pa.Table.from_pandas(df, preserve_index=False), root, partition_cols=list(partition_cols))


def corrupt_outside(root: str, filters: dict) -> int:
    """Zero the data pages of every file outside the filters, keeping its footer: a reader may still
    learn the schema from it, but reading its rows fails. Returns how many files were corrupted."""
    import struct

    wanted = {f"{k}={v}" for k, v in filters.items()}
    keys = set(filters)
    count = 0
    for dirpath, _, filenames in os.walk(root):
        parts = os.path.relpath(dirpath, root).split(os.sep)
        mine = {p for p in parts if "=" in p and p.split("=", 1)[0] in keys}
        if mine == wanted and len(mine) == len(keys):
            continue
        for name in filenames:
            path = os.path.join(dirpath, name)
            size = os.path.getsize(path)
            with open(path, "r+b") as fh:
                fh.seek(size - 8)
                footer = struct.unpack("<i", fh.read(4))[0]
                fh.seek(4)
                fh.write(b"\0" * (size - 12 - footer))
            count += 1
    return count


