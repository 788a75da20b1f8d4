def write_partitioned(df, root, partition_cols):
    con = duckdb.connect()
    con.register("frame", df)
    con.execute(f"COPY frame TO '{root}' (FORMAT parquet, PARTITION_BY ({', '.join(partition_cols)}))")
