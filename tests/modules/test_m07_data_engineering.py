"""07_data_engineering graders: reference, stub, the banks, trivial answers, and the module's own machinery."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest
from banks import ModuleGraderSuite, bank, describe, graded_in_fresh_processes, submission, written_tables

from graders.engine.registry import load

MODULE = "07_data_engineering"
SPEC = load(MODULE)
HAS_JAVA = bool(shutil.which("java") or os.environ.get("JAVA_HOME"))


class TestGrader(ModuleGraderSuite):
    """Without Java, spark_top_n is skipped (0 of 0 points): the shared tests are adjusted to that."""

    MODULE = MODULE

    def test_reference_solution_scores_full_marks(self, grader):
        if HAS_JAVA:
            return super().test_reference_solution_scores_full_marks(grader)
        result = grader.grade(submission(MODULE))
        spark = SPEC.exercise("spark_top_n")
        for ex in result.exercises:
            assert ex.status.value == ("skipped" if ex.id == spark.id else "passed"), describe(ex)
        assert result.points == result.max_points == SPEC.points - spark.points

    def test_untouched_exercise_notebook_scores_zero_not_attempted(self, grader):
        if HAS_JAVA:
            return super().test_untouched_exercise_notebook_scores_zero_not_attempted(grader)
        from graders.engine.notebook import read_submission
        from graders.engine.paths import EXERCISES

        result = grader.grade(read_submission(EXERCISES / f"{MODULE}.ipynb"))
        for ex in result.exercises:
            assert ex.status.value == ("skipped" if ex.id == "spark_top_n" else "not_attempted"), describe(ex)

    def test_mistake_loses_points_and_is_named(self, grader, mistake):
        if mistake.exercise == "spark_top_n" and not HAS_JAVA:
            pytest.skip("Spark needs Java (install default-jre-headless)")
        return super().test_mistake_loses_points_and_is_named(grader, mistake)

    def test_correct_alternative_gets_full_marks(self, grader, alternative):
        if alternative.exercise == "spark_top_n" and not HAS_JAVA:
            pytest.skip("Spark needs Java (install default-jre-headless)")
        return super().test_correct_alternative_gets_full_marks(grader, alternative)


SYLLABUS_CATCHES = {
    # the "catch" lists of the syllabus, each must be in the mistake bank
    "sessionize": {"gap-inclusive", "lag-across-users", "null-first-event", "zero-based", "gap-ignored"},
    "point_in_time_features": {"future-latest", "future-nearest", "strict-before", "inner-join", "across-entities"},
    "dedupe_latest": {"max-join-duplicates", "no-tie-break", "tie-break-reversed", "keeps-first"},
    "rolling_7d": {"rows-not-days", "eight-days", "no-partition"},
    "scd2_merge": {"neq-misses-null", "new-customers-forgotten", "type-1-overwrite", "unchanged-closed",
                   "duplicate-current-on-rerun"},
    "write_partitioned": {"non-hive-names"},
    "read_pruned": {"no-pruning", "partition-cols-lost"},
    "out_of_core_agg": {"whole-file-in-memory", "mean-of-batch-means"},
    "run_dag": {"no-cycle-detection", "task-before-upstream", "retries-off-by-one", "ran-downstream-of-failure",
                "state-saved-at-end"},
    "TumblingCounter": {"late-by-watermark", "strict-close", "no-allowed-lateness", "boundary-earlier",
                        "late-counted", "unsorted-emissions"},
    "spark_top_n": {"rank-ties", "dense-rank-ties", "global-limit", "revenue-from-one-price"},
}


@pytest.mark.parametrize("exercise", sorted(SYLLABUS_CATCHES))
def test_every_listed_mistake_is_in_the_bank(exercise):
    named = {e.mistake for e in bank(MODULE, "mistakes") if e.exercise == exercise}
    assert SYLLABUS_CATCHES[exercise] <= named, SYLLABUS_CATCHES[exercise] - named


def test_every_named_sql_and_stream_mistake_is_in_the_bank():
    """Each mistake the SQL and stream judges can name is proven to reach a learner by a bank answer."""
    from graders.modules.m07_data_engineering import dedupe, point_in_time, rolling, scd2, sessionize, stream

    declared = {m.id for mod in (sessionize, point_in_time, dedupe, rolling, scd2) for m in mod.CONTRACT.mistakes}
    declared |= {mistake_id for mistake_id, _, _ in stream.VARIANTS}
    named = {e.mistake for e in bank(MODULE, "mistakes")}
    assert declared <= named, declared - named


# ------------------------------------------------------------------ trivial answers score 0
TRIVIAL = {
    "none": "def {name}(*args, **kwargs):\n    return None\n",
    "first-argument": "def {name}(*args, **kwargs):\n    return args[0] if args else None\n",
    "empty-frame": "def {name}(*args, **kwargs):\n    return pd.DataFrame()\n",
    "prints": "def {name}(*args, **kwargs):\n    print(args)\n",
}
TRIVIAL_CLASS = ("class TumblingCounter:\n    late_events = 0\n\n    def __init__(self, *args, **kwargs):\n        pass\n\n"
                 "    def process(self, *args):\n        return []\n\n    def flush(self):\n        return []\n")


@pytest.mark.parametrize("kind", sorted(TRIVIAL))
def test_trivial_answers_score_zero_on_every_exercise(grader, kind):
    replace = {ex.id: TRIVIAL[kind].format(name=ex.id) for ex in SPEC.exercises if ex.id != "TumblingCounter"}
    replace["TumblingCounter"] = TRIVIAL_CLASS
    result = grader.grade(submission(MODULE, replace))
    assert result.error is None, result.error
    for ex in result.exercises:
        assert ex.points == 0 and (ex.max_points > 0 or not HAS_JAVA), describe(ex)


# ------------------------------------------------------------------ the data and the machinery
def test_generated_tables_plant_the_edge_cases_the_exercises_are_about():
    from graders.modules.m07_data_engineering.data import shop

    events = shop.make_events(n_users=14, seed=3, gap_minutes=30).sort_values(["user_id", "ts"])
    gaps = events.groupby("user_id")["ts"].diff().dropna().dt.total_seconds() / 60
    assert {0, 29, 30, 31} <= set(gaps.astype(int)), "gaps of 0, gap - 1, gap and gap + 1 minutes"
    labels, features = shop.make_labels_features(n_entities=10, seed=3)
    assert not features.duplicated(["entity_id", "ts"]).any() and not labels.duplicated(["entity_id", "ts"]).any()
    assert set(labels.entity_id) - set(features.entity_id), "an entity without features"
    exact = labels.merge(features, on=["entity_id", "ts"])
    assert len(exact), "a label at exactly a feature's time"
    updates = shop.make_updates(n_ids=30, seed=3)
    assert not updates.duplicated(["id", "ingested_at"]).any()
    top = updates.groupby("id").updated_at.transform("max") == updates.updated_at
    assert updates[top].duplicated(["id", "updated_at"]).any(), "ties on the latest updated_at"
    dim, snapshot, load_date = shop.make_customers(n_customers=20, seed=3)
    assert (dim.groupby("customer_id").is_current.sum() == 1).all(), "exactly one current row per customer"
    assert dim.city.isna().any() and snapshot.city.isna().any() and isinstance(load_date, dt.date)
    assert set(snapshot.customer_id) - set(dim.customer_id) and set(dim.customer_id) - set(snapshot.customer_id)


def test_tables_compare_as_multisets_of_values_not_types():
    import duckdb
    import pandas as pd
    import polars as pl

    from graders.modules.m07_data_engineering import helpers
    from graders.modules.m07_data_engineering.tables import reorder, same, table

    con = duckdb.connect()
    rel = con.sql("SELECT * FROM (VALUES (2, DATE '2024-01-02', 1.5::DOUBLE, NULL::VARCHAR), "
                  "(1, DATE '2024-01-01', 2.0, 'x')) t(a, d, v, s)")
    frame = pd.DataFrame({"d": pd.to_datetime(["2024-01-01", "2024-01-02"]), "a": [1, 2], "v": [2.0, 1.5],
                          "s": ["x", float("nan")]})
    first = table(helpers.describe_table(rel))
    arrow = rel.arrow()                  # a RecordBatchReader, read by the description
    for other in (frame, pl.from_pandas(frame), arrow):
        assert same(reorder(table(helpers.describe_table(other)), first.columns), first)
    changed = frame.assign(v=[2.0, 1.5 + 1e-6])
    assert not same(reorder(table(helpers.describe_table(changed)), first.columns), first)


def test_lake_corruption_spares_the_footer_and_breaks_the_rows(tmp_path):
    import pandas as pd
    import pyarrow.parquet as pq

    from graders.modules.m07_data_engineering import sandbox_lake

    root = str(tmp_path / "lake")
    sandbox_lake.write_lake({"k": [1, 2, 3, 4], "p": ["a", "a", "b", "b"]}, ["p"], root, "pyarrow")
    assert sandbox_lake.corrupt_outside(root, {"p": "a"}) == 1
    damaged = next(str(f) for f in (tmp_path / "lake" / "p=b").iterdir())
    assert pq.ParquetFile(damaged).schema_arrow.names == ["k"]              # the footer still reads
    with pytest.raises(OSError):
        pq.read_table(damaged)                                              # the rows do not
    assert len(pd.read_parquet(root, filters=[("p", "==", "a")])) == 2


def test_dag_simulation_follows_the_contract():
    from graders.modules.m07_data_engineering.dag import DIAMOND, simulate

    plan = {t: 0 for t in ["extract", "clean", "features", "labels", "train", "report", "docs"]}
    status, calls = simulate({**plan, "features": "always"}, DIAMOND, 1)
    assert status["train"] == status["report"] == "upstream_failed" and calls["features"] == 2
    assert status["labels"] == status["docs"] == "success"
    status, _ = simulate(plan, DIAMOND, 1, done=frozenset({"extract", "clean"}))
    assert status["extract"] == "skipped" and status["features"] == "success"


def test_stream_reference_matches_the_notebook_example():
    from graders.modules.m07_data_engineering.stream import replay

    out = replay({}, (10, 3), [(2, "a"), (7, "b"), (11, "a"), (5, "a"), (14, "b"), (9, "b"), (21, "a")])
    assert out["steps"][4] == [[0, "a", 2], [0, "b", 1]] and out["late"] == 1
    assert replay({}, (10,), [(10, "x")])["flush"] == [[10, "x", 1]]


def test_skipped_check_counts_neither_for_nor_against(grader, monkeypatch):
    """Without Java, spark_top_n is skipped with 0 of 0 points and the message the syllabus pins."""
    from graders.modules.m07_data_engineering import spark_session

    monkeypatch.setattr(spark_session.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    result = grader.grade(submission(MODULE), only=["spark_top_n", "TumblingCounter"])
    spark, stream = (next(e for e in result.exercises if e.id == i) for i in ("spark_top_n", "TumblingCounter"))
    assert spark.status.value == "skipped" and spark.points == spark.max_points == 0
    assert spark.feedback == ("skipped: Java not found (install default-jre-headless)",)
    assert stream.status.value == "passed" and result.max_points == stream.max_points


def test_a_class_skips_the_spark_check_whose_jvm_is_outside_the_box(grader, monkeypatch):
    """Graded as a class's untrusted code, spark_top_n is skipped (its JVM is outside the box) unless allowed."""
    from graders.engine.trust import untrusted_grading
    from graders.modules.m07_data_engineering import spark_session

    monkeypatch.delenv("MLKATA_ALLOW_UNBOXED_SPARK", raising=False)
    with untrusted_grading():
        result = grader.grade(submission(MODULE), only=["spark_top_n"])
        (spark,) = result.exercises
        assert spark.status.value == "skipped" and spark.points == spark.max_points == 0
        assert spark.feedback == (spark_session.UNBOXED_JVM,), spark.feedback
        monkeypatch.setenv("MLKATA_ALLOW_UNBOXED_SPARK", "1")
        assert spark_session.spark_unavailable() == spark_session.java_missing()
    monkeypatch.delenv("MLKATA_ALLOW_UNBOXED_SPARK")
    assert spark_session.spark_unavailable() == spark_session.java_missing()


