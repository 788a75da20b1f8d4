"""DriftMonitor: per-feature KS tests of each batch against a fixed reference, Bonferroni-corrected.

Graded on a stream with drift injected into known features at known batches, on
a long drift-free stream (the false-alarm rate the correction controls), and on a
replayed batch (the reference must stay fixed).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from graders.engine.compare import describe
from graders.engine.domains import Column, Domain, Frames
from graders.engine.judges import error_failure, once_per_case
from graders.engine.kept_values import kept_oracle
from graders.engine.results import Status
from graders.engine.sandbox.probes import object_run, object_runs
from graders.engine.search import generated
from graders.engine.spec import Case, Check, Exercise, Failure, per_case, seed_for

from .ks import KS

COLUMNS = ("statistic", "p_value", "drift")


def _numeric(df):
    return [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def stream_ref(reference, alpha, batches, m=None, rolling=None, rule=None):
    """Per batch: {feature: (statistic, p, drift)}. The keyword arguments build the known wrong variants."""
    features = _numeric(reference)
    m = m or len(features)
    out, ref = [], reference
    for j, batch in enumerate(batches):
        if rolling == "previous" and j > 0:
            ref = batches[j - 1]
        elif rolling == "grow" and j > 0:
            ref = pd.concat([reference, *batches[:j]])
        row = {}
        for f in features:
            statistic, p = KS(ref[f].to_numpy(), batch[f].to_numpy())    # kept: scipy's test, ks.py
            row[f] = (statistic, p, rule(p, alpha, m) if rule else p < alpha / m)
        out.append(row)
    return out


VARIANTS = (
    ("no-correction", "you flagged drift when p < alpha, with no correction for testing several features: with "
     "k features some test fails by chance in about 1 - (1 - alpha)^k of drift-free batches. Bonferroni: flag a "
     "feature when p < alpha / n_features", {"rule": lambda p, a, m: p < a}),
    ("corrected-by-all-columns", "you divided alpha by the number of all columns; only the numeric columns are "
     "tested, so n_features counts those", {"m": "all"}),
    ("rolling-reference", "your reference moves: each batch was compared with the previous batch. Keep the "
     "reference frame given to the constructor fixed", {"rolling": "previous"}),
    ("rolling-reference", "your reference grows: each batch was added to it. Keep the reference frame given to "
     "the constructor fixed, so that slow drift cannot hide", {"rolling": "grow"}),
    ("drift-inverted", "your drift flags are the wrong way round: a small p-value means drift (p < alpha / "
     "n_features)", {"rule": lambda p, a, m: p >= a / m}),
)


def _read(value, features):
    """The learner's report as {feature: (statistic, p, drift)}, or a problem in words."""
    if not isinstance(value, pd.DataFrame):
        return None, f"expected a pandas DataFrame with one row per feature, got {describe(value)}"
    df = value.set_index("feature") if "feature" in value.columns else value
    if set(COLUMNS) - set(map(str, df.columns)):
        if set(COLUMNS) <= set(map(str, df.index)):
            return None, "your DataFrame has one *column* per feature: it needs one row per feature (index = the " \
                         "feature names) and the columns statistic, p_value, drift (transpose it)"
        return None, f"your DataFrame needs the columns statistic, p_value and drift; it has {list(df.columns)}"
    rows = [str(i) for i in df.index]
    extra = [r for r in rows if r not in features]
    if extra:
        return None, (f"your report has rows {extra} that are not numeric features: test only the numeric "
                      "columns" if any(not r.isdigit() for r in extra) else
                      "index your report by the feature names (or give it a 'feature' column)")
    if sorted(rows) != sorted(features):
        return None, f"your report has rows {rows}; expected one row per numeric feature"
    out = {}
    for name, (stat, p, drift) in zip(rows, df[list(COLUMNS)].itertuples(index=False)):
        if not isinstance(drift, (bool, np.bool_)) and drift not in (0, 1):
            return None, f"the drift column must hold True/False, got {drift!r}"
        try:
            out[name] = (float(stat), float(p), bool(drift))
        except (TypeError, ValueError):
            return None, "statistic and p_value must be numbers"
    return out, None


def _same(got, want, m):
    for f, (stat, p, drift) in want.items():
        g_stat, g_p, g_drift = got[f]
        p_ok = np.isclose(g_p, p, rtol=1e-6, atol=1e-12) or np.isclose(g_p, min(1.0, p * m), rtol=1e-6, atol=1e-12)
        if not (np.isclose(g_stat, stat, rtol=1e-6, atol=1e-12) and p_ok and g_drift == drift):
            return f
    return None


