# mistake: no-pruning
# expect: it opened the data of partitions the filters exclude
def read_pruned(root, filters):
    df = pd.read_parquet(root)
    for column, value in filters.items():
        df = df[df[column].astype(str) == str(value)]
    return df
