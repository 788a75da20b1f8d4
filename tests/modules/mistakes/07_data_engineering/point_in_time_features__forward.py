# mistake: future-next
# expect: Look backwards
def point_in_time_features(con):
    labels = con.sql("SELECT * FROM labels").df().sort_values("ts")
    features = con.sql("SELECT * FROM features").df().sort_values("ts")
    return pd.merge_asof(labels, features, on="ts", by="entity_id", direction="forward")
