def sessionize(con, gap_minutes=30):
    events = con.table("events").df().sort_values(["user_id", "ts"], kind="stable")
    gap = events.groupby("user_id")["ts"].diff()
    starts = gap.isna() | (gap > pd.Timedelta(minutes=gap_minutes))
    events["session_id"] = starts.astype(int).groupby(events["user_id"]).cumsum()
    return events
