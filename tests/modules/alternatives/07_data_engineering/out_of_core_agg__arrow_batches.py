def out_of_core_agg(path, key, value):
    counts, totals = {}, {}
    source = pq.ParquetFile(path, pre_buffer=False)       # no read-ahead of the whole file
    for batch in source.iter_batches(batch_size=200_000, columns=[key, value]):
        part = batch.to_pandas().groupby(key)[value].agg(["count", "sum"])
        for k, n, total in zip(part.index, part["count"], part["sum"]):
            counts[k] = counts.get(k, 0) + int(n)
            totals[k] = totals.get(k, 0.0) + float(total)
    out = pd.DataFrame({key: list(counts), "n": list(counts.values()), "total": [totals[k] for k in counts]})
    out["mean"] = out["total"] / out["n"]
    return out
