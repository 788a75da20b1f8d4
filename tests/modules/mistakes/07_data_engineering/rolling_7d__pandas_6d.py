# mistake: six-days
# expect: only 6 days
def rolling_7d(con):
    sales = con.sql("SELECT * FROM sales").df().sort_values(["store_id", "day"])
    parts = []
    for store, group in sales.groupby("store_id"):
        sums = group.set_index("day")["amount"].rolling("6D").sum()
        parts.append(group.assign(sum_7d=sums.to_numpy()))
    return pd.concat(parts)
