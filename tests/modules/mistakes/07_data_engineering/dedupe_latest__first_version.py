# mistake: keeps-first
# expect: *first* version
def dedupe_latest(con):
    return con.sql("SELECT * FROM updates QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY updated_at, ingested_at) = 1")
