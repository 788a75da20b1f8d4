"""spark_top_n(orders, products, n): the n best-selling products per category, on the grader's SparkSession."""
from __future__ import annotations

import pandas as pd

from graders.engine.judges import incorrect
from graders.engine.results import Status
from graders.engine.spec import Case, Check, Exercise, Failure, seed_for

from . import sandbox_spark
from .data import shop
from .spark_session import OWNER, spark_unavailable
from .tables import Table, canonical, difference, result_table, same

MODULE = "07_data_engineering"
COLUMNS = ("category", "product_id", "revenue", "rank")


def top_n(orders: pd.DataFrame, products: pd.DataFrame, n: int, method: str = "first") -> pd.DataFrame:
    """The reference (pandas, grading process); method "min"/"dense" gives the rank()/dense_rank() slips."""
    lines = orders.merge(products, on="product_id")
    revenue = (lines["qty"] * lines["unit_price"]).groupby([lines["category"], lines["product_id"]]).sum()
    frame = revenue.rename("revenue").reset_index()
    frame = frame.sort_values(["category", "revenue", "product_id"], ascending=[True, False, True])
    if method == "first":
        frame["rank"] = frame.groupby("category").cumcount() + 1
    else:
        frame["rank"] = frame.groupby("category")["revenue"].rank(method=method, ascending=False).astype(int)
    return frame[frame["rank"] <= n]


def _table(frame) -> Table:
    rows = tuple(tuple(canonical(v) for v in (r.category, int(r.product_id), float(r.revenue), int(r.rank)))
                 for r in frame.itertuples(index=False))
    return Table(COLUMNS, rows)


def _case(name: str, n: int, products: int, categories: int, label: str) -> Case:
    orders, catalogue = shop.make_orders(n_products=products, seed=seed_for(MODULE, "spark_top_n", name),
                                         n_categories=categories)
    rows = [tuple(r) for r in orders.astype(object).itertuples(index=False)]
    prods = [tuple(r) for r in catalogue.astype(object).itertuples(index=False)]
    rows = [(int(a), int(b), int(c), float(d)) for a, b, c, d in rows]
    prods = [(int(a), str(b)) for a, b in prods]
    return Case((rows, prods, n), {}, label.format(orders=len(rows), products=len(prods)),
                extra={"orders": orders, "products": catalogue, "n": n})


def _main_cases():
    return [_case("a", 3, 40, 5, "{orders} order lines of {products} products in 5 categories, n=3 (revenue ties "
                                 "at the top of every category)"),
            _case("b", 2, 24, 4, "{orders} order lines of {products} products in 4 categories, n=2")]


def _edge_cases():
    return [_case("c", 1, 18, 3, "{orders} order lines, n=1"),
            _case("d", 5, 20, 4, "{orders} order lines, n=5 (a category has fewer sold products than n)")]


def _args(target, cases):
    return (target, OWNER.marker(), [c.args for c in cases], 240.0)


def _price_slip(case, got: Table) -> bool:
    """Some revenue equals sum(qty) times one of the product's prices, not the sum of the line totals."""
    lines = case.extra["orders"]
    by_product = {pid: g for pid, g in lines.groupby("product_id")}
    hits = 0
    for row in got.rows:
        pid, revenue = row[1][1], row[2][1]
        g = by_product.get(int(pid)) if isinstance(pid, float) else None
        if g is None or g["unit_price"].nunique() < 2:
            continue
        true = float((g["qty"] * g["unit_price"]).sum())
        if abs(revenue - true) > 1e-9 * abs(true) and any(abs(revenue - g["qty"].sum() * p) < 1e-9 * abs(revenue)
                                                          for p in g["unit_price"].unique()):
            hits += 1
    return hits > 0


TIES = (", so a category can return more than n rows: use `row_number()` over `Window.partitionBy('category')"
        ".orderBy(desc('revenue'), 'product_id')` so ties are broken by product_id and ranks are 1..n.")
RANK_SLIPS = (("min", "rank-ties", "tied products shared a rank (`rank()` gives ties the same rank and skips the next)"),
              ("dense", "dense-rank-ties", "tied products shared a rank (`dense_rank()` gives ties the same rank)"))


def _judge(cases, observations):
    for case, obs in zip(cases, observations):
        if obs.get("grader_error"):
            return Failure(Status.GRADER_ERROR, f"internal grader error (not your fault): {obs['grader_error']}")
        got, failure = result_table(case, obs, COLUMNS, "a Spark DataFrame")
        if failure:
            return failure
        orders, products, n = case.extra["orders"], case.extra["products"], case.extra["n"]
        expected = _table(top_n(orders, products, n))
        if same(got, expected):
            continue
        for method, mistake, message in RANK_SLIPS:
            if same(got, _table(top_n(orders, products, n, method=method))):
                return incorrect(case, message + TIES, mistake)
        per_cat = {}
        for row in got.rows:
            per_cat[row[0]] = per_cat.get(row[0], 0) + 1
        exp_cats = {row[0] for row in expected.rows}
        if len(got.rows) <= n and len(exp_cats) > 1 and len(per_cat) < len(exp_cats):
            return incorrect(case, "you kept n rows in all, not n per category: a global `limit(n)` or `orderBy"
                                   "(...).limit(n)` cuts across categories. Rank within each category "
                                   "(`Window.partitionBy('category')`) and filter `rank <= n`.", "global-limit")
        if _price_slip(case, got):
            return incorrect(case, "a product's revenue is sum(qty) × one of its prices: its price differs from order "
                                   "to order, so multiply per order line first: `sum(qty * unit_price)`.",
                             "revenue-from-one-price")
        return incorrect(case, difference(got, expected, ("category", "product_id"), example=False) + ".")
    return None


spark_top_n = Exercise(
    "spark_top_n",
    skill="spark",
    cell_timeout=30.0,
    hints=(
        ("Three steps, each a DataFrame: revenue per product (sum of qty × unit_price over its order lines), joined "
        "to its category; a rank inside each category by revenue, highest first, ties by product_id; the rows "
        "whose rank is at most n."),
        ("`orders.groupBy('product_id').agg(F.sum(F.col('qty') * F.col('unit_price')).alias('revenue'))`, join "
        "products; `F.row_number().over(Window.partitionBy('category').orderBy(F.desc('revenue'), 'product_id'))`."),
        ("`ranked = revenue.withColumn('rank', F.row_number().over(w))`; `return ranked.where(F.col('rank') <= n)"
        ".select('category', 'product_id', 'revenue', 'rank')`."),
    ),
    checks=(
        Check("top n per category by revenue, ties broken by product_id", 6, _main_cases, _judge,
              probe=sandbox_spark.spark_each, probe_args=_args, timeout=300.0, requires=spark_unavailable),
        Check("n=1, and a category with fewer products than n", 4, _edge_cases, _judge,
              probe=sandbox_spark.spark_each, probe_args=_args, timeout=300.0, requires=spark_unavailable),
    ),
)
