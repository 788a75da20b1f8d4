# mistake: duplicate-current-rows
# expect: more than one current row
def scd2_merge(con, load_date):
    con.execute("""INSERT INTO dim SELECT s.customer_id, s.city, ?, NULL, true FROM snapshot s
                   LEFT JOIN dim d ON d.customer_id = s.customer_id AND d.is_current
                   WHERE d.customer_id IS NULL OR s.city IS DISTINCT FROM d.city""", [load_date])
    return con.sql("SELECT * FROM dim")
