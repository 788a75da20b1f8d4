# mistake: eight-days
# expect: 8 days
def rolling_7d(con):
    return con.sql("SELECT *, SUM(amount) OVER (PARTITION BY store_id ORDER BY day "
                   "RANGE BETWEEN INTERVAL 7 DAYS PRECEDING AND CURRENT ROW) AS sum_7d FROM sales")
