# mistake: global-categoricals
# expect: the categorical columns must come from cfg['categorical']
CATEGORICAL = ["PULocationID", "DOLocationID"]


def prepare_data(df, cfg):
    df = df.copy()
    df["duration"] = (df["dropoff_datetime"] - df["pickup_datetime"]).dt.total_seconds() / 60
    df = df[(df["duration"] >= cfg["min_duration"]) & (df["duration"] <= cfg["max_duration"])].copy()
    df[CATEGORICAL] = df[CATEGORICAL].fillna(-1).astype(int).astype(str)
    return df
