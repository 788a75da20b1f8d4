import polars as pl


def sessionize(con, gap_minutes=30):
    events = con.sql("SELECT * FROM events").pl()
    return (events.sort("user_id", "ts")
            .with_columns(gap=pl.col("ts").diff().over("user_id"))
            .with_columns(start=(pl.col("gap").is_null() | (pl.col("gap") > pl.duration(minutes=gap_minutes))))
            .with_columns(session_id=pl.col("start").cast(pl.Int64).cum_sum().over("user_id"))
            .drop("gap", "start"))
