# mistake: wrong-keys
# expect: key(s) of the file are missing
def out_of_core_agg(path, key, value):
    return duckdb.sql(f"SELECT {key}, count(*) AS n, sum({value}) AS total, avg({value}) AS mean "
                      f"FROM read_parquet('{path}') GROUP BY {key} ORDER BY n DESC LIMIT 100").df()
