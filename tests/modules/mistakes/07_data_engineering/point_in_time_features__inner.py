# mistake: inner-join
# expect: LEFT join
def point_in_time_features(con):
    return con.sql("SELECT l.entity_id, l.ts, l.label, f.value FROM labels l "
                   "ASOF JOIN features f ON l.entity_id = f.entity_id AND l.ts >= f.ts")
