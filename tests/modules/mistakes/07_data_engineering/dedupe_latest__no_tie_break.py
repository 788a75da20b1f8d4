# mistake: no-tie-break
# expect: without a tie-break
def dedupe_latest(con):
    # no tie-break: among versions with the same updated_at, the payload's order decides
    return con.sql("SELECT * FROM updates QUALIFY ROW_NUMBER() OVER "
                   "(PARTITION BY id ORDER BY updated_at DESC, payload) = 1")
