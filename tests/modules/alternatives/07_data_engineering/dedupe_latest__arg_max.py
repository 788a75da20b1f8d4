def dedupe_latest(con):
    return con.sql("""
        SELECT id, max(updated_at) AS updated_at,
               arg_max(ingested_at, (updated_at, ingested_at)) AS ingested_at,
               arg_max(payload, (updated_at, ingested_at)) AS payload
        FROM updates GROUP BY id""").pl()