@pytest.mark.skipif(not HAS_JAVA, reason="Spark needs Java (install default-jre-headless)")
def test_a_submission_that_stops_the_session_does_not_break_the_next(grader):
    stopper = ("def spark_top_n(orders, products, n):\n    orders.sparkSession.sparkContext.stop()\n"
               "    return orders\n")
    first = grader.grade(submission(MODULE, {"spark_top_n": stopper}), only=["spark_top_n"])
    assert first.exercises[0].points == 0
    again = grader.grade(submission(MODULE), only=["spark_top_n"])
    assert again.exercises[0].status.value == "passed", describe(again.exercises[0])


def test_the_jvms_listening_ports_are_read_even_while_it_closes_files(monkeypatch):
    """A descriptor that closes between listing /proc/<pid>/fd and reading its link must not hide the others:
    the tunnel would refuse the JVM's own result socket, and a correct answer would fail."""
    import socket

    from graders.modules.m07_data_engineering import spark_session

    server = socket.create_server(("127.0.0.1", 0))
    closing = open(os.devnull)                      # noqa: SIM115 - the descriptor that "closes" meanwhile
    real = os.readlink

    def readlink(path, *args, **kwargs):
        if path == f"/proc/{os.getpid()}/fd/{closing.fileno()}":
            raise FileNotFoundError(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "readlink", readlink)
    try:
        assert server.getsockname()[1] in spark_session.listening_ports(os.getpid())
    finally:
        server.close()
        closing.close()


