# mistake: null-first-event
# expect: its LAG is NULL
def sessionize(con, gap_minutes=30):
    return con.sql(f"""
        SELECT user_id, ts, event,
               SUM(CAST(ts - prev > INTERVAL {gap_minutes} MINUTE AS INTEGER))
                   OVER (PARTITION BY user_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session_id
        FROM (SELECT *, LAG(ts) OVER (PARTITION BY user_id ORDER BY ts) AS prev FROM events)""")
