# mistake: future-latest
# expect: future leakage
def point_in_time_features(con):
    labels = con.sql("SELECT * FROM labels").df()
    latest = con.sql("SELECT * FROM features").df().sort_values("ts").groupby("entity_id").tail(1)
    return labels.merge(latest[["entity_id", "value"]], on="entity_id", how="left")
