# mistake: tie-break-reversed
# expect: ingested first
def dedupe_latest(con):
    return con.sql("SELECT * FROM updates QUALIFY ROW_NUMBER() OVER "
                   "(PARTITION BY id ORDER BY updated_at DESC, ingested_at ASC) = 1")
