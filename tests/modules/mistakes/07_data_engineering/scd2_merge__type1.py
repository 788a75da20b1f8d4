# mistake: type-1-overwrite
# expect: type-1 update
def scd2_merge(con, load_date):
    con.execute("""UPDATE dim SET city = s.city FROM snapshot s
                   WHERE dim.customer_id = s.customer_id AND dim.is_current AND dim.city IS DISTINCT FROM s.city""")
    con.execute("INSERT INTO dim SELECT customer_id, city, ?, NULL, true FROM snapshot "
                "WHERE customer_id NOT IN (SELECT customer_id FROM dim)", [load_date])
    return con.sql("SELECT * FROM dim")
