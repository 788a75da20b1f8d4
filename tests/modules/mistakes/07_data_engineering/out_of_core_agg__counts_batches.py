# mistake: wrong-count
# expect: `n` is wrong
def out_of_core_agg(path, key, value):
    counts, totals = {}, {}
    for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(columns=[key, value]):
        part = batch.to_pandas().groupby(key)[value].sum()
        for k, total in part.items():
            counts[k] = counts.get(k, 0) + 1              # one per batch, not one per row
            totals[k] = totals.get(k, 0.0) + total
    out = pd.DataFrame({key: list(counts), "n": list(counts.values()), "total": [totals[k] for k in counts]})
    out["mean"] = out["total"] / out["n"]
    return out
