# mistake: max-join-duplicates
# expect: came back twice
def dedupe_latest(con):
    return con.sql("""SELECT u.* FROM updates u
                      JOIN (SELECT id, MAX(updated_at) AS m FROM updates GROUP BY id) x
                      ON u.id = x.id AND u.updated_at = x.m""")
