# expect: keep the input's columns in their order and append `duration` last
def prepare_data(df, cfg):
    df = df.copy()
    df["duration"] = (df["dropoff_datetime"] - df["pickup_datetime"]).dt.total_seconds() / 60
    df = df[(df["duration"] >= cfg["min_duration"]) & (df["duration"] <= cfg["max_duration"])].copy()
    categorical = cfg["categorical"]
    df[categorical] = df[categorical].fillna(-1).astype(int).astype(str)
    return df[["duration"] + [c for c in df.columns if c != "duration"]]
