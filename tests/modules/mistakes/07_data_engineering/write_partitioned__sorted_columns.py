# mistake: partition-order
# expect: follow the order of partition_cols
def write_partitioned(df, root, partition_cols):
    df.to_parquet(root, partition_cols=sorted(partition_cols), index=False)
