# mistake: duplicate-keys
# expect: appears in more than one row
def out_of_core_agg(path, key, value):
    parts = []
    source = pq.ParquetFile(path, pre_buffer=False)
    for i in range(source.num_row_groups):
        part = source.read_row_group(i, columns=[key, value]).to_pandas().groupby(key)[value].agg(["count", "sum"])
        parts.append(part.rename(columns={"count": "n", "sum": "total"}).reset_index())
    out = pd.concat(parts, ignore_index=True)            # the partial results of each row group, not combined
    out["mean"] = out["total"] / out["n"]
    return out
