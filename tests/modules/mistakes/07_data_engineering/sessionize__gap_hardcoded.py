# mistake: gap-ignored
# expect: gap_minutes
def sessionize(con, gap_minutes=30):
    return con.sql("""
        SELECT user_id, ts, event,
               SUM(CASE WHEN prev IS NULL OR ts - prev > INTERVAL 30 MINUTE THEN 1 ELSE 0 END)
                   OVER (PARTITION BY user_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session_id
        FROM (SELECT *, LAG(ts) OVER (PARTITION BY user_id ORDER BY ts) AS prev FROM events)""")
