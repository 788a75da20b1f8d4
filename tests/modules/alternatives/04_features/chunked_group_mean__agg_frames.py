def chunked_group_mean(csv_path, key, value, chunksize):
    """Per-chunk (sum, count) frames, combined once at the end; returns a one-column DataFrame."""
    parts = []
    with pd.read_csv(csv_path, chunksize=chunksize) as reader:
        for chunk in reader:
            parts.append(chunk.groupby(key).agg(total=(value, "sum"), n=(value, "count")))
    combined = pd.concat(parts).groupby(level=0).sum()
    return (combined["total"] / combined["n"]).to_frame("mean")
