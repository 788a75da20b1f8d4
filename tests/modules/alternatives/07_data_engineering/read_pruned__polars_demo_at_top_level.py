import polars as pl


def read_pruned(root, filters):
    lazy = pl.scan_parquet(root, hive_partitioning=True)
    for column, value in filters.items():
        lazy = lazy.filter(pl.col(column).cast(pl.String) == str(value))
    return lazy.collect()


print(pl.DataFrame({"a": [1, 2, 2]}).group_by("a").agg(pl.len()))   # polars used at the top level
