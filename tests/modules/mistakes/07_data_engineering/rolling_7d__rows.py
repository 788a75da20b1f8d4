# mistake: rows-not-days
# expect: 7 *rows*
def rolling_7d(con):
    return con.sql("SELECT *, SUM(amount) OVER (PARTITION BY store_id ORDER BY day "
                   "ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS sum_7d FROM sales")