def _tunnel_refusing(monkeypatch, times: int):
    """The grading side's tunnel refuses the first ``times`` result sockets (as when it misread the JVM's ports)."""
    from graders.modules.m07_data_engineering import spark_session

    real, refused = spark_session.listening_ports, []

    def ports(pid):
        if len(refused) < times:
            refused.append(pid)
            return set()
        return real(pid)

    monkeypatch.setattr(spark_session, "listening_ports", ports)
    return refused


@pytest.mark.skipif(not HAS_JAVA, reason="Spark needs Java (install default-jre-headless)")
def test_a_result_socket_that_fails_once_is_asked_again_not_blamed_on_the_learner(grader, monkeypatch):
    refused = _tunnel_refusing(monkeypatch, 1)
    result = grader.grade(submission(MODULE), only=["spark_top_n"])
    assert refused, "the tunnel was never asked for a result socket"
    assert result.exercises[0].status.value == "passed", describe(result.exercises[0])


@pytest.mark.skipif(not HAS_JAVA, reason="Spark needs Java (install default-jre-headless)")
def test_a_result_socket_that_keeps_failing_is_a_grader_error_not_the_learners(grader, monkeypatch):
    _tunnel_refusing(monkeypatch, 10_000)
    (spark,) = grader.grade(submission(MODULE), only=["spark_top_n"]).exercises
    assert spark.status.value == "grader_error", describe(spark)
    assert any("not your fault" in f and "could not send the collected rows back" in f for f in spark.feedback), \
        spark.feedback


