import polars as pl


def out_of_core_agg(path, key, value):
    return (pl.scan_parquet(path).group_by(key)
            .agg(pl.len().alias("n"), pl.col(value).sum().alias("total"))
            .with_columns(mean=pl.col("total") / pl.col("n"))
            .collect(engine="streaming").to_pandas())
