# mistake: partition-cols-lost
# expect: missing from your frame
import glob


def read_pruned(root, filters):
    paths = [p for p in glob.glob(os.path.join(root, "**", "*.parquet"), recursive=True)
             if all(f"{c}={v}" in p.split(os.sep) for c, v in filters.items())]
    frames = [pq.read_table(p).to_pandas() for p in paths]
    return pd.concat(frames) if frames else pd.DataFrame()
