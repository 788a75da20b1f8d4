"""The 07_data_engineering module: its exercises in notebook order."""
from graders.engine.kept_values import keep_outputs
from graders.engine.spec import Module

from . import spark_cds, sql
from .dag import run_dag
from .dedupe import dedupe_latest
from .out_of_core import out_of_core_agg
from .partitions import read_pruned, write_partitioned
from .point_in_time import point_in_time_features
from .rolling import rolling_7d
from .scd2 import scd2_merge
from .sessionize import sessionize
from .spark import spark_top_n
from .stream import TumblingCounter


def warm_up() -> str:
    """Once per machine (`mlkata warm`): the Spark JVM's class archive, which halves its start (spark_cds.py),
    and the SQL checks' reference rows, so that a grade runs no reference query in the grading process."""
    return f"{spark_cds.make()}; {keep_outputs(MODULE, sql.KEPT)} reference tables of the SQL checks kept"


MODULE = Module(
    id="07_data_engineering",
    version="1",
    title="Data engineering: SQL on DuckDB, a Parquet lake, out-of-core work, orchestration, streams and Spark",
    skill="data-engineering",
    exercises=(sessionize, point_in_time_features, dedupe_latest, rolling_7d, scd2_merge, write_partitioned,
               read_pruned, out_of_core_agg, run_dag, TumblingCounter, spark_top_n),
    preload=("numpy", "pandas", "duckdb", "pyarrow", "pyarrow.parquet", "pyarrow.dataset", "polars", "pyspark.sql",
             # what the Spark probes import on first use, once here instead of in each probe's child (~170
             # modules, 0.15 s a probe): pyspark records a DataFrame's call site with IPython and ipykernel
             # (which bring jupyter_client, zmq and tornado), and its classic DataFrame and test helpers
             "IPython", "ipykernel", "pyspark.testing.utils", "pyspark.sql.classic.dataframe",
             "pyspark.sql.classic.window", "pyspark.sql.pandas.map_ops",
             "pandas.core.arrays.arrow.extension_types",     # what pandas imports on reading a lake's Arrow types
             *(f"graders.modules.m07_data_engineering.{name}" for name in
               ("helpers", "sandbox_forks", "sandbox_lake", "sandbox_fresh", "sandbox_dag", "sandbox_stream", "sandbox_spark"))),
    mem_bytes=4 << 30,      # DuckDB and polars reserve address space per thread; the JVM is not in the sandbox
    # two exercises at a time (engine/parallel.py): no verdict rests on a time, the memory budget is one
    # process's own peak, and the Spark JVM (the grading process's) serves spark_top_n's probes only
    parallel_exercises=True,
    warm_up=warm_up,
)
