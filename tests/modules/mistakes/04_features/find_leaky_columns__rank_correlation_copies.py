# mistake: missed-copy
# expect: you missed `n_bookings_30d`
def find_leaky_columns(df, target):
    """A correlation filter: a column whose rank correlation with the target is near +-1 leaks it."""
    y = df[target].astype(float)
    found = []
    for name in df.columns:
        if name == target or not pd.api.types.is_numeric_dtype(df[name]):
            continue
        rho = df[name].astype(float).corr(y, method="spearman")
        if abs(rho) >= 0.95:
            found.append(name)
    return found
