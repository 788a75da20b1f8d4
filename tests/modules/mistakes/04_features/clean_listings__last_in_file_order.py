# mistake: keep-last-in-file-order
# expect: not in time order
def clean_listings(df):
    out = df.copy()
    out["scraped_at"] = pd.to_datetime(out["scraped_at"], format="%Y-%m-%d %H:%M:%S")
    listed = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y"):
        listed = listed.fillna(pd.to_datetime(out["listed_on"], format=fmt, errors="coerce"))
    out["listed_on"] = listed
    out["city"] = out["city"].str.strip().str.casefold().map(CITY_ALIASES)
    out["price"] = pd.to_numeric(out["price"].str.replace(r"[$,\s]", "", regex=True))
    out["bedrooms"] = pd.to_numeric(out["bedrooms"].str.strip().str.lower().replace("studio", "0"))
    out["instant_bookable"] = out["instant_bookable"] == "t"
    return out.drop_duplicates("listing_id", keep="last")
