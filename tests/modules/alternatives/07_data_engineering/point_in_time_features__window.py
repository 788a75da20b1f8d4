def point_in_time_features(con):
    return con.sql("""
        SELECT entity_id, ts, label, value FROM (
            SELECT l.entity_id, l.ts, l.label, f.value,
                   ROW_NUMBER() OVER (PARTITION BY l.entity_id, l.ts ORDER BY f.ts DESC NULLS LAST) AS rn
            FROM labels l LEFT JOIN features f ON f.entity_id = l.entity_id AND f.ts <= l.ts)
        WHERE rn = 1""").arrow()
