# mistake: no-partition
# expect: PARTITION BY store_id
def rolling_7d(con):
    return con.sql("SELECT *, SUM(amount) OVER (ORDER BY day "
                   "RANGE BETWEEN INTERVAL 6 DAYS PRECEDING AND CURRENT ROW) AS sum_7d FROM sales")
