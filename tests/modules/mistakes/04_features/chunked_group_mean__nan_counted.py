# mistake: nan-counted
# expect: count only non-missing values
def chunked_group_mean(csv_path, key, value, chunksize):
    sums, counts = None, None
    for chunk in pd.read_csv(csv_path, usecols=[key, value], chunksize=chunksize):
        grouped = chunk.groupby(key)[value]
        s, n = grouped.sum(), grouped.size()
        sums = s if sums is None else sums.add(s, fill_value=0)
        counts = n if counts is None else counts.add(n, fill_value=0)
    return sums / counts
