# mistake: duration-seconds
# expect: `duration` is in seconds
def prepare_data(df, cfg):
    df = df.copy()
    seconds = (df["dropoff_datetime"] - df["pickup_datetime"]).dt.total_seconds()
    df["duration"] = seconds
    df = df[(seconds >= 60 * cfg["min_duration"]) & (seconds <= 60 * cfg["max_duration"])].copy()
    categorical = cfg["categorical"]
    df[categorical] = df[categorical].fillna(-1).astype(int).astype(str)
    return df
