# mistake: duplicate-current-on-rerun
# expect: two current rows
def scd2_merge(con, load_date):
    # close the changed rows, then open a row for every row closed on load_date: on a re-run,
    # the rows closed by the first run are "closed on load_date" again, and get reopened twice
    con.execute("""UPDATE dim SET valid_to = ?, is_current = false FROM snapshot s
                   WHERE dim.customer_id = s.customer_id AND dim.is_current
                   AND dim.city IS DISTINCT FROM s.city""", [load_date])
    con.execute("""INSERT INTO dim SELECT s.customer_id, s.city, ?, NULL, true FROM snapshot s
                   JOIN dim d ON d.customer_id = s.customer_id AND d.valid_to = ?""", [load_date, load_date])
    con.execute("INSERT INTO dim SELECT customer_id, city, ?, NULL, true FROM snapshot "
                "WHERE customer_id NOT IN (SELECT customer_id FROM dim)", [load_date])
    return con.sql("SELECT * FROM dim")
