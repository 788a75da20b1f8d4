def scd2_merge(con, load_date):
    dim = con.sql("SELECT * FROM dim").df()
    snap = con.sql("SELECT * FROM snapshot").df()
    current = dim[dim.is_current].set_index("customer_id")["city"]
    rows = []
    new_rows = []
    for cid, city in zip(snap.customer_id, snap.city):
        if cid not in current.index:
            new_rows.append((cid, city))
        else:
            old = current[cid]
            same = (pd.isna(old) and pd.isna(city)) or (not pd.isna(old) and not pd.isna(city) and old == city)
            if not same:
                new_rows.append((cid, city))
                rows.append(cid)
    changed = dim.is_current & dim.customer_id.isin(rows)
    dim["valid_to"] = dim["valid_to"].astype(object)
    dim.loc[changed, "valid_to"] = pd.Timestamp(load_date)
    dim.loc[changed, "is_current"] = False
    opened = pd.DataFrame({"customer_id": [c for c, _ in new_rows], "city": [x for _, x in new_rows],
                           "valid_from": pd.Timestamp(load_date), "valid_to": None, "is_current": True})
    return pd.concat([dim, opened], ignore_index=True)
