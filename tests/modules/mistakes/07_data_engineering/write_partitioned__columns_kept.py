# mistake: partition-cols-in-files
# expect: stored inside the Parquet files too
import pyarrow as pa
import pyarrow.parquet as pq


def write_partitioned(df, root, partition_cols):
    for values, group in df.groupby(list(partition_cols)):
        values = values if isinstance(values, tuple) else (values,)
        folder = os.path.join(root, *[f"{c}={v}" for c, v in zip(partition_cols, values)])
        os.makedirs(folder, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(group, preserve_index=False), os.path.join(folder, "data.parquet"))
