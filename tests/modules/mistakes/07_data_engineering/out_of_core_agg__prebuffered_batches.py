# mistake: whole-file-in-memory
# expect: pre_buffer=False
def out_of_core_agg(path, key, value):
    counts, totals = {}, {}
    for batch in pq.ParquetFile(path).iter_batches(columns=[key, value]):     # pre-buffers the whole file
        part = batch.to_pandas().groupby(key)[value].agg(["count", "sum"])
        for k, n, total in zip(part.index, part["count"], part["sum"]):
            counts[k] = counts.get(k, 0) + int(n)
            totals[k] = totals.get(k, 0.0) + float(total)
    out = pd.DataFrame({key: list(counts), "n": list(counts.values()), "total": [totals[k] for k in counts]})
    out["mean"] = out["total"] / out["n"]
    return out