def test_a_later_grading_process_copies_the_order_lines_an_earlier_one_wrote(tmp_path, monkeypatch):
    """The Parquet files of out_of_core_agg are kept between runs (graders/engine/kept_files.py): a new grading
    process's file has the same bytes and the same exact per-key sums, without writing it again."""
    from graders.engine import paths
    from graders.modules.m07_data_engineering import out_of_core

    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    writes = []
    real = out_of_core.shop.write_order_lines
    monkeypatch.setattr(out_of_core.shop, "write_order_lines",
                        lambda path, **kw: writes.append(kw) or real(path, **kw))
    runs = []
    for _ in range(2):                     # two grading processes: each its own files folder and DataFile
        monkeypatch.setattr(out_of_core, "_DIR", [str(tmp_path / f"files-{len(runs)}")])
        os.makedirs(out_of_core._DIR[0])
        data = out_of_core.DataFile("small", 30_000, 40, "store_id", "sales")
        data.job.wait(60)
        with open(data.path, "rb") as fh:
            runs.append((fh.read(), data.expected))
    assert len(writes) == 1
    assert runs[0] == runs[1] and len(runs[0][1]) == 40
    keys, counts, totals = real(tmp_path / "check.parquet", n_rows=30_000, n_products=40,
                                seed=writes[0]["seed"], names=("store_id", "sales"))
    assert runs[1][1] == {int(k): (int(n), float(t)) for k, n, t in zip(keys, counts, totals) if n}


SPARK_ARCHIVE_SCRIPT = '''
import json, os, pathlib
from graders.engine import kept_files
from graders.modules.m07_data_engineering import spark_cds
from graders.modules.m07_data_engineering.spark_session import SparkOwner

def started():
    owner = SparkOwner()
    owner._start()
    pid = owner.gateway.proc.pid
    cmdline = open(f"/proc/{pid}/cmdline", "rb").read().decode().split("\\0")
    maps = open(f"/proc/{pid}/maps").read()
    count = owner.session.range(7).count()
    owner.stop()
    return cmdline, maps, count

seen = {"before": spark_cds.java_options(), "made": spark_cds.make(), "again": spark_cds.make()}
archive = spark_cds.archive()
seen["archive"] = str(archive)
cmdline, maps, seen["count"] = started()
seen["passed"] = [a for a in cmdline if a.startswith("-XX:SharedArchiveFile")]
seen["mapped"] = str(archive) in maps
whole = archive.read_bytes()
archive.chmod(0o644)
archive.write_bytes(whole[: 1 << 20])            # cut short, yet vouched for: the JVM crashes on it
kept_files.vouch(archive, spark_cds.NAME, {})
cmdline, maps, seen["count_after_crash"] = started()
seen["passed_after_crash"] = [a for a in cmdline if a.startswith("-XX:SharedArchiveFile")]
seen["archive_after_crash"] = str(spark_cds.archive())
print(json.dumps(seen))
'''


