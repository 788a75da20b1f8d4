# mistake: period-23
# expect: period of 23
def time_features(ts):
    hour, dow = ts.dt.hour, ts.dt.day_of_week
    return pd.DataFrame({"hour": hour, "dayofweek": dow, "is_weekend": (dow >= 5).astype(float).where(dow.notna()),
                         "hour_sin": np.sin(2 * np.pi * hour / 23), "hour_cos": np.cos(2 * np.pi * hour / 23)},
                        index=ts.index)
