# mistake: global-limit
# expect: not n per category
from pyspark.sql import Window
from pyspark.sql import functions as F


def spark_top_n(orders, products, n):
    revenue = orders.groupBy("product_id").agg(F.sum(F.col("qty") * F.col("unit_price")).alias("revenue"))
    w = Window.partitionBy("category").orderBy(F.desc("revenue"), "product_id")
    ranked = revenue.join(products, "product_id").withColumn("rank", F.row_number().over(w))
    return ranked.orderBy(F.desc("revenue"), "product_id").limit(n).select("category", "product_id", "revenue", "rank")
