# mistake: not-all-chunks
# expect: a return inside the loop
def chunked_group_mean(csv_path, key, value, chunksize):
    for chunk in pd.read_csv(csv_path, chunksize=chunksize):
        return chunk.groupby(key)[value].mean()
