"""The Spark work whose classes go into the JVM's class archive (``spark_cds.py``), run by ``mlkata warm`` as
``python -m graders.modules.m07_data_engineering.spark_cds_workload <archive>``: the JVM writes the archive as it
exits."""
from __future__ import annotations

import sys

from pyspark.sql import Window
from pyspark.sql import functions as F

from graders.modules.m07_data_engineering.spark_cds import MAKE_TIMEOUT, OPTIONS
from graders.modules.m07_data_engineering.spark_session import SparkOwner


def workload(out: str) -> int:
    """What the archive should hold: the classes of a grading's Spark work (rows from Python, a join, a
    grouped sum, window ranks, SQL, a sort, collect). Exits with the JVM's own exit status."""
    owner = SparkOwner(java_options=f"{OPTIONS} -XX:ArchiveClassesAtExit={out}")
    owner._start()                              # here and now, not in the background
    spark = owner.session
    orders = spark.createDataFrame([(i, i % 23, 1 + i % 4, 2.5 + i % 7) for i in range(400)],
                                   ["order_id", "product_id", "qty", "unit_price"])
    products = spark.createDataFrame([(p, f"c{p % 5}") for p in range(23)], ["product_id", "category"])
    revenue = (orders.join(products, "product_id").groupBy("category", "product_id")
               .agg(F.sum(F.col("qty") * F.col("unit_price")).alias("revenue")))
    by_category = Window.partitionBy("category").orderBy(F.desc("revenue"), "product_id")
    for rank in (F.row_number(), F.rank(), F.dense_rank()):
        revenue.withColumn("rank", rank.over(by_category)).filter("rank <= 3").orderBy("category", "rank").collect()
    orders.createOrReplaceTempView("orders")
    products.createOrReplaceTempView("products")
    spark.sql("SELECT category, product_id, revenue FROM (SELECT p.category, o.product_id, "
              "SUM(o.qty * o.unit_price) AS revenue, ROW_NUMBER() OVER (PARTITION BY p.category ORDER BY "
              "SUM(o.qty * o.unit_price) DESC, o.product_id) AS r FROM orders o JOIN products p "
              "ON o.product_id = p.product_id GROUP BY p.category, o.product_id) WHERE r <= 2").collect()
    status = owner.stop(wait=MAKE_TIMEOUT)      # the archive is written as the JVM exits
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(workload(sys.argv[1]))
