# mistake: missing-columns
# expect: lacks the columns
def time_features(ts):
    """numpy arrays and np.where; an extra `minute` column is harmless."""
    hour = ts.dt.hour.to_numpy(dtype=float)
    day = ts.dt.day_of_week.to_numpy(dtype=float)
    weekend = np.where(np.isnan(day), np.nan, np.where(day >= 5, 1.0, 0.0))
    theta = hour * (2 * np.pi / 24)
    frame = pd.DataFrame({"hour_cos": np.cos(theta), "hour_sin": np.sin(theta), "dayofweek": day, "hour": hour, "minute": ts.dt.minute.to_numpy(dtype=float)})
    frame.index = ts.index
    return frame
