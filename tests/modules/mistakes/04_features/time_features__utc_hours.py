# mistake: utc-hours
# expect: local wall-clock hour
def time_features(ts):
    if ts.dt.tz is not None:
        ts = ts.dt.tz_convert("UTC")
    hour, dow = ts.dt.hour, ts.dt.day_of_week
    return pd.DataFrame({"hour": hour, "dayofweek": dow, "is_weekend": (dow >= 5).astype(float).where(dow.notna()),
                         "hour_sin": np.sin(2 * np.pi * hour / 24), "hour_cos": np.cos(2 * np.pi * hour / 24)},
                        index=ts.index)
