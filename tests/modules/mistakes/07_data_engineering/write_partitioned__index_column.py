# mistake: wrong-file-columns
# expect: a data file has the columns
def write_partitioned(df, root, partition_cols):
    df.reset_index().to_parquet(root, partition_cols=list(partition_cols))    # the index becomes a column
