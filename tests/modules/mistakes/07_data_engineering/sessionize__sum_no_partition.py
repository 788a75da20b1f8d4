# mistake: numbering-across-users
# expect: number sessions per user
def sessionize(con, gap_minutes=30):
    return con.sql(f"""
        SELECT user_id, ts, event,
               SUM(CASE WHEN prev IS NULL OR ts - prev > INTERVAL {gap_minutes} MINUTE THEN 1 ELSE 0 END)
                   OVER (ORDER BY user_id, ts ROWS UNBOUNDED PRECEDING) AS session_id
        FROM (SELECT *, LAG(ts) OVER (PARTITION BY user_id ORDER BY ts) AS prev FROM events)""")
