def spark_top_n(orders, products, n):
    spark = orders.sparkSession
    orders.createOrReplaceTempView("orders")
    products.createOrReplaceTempView("products")
    return spark.sql(f"""
        SELECT category, product_id, revenue, rank FROM (
            SELECT p.category, o.product_id, o.revenue,
                   ROW_NUMBER() OVER (PARTITION BY p.category ORDER BY o.revenue DESC, o.product_id) AS rank
            FROM (SELECT product_id, SUM(qty * unit_price) AS revenue FROM orders GROUP BY product_id) o
            JOIN products p ON p.product_id = o.product_id)
        WHERE rank <= {int(n)}""")
