# mistake: revenue-from-one-price
# expect: multiply per order line first
from pyspark.sql import Window
from pyspark.sql import functions as F


def spark_top_n(orders, products, n):
    revenue = (orders.groupBy("product_id")
               .agg((F.sum("qty") * F.min("unit_price")).alias("revenue")))     # one price for all lines
    w = Window.partitionBy("category").orderBy(F.desc("revenue"), "product_id")
    return (revenue.join(products, "product_id").withColumn("rank", F.row_number().over(w))
            .where(F.col("rank") <= n).select("category", "product_id", "revenue", "rank"))
