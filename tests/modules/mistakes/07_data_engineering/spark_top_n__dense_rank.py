# mistake: dense-rank-ties
# expect: dense_rank
from pyspark.sql import Window
from pyspark.sql import functions as F


def spark_top_n(orders, products, n):
    revenue = orders.groupBy("product_id").agg(F.sum(F.col("qty") * F.col("unit_price")).alias("revenue"))
    w = Window.partitionBy("category").orderBy(F.desc("revenue"))
    return (revenue.join(products, "product_id").withColumn("rank", F.dense_rank().over(w))
            .where(F.col("rank") <= n).select("category", "product_id", "revenue", "rank"))
