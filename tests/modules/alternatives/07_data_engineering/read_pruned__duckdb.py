def read_pruned(root, filters):
    where = " AND ".join(f"{column} = ?" for column in filters) or "true"
    con = duckdb.connect()
    return con.execute(f"SELECT * FROM read_parquet('{root}/**/*.parquet', hive_partitioning = true) WHERE {where}",
                       [str(v) for v in filters.values()]).df()
