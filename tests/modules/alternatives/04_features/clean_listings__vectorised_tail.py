def clean_listings(df):
    """Column by column with .str and per-format to_datetime; the latest scrape via sort + groupby.tail(1),
    keeping the input's row labels (the order of the rows is not part of the contract)."""
    out = df.copy(deep=True)
    out["scraped_at"] = pd.to_datetime(out["scraped_at"])
    formats = ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y")
    parsed = [pd.to_datetime(out["listed_on"], format=f, errors="coerce") for f in formats]
    out["listed_on"] = parsed[0].combine_first(parsed[1]).combine_first(parsed[2])
    spelling = out["city"].str.lower().str.strip()
    out["city"] = spelling.map(lambda s: CITY_ALIASES.get(s, np.nan) if isinstance(s, str) else np.nan).astype("string")
    out["room_type"] = out["room_type"].astype(str).where(out["room_type"].notna())
    out["room_type"] = out["room_type"].astype("string")
    price = out["price"].str.replace("$", "", regex=False).str.replace(",", "", regex=False).str.strip()
    out["price"] = price.astype(float)
    bedrooms = out["bedrooms"].str.lower()
    out["bedrooms"] = np.where(bedrooms == "studio", 0.0, pd.to_numeric(bedrooms, errors="coerce"))
    out["instant_bookable"] = out["instant_bookable"] == "t"
    return out.sort_values(["listing_id", "scraped_at"]).groupby("listing_id").tail(1)
