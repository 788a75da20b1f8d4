import pandas as pd


def prepare_data(df: pd.DataFrame, cfg) -> pd.DataFrame:
    """One method chain; the categoricals converted with a mapping function."""
    lo, hi, categorical = cfg.min_duration, cfg.max_duration, list(cfg.categorical)

    def as_id(value):
        return "-1" if pd.isna(value) else str(int(value))

    out = (df.assign(duration=(df.dropoff_datetime - df.pickup_datetime) / pd.Timedelta(minutes=1))
             .query("@lo <= duration <= @hi"))
    return out.assign(**{c: out[c].map(as_id) for c in categorical})
