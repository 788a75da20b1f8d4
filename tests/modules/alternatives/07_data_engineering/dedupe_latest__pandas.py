def dedupe_latest(con):
    updates = con.sql("FROM updates").df()
    latest = updates.sort_values(["id", "updated_at", "ingested_at"]).drop_duplicates("id", keep="last")
    return latest.set_index("id")            # a named index counts as a column
