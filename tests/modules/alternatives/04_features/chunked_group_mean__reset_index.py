def chunked_group_mean(csv_path, key, value, chunksize):
    """Running totals in a DataFrame; returns the keys as a column next to their means."""
    totals = pd.DataFrame(columns=["s", "n"], dtype=float)
    for chunk in pd.read_csv(csv_path, usecols=[key, value], chunksize=chunksize):
        part = chunk.dropna(subset=[value]).groupby(key)[value].agg(s="sum", n="count")
        totals = part if totals.empty else totals.add(part, fill_value=0)
    return (totals["s"] / totals["n"]).rename("mean").rename_axis(key).reset_index()
