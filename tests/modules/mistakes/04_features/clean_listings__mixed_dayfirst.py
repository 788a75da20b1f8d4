# mistake: day-month-swapped
# expect: day and month swapped
def clean_listings(df):
    out = df.copy()
    out["scraped_at"] = pd.to_datetime(out["scraped_at"], format="%Y-%m-%d %H:%M:%S")
    out["listed_on"] = pd.to_datetime(out["listed_on"], format="mixed", dayfirst=True)
    out["city"] = out["city"].str.strip().str.casefold().map(CITY_ALIASES)
    out["price"] = pd.to_numeric(out["price"].str.replace(r"[$,\s]", "", regex=True))
    out["bedrooms"] = pd.to_numeric(out["bedrooms"].str.strip().str.lower().replace("studio", "0"))
    out["instant_bookable"] = out["instant_bookable"] == "t"
    return out.sort_values("scraped_at").drop_duplicates("listing_id", keep="last")
