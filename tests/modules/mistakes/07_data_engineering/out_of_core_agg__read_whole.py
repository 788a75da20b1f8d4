# mistake: whole-file-in-memory
# expect: over the 160 MB budget
def out_of_core_agg(path, key, value):
    df = pd.read_parquet(path)
    grouped = df.groupby(key)[value]
    out = pd.DataFrame({"n": grouped.size(), "total": grouped.sum()})
    out["mean"] = out["total"] / out["n"]
    return out.reset_index()
