# mistake: wrong-depth
# expect: directory level(s) below root
def write_partitioned(df, root, partition_cols):
    os.makedirs(root)
    df.to_parquet(os.path.join(root, "all.parquet"), index=False)
