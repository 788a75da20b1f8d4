import numpy as np


def prepare_data(df, cfg):
    seconds = (df["dropoff_datetime"].to_numpy() - df["pickup_datetime"].to_numpy()) / np.timedelta64(1, "s")
    minutes = seconds / 60.0
    keep = (minutes >= cfg.get("min_duration")) & (minutes <= cfg.get("max_duration"))
    out = df.loc[keep].copy()
    out["duration"] = minutes[keep]
    for col in cfg.get("categorical"):
        out[col] = out[col].fillna(-1).astype("Int64").astype("string")
    return out
