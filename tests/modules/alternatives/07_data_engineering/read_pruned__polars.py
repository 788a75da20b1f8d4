import polars as pl


def read_pruned(root, filters):
    lazy = pl.scan_parquet(os.path.join(root, "**", "*.parquet"), hive_partitioning=True)
    for column, value in filters.items():
        lazy = lazy.filter(pl.col(column).cast(pl.String) == str(value))
    return lazy.collect()
