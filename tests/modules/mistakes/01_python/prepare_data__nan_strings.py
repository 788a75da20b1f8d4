# mistake: missing-not-minus-one
# expect: missing ids must become "-1"
def prepare_data(df, cfg):
    df = df.copy()
    df["duration"] = (df["dropoff_datetime"] - df["pickup_datetime"]).dt.total_seconds() / 60
    df = df[(df["duration"] >= cfg["min_duration"]) & (df["duration"] <= cfg["max_duration"])].copy()
    categorical = cfg["categorical"]
    for col in categorical:
        df[col] = [str(int(v)) if v == v else "nan" for v in df[col]]
    return df
