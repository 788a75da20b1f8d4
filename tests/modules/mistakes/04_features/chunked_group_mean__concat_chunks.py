# mistake: whole-file-in-memory
# expect: never the rows themselves
def chunked_group_mean(csv_path, key, value, chunksize):
    chunks = [chunk for chunk in pd.read_csv(csv_path, chunksize=chunksize)]
    return pd.concat(chunks).groupby(key)[value].mean()
