def rolling_7d(con):
    return con.sql("""
        SELECT a.store_id, a.day, a.amount, SUM(b.amount) AS sum_7d
        FROM sales a JOIN sales b ON a.store_id = b.store_id AND b.day BETWEEN a.day - 6 AND a.day
        GROUP BY a.store_id, a.day, a.amount""")
