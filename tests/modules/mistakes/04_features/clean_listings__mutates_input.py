# mistake: mutates-input
# expect: modified the DataFrame it was given
def clean_listings(df):
    df["scraped_at"] = pd.to_datetime(df["scraped_at"], format="%Y-%m-%d %H:%M:%S")
    listed = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y"):
        listed = listed.fillna(pd.to_datetime(df["listed_on"], format=fmt, errors="coerce"))
    df["listed_on"] = listed
    df["city"] = df["city"].str.strip().str.casefold().map(CITY_ALIASES)
    df["price"] = pd.to_numeric(df["price"].str.replace(r"[$,\s]", "", regex=True))
    df["bedrooms"] = pd.to_numeric(df["bedrooms"].str.strip().str.lower().replace("studio", "0"))
    df["instant_bookable"] = df["instant_bookable"] == "t"
    return df.sort_values("scraped_at").drop_duplicates("listing_id", keep="last")
