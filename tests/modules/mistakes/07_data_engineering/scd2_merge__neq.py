# mistake: neq-misses-null
# expect: IS DISTINCT FROM
def scd2_merge(con, load_date):
    con.execute("""CREATE TEMP TABLE changed AS SELECT s.* FROM snapshot s JOIN dim d
                   ON s.customer_id = d.customer_id AND d.is_current WHERE s.city <> d.city""")
    con.execute("UPDATE dim SET valid_to = ?, is_current = false "
                "WHERE is_current AND customer_id IN (SELECT customer_id FROM changed)", [load_date])
    con.execute("INSERT INTO dim SELECT customer_id, city, ?, NULL, true FROM changed", [load_date])
    con.execute("INSERT INTO dim SELECT customer_id, city, ?, NULL, true FROM snapshot "
                "WHERE customer_id NOT IN (SELECT customer_id FROM dim)", [load_date])
    return con.sql("SELECT * FROM dim")
