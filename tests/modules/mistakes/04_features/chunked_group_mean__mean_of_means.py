# mistake: mean-of-chunk-means
# expect: mean of means is not the mean
def chunked_group_mean(csv_path, key, value, chunksize):
    means = [chunk.groupby(key)[value].mean() for chunk in pd.read_csv(csv_path, chunksize=chunksize)]
    return pd.concat(means).groupby(level=0).mean()
