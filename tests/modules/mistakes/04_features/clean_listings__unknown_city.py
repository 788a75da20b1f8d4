# mistake: city-missing-filled
# expect: a missing city stays missing
import datetime as dt
import re


def clean_listings(df):
    """Value-by-value parsing with the standard library; latest scrape via groupby + idxmax."""

    def parse_date(text):
        if not isinstance(text, str):
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%b %d, %Y"):
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                pass
        return None

    def parse_price(text):
        return float(re.sub(r"[^0-9.]", "", text)) if isinstance(text, str) else np.nan

    def parse_bedrooms(text):
        if not isinstance(text, str):
            return np.nan
        return 0.0 if text.strip().lower() == "studio" else float(text)

    def parse_city(text):
        return CITY_ALIASES.get(text.strip().lower()) if isinstance(text, str) else "Unknown"

    out = pd.DataFrame(index=df.index)
    for col in df.columns:
        values = df[col].tolist()
        if col == "scraped_at":
            out[col] = pd.to_datetime([dt.datetime.fromisoformat(v) for v in values])
        elif col == "listed_on":
            out[col] = pd.to_datetime(pd.Series([parse_date(v) for v in values], index=df.index, dtype=object))
        elif col == "price":
            out[col] = [parse_price(v) for v in values]
        elif col == "bedrooms":
            out[col] = [parse_bedrooms(v) for v in values]
        elif col == "city":
            out[col] = pd.Series([parse_city(v) for v in values], index=df.index, dtype="string")
        elif col == "instant_bookable":
            out[col] = [v == "t" for v in values]
        else:
            out[col] = df[col]
    keep = out.groupby("listing_id")["scraped_at"].idxmax()
    return out.loc[keep.to_numpy()].set_index("listing_id")     # listing_id as the index is accepted too
