# mistake: whole-file-in-memory
# expect: more memory than the cap
def chunked_group_mean(csv_path, key, value, chunksize):
    return pd.read_csv(csv_path).groupby(key)[value].mean()
