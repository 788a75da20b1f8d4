"""Module 07_data_engineering: SQL on DuckDB, a partitioned Parquet lake, out-of-core work, orchestration, streams and Spark."""