def _frames_equal(a, b):
    if not isinstance(a, pd.DataFrame) or list(map(str, a.columns)) != list(map(str, b.columns)) or len(a) != len(b):
        return False
    return all(list(a[c].to_numpy()) == list(b[c].to_numpy()) for c in b.columns)


def _args(case):
    """(reference, alpha, batches): a generated case holds one batch frame where a hand-picked one holds a list."""
    reference, alpha, batches = case.args
    return reference, alpha, [batches] if isinstance(batches, pd.DataFrame) else batches


# kept between grading runs (engine/kept_values.py): a case's reports, one kept KS test per feature and batch, took
# 0.05 s of every cold grade, most of it looking the tests up one by one; the slips' reports (on a wrong answer)
# are computed from the kept tests as before
REPORTS = kept_oracle(stream_ref, "05_evaluation-monitor-reports")
_expected = once_per_case(lambda case: REPORTS(*_args(case)))     # once per case, not once per notebook graded


def judge_monitor(cases, observations):
    for case, obs in zip(cases, observations):
        reference, alpha, batches = _args(case)
        features = _numeric(reference)
        m = len(features)
        if "error" in obs:
            return error_failure(case, obs["error"])
        want = _expected(case)
        for j, step in enumerate(obs["calls"].values()):
            if "error" in step:
                return error_failure(case, step["error"])
            got, problem = _read(step["value"], features)
            if problem:
                return Failure(Status.INCORRECT, f"On {case.label}, batch {j}: {problem}.")
            bad = _same(got, want[j], m)
            if bad is None:
                continue
            for mid, message, kw in VARIANTS:
                kw = {**kw, "m": len(reference.columns)} if kw.get("m") == "all" else kw
                if (kw.get("m") or m) != m or kw.get("rolling") or kw.get("rule"):
                    if _same(got, stream_ref(reference, alpha, batches, **kw)[j], m) is None:
                        return Failure(Status.INCORRECT, f"On {case.label}, batch {j}: {message}.", mid)
            if "drift-free" in case.tags and got[bad][2] and not want[j][bad][2]:
                return Failure(Status.INCORRECT, f"On {case.label}: your monitor raised a false alarm on "
                               f"'{bad}' in batch {j}, which has no drift. Flag a feature only when its KS p-value "
                               f"is below alpha / n_features.", "false-alarm")
            return Failure(Status.INCORRECT, f"On {case.label}, batch {j}: the row of feature '{bad}' is not the "
                           "two-sample KS test (scipy.stats.ks_2samp) of the reference column against the batch "
                           "column with drift = p_value < alpha / n_features.")
        if not _frames_equal(obs["init_after"][0], reference):
            return Failure(Status.INCORRECT, f"On {case.label}: the monitor changed the reference DataFrame it was "
                           "given; keep a copy and never modify it.", "mutates-reference")
    return None


def _reported(value) -> set | None:
    if not isinstance(value, pd.DataFrame):
        return None
    return set(map(str, value["feature"] if "feature" in value.columns else value.index))


CONSTANT_SKIPPED = ("your report leaves out the features whose values are all equal in the reference or the "
                    "batch: the KS test is defined there too (a constant column still has a distribution, and a "
                    "batch that turns constant has drifted). Test every numeric feature")


def judge_monitor_edges(cases, observations):
    """judge_monitor, naming one failure only generated cases reach: a feature left out because its column
    is constant (the hand-picked frames have no constant column; small generated batches often do)."""
    failure = judge_monitor(cases, observations)
    if failure is None or failure.mistake is not None:
        return failure
    for case, obs in zip(cases, observations):
        reference, _, batches = _args(case)
        features = _numeric(reference)
        for batch, step in zip(batches, obs.get("calls", {}).values()):
            reported = _reported(step.get("value"))
            missing = set(features) - (reported or set())
            constant = {f for f in features if reference[f].nunique() < 2 or batch[f].nunique() < 2}
            if reported is not None and missing and missing <= constant:
                return Failure(Status.INCORRECT, f"On {case.label}: {CONSTANT_SKIPPED}.", "constant-feature-skipped")
    return failure


# the judges whose expected reports are kept, and what they compute them with (spec's warm_up)
KEPT = {judge: (REPORTS, _args) for judge in (judge_monitor, judge_monitor_edges)}


def _frame(rng, n, income=1.0, score=0.0, clicks=4.0):
    return pd.DataFrame({"age": rng.integers(18, 80, n), "income": rng.lognormal(10, 0.5, n) * income,
                         "segment": rng.choice(["retail", "pro", "edu"], n), "score": rng.normal(score, 1, n),
                         "clicks": rng.poisson(clicks, n)})


