# mistake: mean-of-batch-means
# expect: averaging the means of batches
def out_of_core_agg(path, key, value):
    counts, totals, means = {}, {}, {}
    for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=100_000, columns=[key, value]):
        part = batch.to_pandas().groupby(key)[value].agg(["count", "sum", "mean"])
        for k, n, total, mean in zip(part.index, part["count"], part["sum"], part["mean"]):
            counts[k] = counts.get(k, 0) + n
            totals[k] = totals.get(k, 0.0) + total
            means.setdefault(k, []).append(mean)
    return pd.DataFrame({key: list(counts), "n": list(counts.values()), "total": [totals[k] for k in counts],
                         "mean": [sum(means[k]) / len(means[k]) for k in counts]})
