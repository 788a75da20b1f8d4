# mistake: not-pure
# expect: prepare_data called open()
import json


def prepare_data(df, cfg):
    df = df.copy()
    df["duration"] = (df["dropoff_datetime"] - df["pickup_datetime"]).dt.total_seconds() / 60
    df = df[(df["duration"] >= cfg["min_duration"]) & (df["duration"] <= cfg["max_duration"])].copy()
    with open("categorical.json") as fh:
        categorical = json.load(fh)
    df[categorical] = df[categorical].fillna(-1).astype(int).astype(str)
    return df
