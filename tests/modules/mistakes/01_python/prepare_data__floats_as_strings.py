# mistake: floats-as-12.0
# expect: renders 132.0 as "132.0"
def prepare_data(df, cfg):
    df = df.copy()
    df["duration"] = (df["dropoff_datetime"] - df["pickup_datetime"]).dt.total_seconds() / 60
    df = df[(df["duration"] >= cfg["min_duration"]) & (df["duration"] <= cfg["max_duration"])].copy()
    categorical = cfg["categorical"]
    df[categorical] = df[categorical].fillna(-1).astype(str)
    return df
