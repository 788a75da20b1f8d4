# mistake: unchanged-closed
# expect: did not change
def scd2_merge(con, load_date):
    con.execute("""CREATE TEMP TABLE seen AS SELECT s.* FROM snapshot s JOIN dim d
                   ON s.customer_id = d.customer_id AND d.is_current""")
    con.execute("UPDATE dim SET valid_to = ?, is_current = false "
                "WHERE is_current AND customer_id IN (SELECT customer_id FROM seen)", [load_date])
    con.execute("INSERT INTO dim SELECT customer_id, city, ?, NULL, true FROM seen", [load_date])
    con.execute("INSERT INTO dim SELECT customer_id, city, ?, NULL, true FROM snapshot "
                "WHERE customer_id NOT IN (SELECT customer_id FROM dim)", [load_date])
    return con.sql("SELECT * FROM dim")
