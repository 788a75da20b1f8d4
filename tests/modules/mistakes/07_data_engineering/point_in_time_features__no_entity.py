# mistake: across-entities
# expect: another entity's feature
def point_in_time_features(con):
    return con.sql("SELECT l.entity_id, l.ts, l.label, f.value FROM labels l "
                   "ASOF LEFT JOIN features f ON l.ts >= f.ts")
