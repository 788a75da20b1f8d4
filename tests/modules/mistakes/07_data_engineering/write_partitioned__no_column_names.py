# mistake: non-hive-names
# expect: `column=value`
import pyarrow as pa
import pyarrow.parquet as pq


def write_partitioned(df, root, partition_cols):
    for values, group in df.groupby(list(partition_cols)):
        values = values if isinstance(values, tuple) else (values,)
        folder = os.path.join(root, *[str(v) for v in values])
        os.makedirs(folder, exist_ok=True)
        pq.write_table(pa.Table.from_pandas(group.drop(columns=list(partition_cols)), preserve_index=False),
                       os.path.join(folder, "data.parquet"))
