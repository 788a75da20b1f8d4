# mistake: nat-filled
# expect: not NaN for missing timestamps
def time_features(ts):
    hour, dow = ts.dt.hour.fillna(0), ts.dt.day_of_week.fillna(0)
    return pd.DataFrame({"hour": hour, "dayofweek": dow, "is_weekend": (dow >= 5).astype(int),
                         "hour_sin": np.sin(2 * np.pi * hour / 24), "hour_cos": np.cos(2 * np.pi * hour / 24)},
                        index=ts.index)
