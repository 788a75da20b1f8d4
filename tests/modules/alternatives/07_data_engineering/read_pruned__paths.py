import glob


def read_pruned(root, filters):
    # the partition columns, in nesting order, from the first directory path
    first = next(dirpath for dirpath, _, files in os.walk(root) if files)
    columns = [part.split("=", 1)[0] for part in os.path.relpath(first, root).split(os.sep)]
    pattern = os.path.join(root, *[f"{c}={filters[c]}" if c in filters else f"{c}=*" for c in columns], "*.parquet")
    frames = []
    for path in sorted(glob.glob(pattern)):
        frame = pq.read_table(path).to_pandas()
        for part in os.path.relpath(os.path.dirname(path), root).split(os.sep):
            column, value = part.split("=", 1)
            frame[column] = value
        frames.append(frame)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