@pytest.mark.skipif(not HAS_JAVA, reason="Spark needs Java (install default-jre-headless)")
def test_the_spark_jvm_maps_the_class_archive_warm_made_and_starts_without_a_broken_one(tmp_path):
    """`mlkata warm` makes the JVM's class archive once (spark_cds.py); the grader's JVM then starts with it
    mapped, and a JVM that cannot start with the archive (cut short: it crashes) starts again without it."""
    import json
    import subprocess
    import sys

    from graders.modules.m07_data_engineering import spark_cds

    env = {**os.environ, "MLKATA_HOME": str(tmp_path)}
    try:
        run = subprocess.run([sys.executable, "-c", SPARK_ARCHIVE_SCRIPT], env=env, capture_output=True, text=True,
                             timeout=600, cwd=str(tmp_path), check=False)
    finally:
        shutil.rmtree(tmp_path / "files", ignore_errors=True)      # 160 MB; pytest keeps its last tmp folders
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["before"] == spark_cds.OPTIONS
    assert seen["made"] == "Spark's class archive made" and seen["again"] == "Spark's class archive is ready"
    assert seen["archive"].startswith(str(tmp_path / "files")) and seen["archive"].endswith(".jsa")
    assert seen["passed"] == [f"-XX:SharedArchiveFile={seen['archive']}"] and seen["mapped"]
    assert seen["count"] == seen["count_after_crash"] == 7
    assert seen["passed_after_crash"] == [] and seen["archive_after_crash"] == "None"


def test_without_java_warm_says_so_and_the_jvm_options_name_no_archive(tmp_path, monkeypatch):
    from graders.modules.m07_data_engineering import spark_cds

    monkeypatch.setenv("MLKATA_HOME", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(spark_cds.shutil, "which", lambda name: None)
    assert spark_cds.make() == "no Java: the Spark check will be skipped"
    assert spark_cds.archive() is None and spark_cds.java_options() == spark_cds.OPTIONS
    assert not (tmp_path / "files").exists()


SQL_EXERCISES = ("sessionize", "point_in_time_features", "dedupe_latest", "rolling_7d", "scd2_merge")


def test_the_sql_checks_reference_rows_are_kept_and_warm_keeps_them(tmp_path):
    """The reference query's rows of every SQL case are kept (sql.REFERENCE_ROWS, engine/kept_values.py: loading
    the cases' tables into DuckDB and running the references was 0.8 s of a cold grade's CPU): in fresh grading
    processes, the first grade on a machine computes and writes them, a later one and one after 07's warm_up
    (its Spark archive stubbed here: a JVM run of half a minute, tested above) on a new home write none (an output
    not found is always written), and all give the same points and named mistakes (a wrong answer's own queries
    still run: they are compared with the kept rows)."""
    from graders.modules.m07_data_engineering import spec

    before, written = written_tables(MODULE)
    warm = ("from graders.modules.m07_data_engineering import spark_cds, spec\n"
            "spark_cds.make = lambda: 'no archive here'\nprint(spec.MODULE.warm_up())\n")
    runs = graded_in_fresh_processes(MODULE, ("dedupe_latest__no_tie_break", "scd2_merge__rerun_duplicates"),
                                     tmp_path, also=written, before=before, only=SQL_EXERCISES, warm=warm)
    assert runs.grades[0] == runs.grades[1] == runs.grades[2]
    assert [ex_id for ex_id, _, _ in runs.grades[0]] == list(SQL_EXERCISES)
    assert runs.named == {"dedupe_latest": ["no-tie-break"], "scd2_merge": ["duplicate-current-on-rerun"]}
    assert runs.also == (["07_data_engineering-sql-reference"], [], [])
    assert "reference tables of the SQL checks kept" in runs.warmed and SPEC.warm_up is spec.warm_up
    assert runs.tables(MODULE) == ["sql-reference"]
