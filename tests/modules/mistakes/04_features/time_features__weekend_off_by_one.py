# mistake: weekend-off-by-one
# expect: off by one day
def time_features(ts):
    hour, dow = ts.dt.hour, ts.dt.day_of_week
    return pd.DataFrame({"hour": hour, "dayofweek": dow, "is_weekend": (dow >= 4).astype(float).where(dow.notna()),
                         "hour_sin": np.sin(2 * np.pi * hour / 24), "hour_cos": np.cos(2 * np.pi * hour / 24)},
                        index=ts.index)