def _stream_case():
    rng = np.random.default_rng(seed_for("05_evaluation", "DriftMonitor", "stream"))
    ref = _frame(rng, 400)
    batches = [_frame(rng, 150, income=1.6 if j >= 3 else 1.0, score=0.8 if j >= 5 else 0.0,
                      clicks=7.0 if j == 6 else 4.0) for j in range(8)]
    return Case((ref, 0.05, batches), {}, "a stream of 8 batches where 'income' drifts from batch 3 on, 'score' "
                "from batch 5 on and 'clicks' in batch 6 only (alpha=0.05)")


def _free_case():
    rng = np.random.default_rng(seed_for("05_evaluation", "DriftMonitor", "free"))
    ref = _frame(rng, 400)
    return Case((ref, 0.05, [_frame(rng, 150) for _ in range(30)]), {},
                "30 drift-free batches (alpha=0.05)", frozenset({"drift-free"}))


def _columns_case():
    rng = np.random.default_rng(seed_for("05_evaluation", "DriftMonitor", "columns"))
    ref = _frame(rng, 300)
    return Case((ref, 0.1, [_frame(rng, 100, score=0.5), _frame(rng, 120)]), {},
                "a reference with int, float and string columns, alpha=0.1")


def _replay_case():
    rng = np.random.default_rng(seed_for("05_evaluation", "DriftMonitor", "replay"))
    ref = _frame(rng, 300)
    a, b = _frame(rng, 100), _frame(rng, 100, income=2.0, score=1.0)
    return Case((ref, 0.05, [a, b, a.copy()]), {}, "batch A, then a drifted batch B, then batch A again")


def _example_case():
    ref = pd.DataFrame({"a": np.linspace(0, 1, 200), "b": np.linspace(-1, 1, 200)})
    batch = pd.DataFrame({"a": np.linspace(0.5, 1.5, 100), "b": np.linspace(-1, 1, 100)})
    return Case((ref, 0.05, [batch]), {}, "the notebook's example: 'a' shifted by 0.5, 'b' unchanged")


def _stream(case):
    """Build the monitor on (reference, alpha), feed the batches until one fails, report the reference after."""
    reference, alpha, batches = _args(case)
    return object_run((reference, alpha), steps=[(f"update {j}", "update", (b,)) for j, b in enumerate(batches)],
                      stop=True, keep_init=True)


def _check(title, points, case_fn):
    return Check(title, points, lambda: [case_fn()], judge_monitor, probe=object_runs, probe_args=per_case(_stream))


# the contract's inputs: a reference and one batch with int, float and string columns (the numeric features
# are the int and float ones), any lengths from 1 row (KS is defined for one value), an index of unsorted ids,
# alpha 0.05 or 0.2, values at any scale (KS only ranks them). No bool column: the contract does not say
# whether a bool column is a numeric feature (pandas' is_numeric_dtype says yes, select_dtypes("number") no)
MONITOR_COLUMNS = {"age": Column("int64", ints=(18, 25)), "income": "float64",
                   "segment": Column("object", values=("retail", "pro")), "score": "float64"}
MONITOR_DOMAIN = Domain(args=(Frames(MONITOR_COLUMNS, rows="n", index="ids"), (0.05, 0.2),
                              Frames(MONITOR_COLUMNS, rows="m", index="ids")),
                        names=("reference_df", "alpha", "batch"), dim_sizes={"n": (1, 30), "m": (1, 20)},
                        scales=(1.0, 1e3), examples=4)

DriftMonitor = Exercise(
    "DriftMonitor",
    skill="evaluation",
    hints=(
        "Each update runs one KS test per numeric feature, batch column against reference column. Testing many "
        "features at level alpha raises false alarms, so each test uses alpha / n_features (Bonferroni).",
        "In __init__ keep the reference and the list of numeric columns (df.select_dtypes('number')). In update, "
        "for each of those columns call your ks_drift (or scipy.stats.ks_2samp) and collect statistic, p_value "
        "and drift = p_value < alpha / n_features into a DataFrame indexed by feature name.",
        "`rows = {c: ks_drift(self.ref[c], batch[c], self.alpha / len(self.features)) for c in self.features}`; "
        "`pd.DataFrame.from_dict(rows, orient='index', columns=['statistic', 'p_value', 'drift'])`",
    ),
    checks=(
        _check("the example in the notebook", 1, _example_case),
        _check("one row per numeric feature: the KS statistic and p-value", 2, _columns_case),
        _check("flags the features drifted at the injected times", 2, _stream_case),
        _check("few false alarms on drift-free batches (Bonferroni)", 2, _free_case),
        _check("the reference stays fixed", 2, _replay_case),
        generated(MONITOR_DOMAIN, judge_monitor_edges, 1, seed_for("05_evaluation", "DriftMonitor", "domain"),
                  probe=object_runs, probe_args=per_case(_stream)),
    ),
)
