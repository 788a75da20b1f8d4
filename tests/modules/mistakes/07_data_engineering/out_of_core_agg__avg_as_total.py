# mistake: wrong-total
# expect: `total` is wrong
def out_of_core_agg(path, key, value):
    return duckdb.sql(f"SELECT {key}, count(*) AS n, avg({value}) AS total, avg({value}) AS mean "
                      f"FROM read_parquet('{path}') GROUP BY {key}").df()
