"""fairness_report: per-group selection rates and the demographic-parity / equalized-odds gaps (fairlearn).

fairlearn's outputs are kept per case (engine/kept_values.py): a grade after ``mlkata warm`` does not
import it (with scikit-learn and pandas, 0.8 s of a cold grade); the mistakes are written out in numpy."""
from __future__ import annotations

import numpy as np

from graders.engine.judges import returns
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from .common import MODULE_ID

KEYS = ("selection_rate", "demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference")


def fairness_ref(y_true, y_pred, sensitive):
    from fairlearn.metrics import (
        MetricFrame,
        demographic_parity_difference,
        demographic_parity_ratio,
        equalized_odds_difference,
        selection_rate,
    )

    frame = MetricFrame(metrics=selection_rate, y_true=y_true, y_pred=y_pred, sensitive_features=sensitive)
    return {"selection_rate": {_key(k): float(v) for k, v in frame.by_group.items()},
            "demographic_parity_difference": float(demographic_parity_difference(y_true, y_pred,
                                                                                 sensitive_features=sensitive)),
            "demographic_parity_ratio": float(demographic_parity_ratio(y_true, y_pred, sensitive_features=sensitive)),
            "equalized_odds_difference": float(equalized_odds_difference(y_true, y_pred,
                                                                         sensitive_features=sensitive))}


ORACLE = kept_oracle(fairness_ref, f"{MODULE_ID}-fairness", ("fairlearn", "scikit-learn", "pandas"))


def _key(k):
    return k.item() if hasattr(k, "item") else k


def _manual(y_true, y_pred, sensitive, rate_of="pred", eo="max", groups=None, ratio="min/max"):
    y_true, y_pred, s = np.asarray(y_true), np.asarray(y_pred), np.asarray(sensitive)
    labels = list(dict.fromkeys(s.tolist())) if groups is None else groups(s)
    src = y_pred if rate_of == "pred" else y_true
    rates = {g: float(src[s == g].mean()) for g in labels}
    tpr = [float(y_pred[(s == g) & (y_true == 1)].mean()) for g in labels]
    fpr = [float(y_pred[(s == g) & (y_true == 0)].mean()) for g in labels]
    r = list(rates.values())
    tgap, fgap = max(tpr) - min(tpr), max(fpr) - min(fpr)
    return {"selection_rate": {_key(g): v for g, v in rates.items()},
            "demographic_parity_difference": max(r) - min(r),
            "demographic_parity_ratio": min(r) / max(r) if ratio == "min/max" else max(r) / min(r),
            "equalized_odds_difference": max(tgap, fgap) if eo == "max" else tgap}


def _equal_opportunity(y_true, y_pred, sensitive):
    return _manual(y_true, y_pred, sensitive, eo="tpr")


def _from_labels(y_true, y_pred, sensitive):
    return _manual(y_true, y_pred, sensitive, rate_of="true")


def _two_groups(y_true, y_pred, sensitive):
    out = _manual(y_true, y_pred, sensitive, groups=lambda s: list(dict.fromkeys(s.tolist()))[:2])
    out["selection_rate"] = ORACLE(y_true, y_pred, sensitive)["selection_rate"]
    return out


def _two_sorted(y_true, y_pred, sensitive):
    out = _manual(y_true, y_pred, sensitive, groups=lambda s: sorted(set(s.tolist()))[:2])
    out["selection_rate"] = ORACLE(y_true, y_pred, sensitive)["selection_rate"]
    return out


def _inverted(y_true, y_pred, sensitive):
    return _manual(y_true, y_pred, sensitive, ratio="max/min")


def compare_report(got, expected):
    if not isinstance(got, dict):
        from graders.engine.compare import describe

        return f"expected a dict with keys {', '.join(KEYS)}, got {describe(got)}"
    missing = [k for k in KEYS if k not in got]
    if missing:
        return f"your dict lacks the key(s) {', '.join(repr(k) for k in missing)}"
    rates = got["selection_rate"]
    if hasattr(rates, "to_dict"):          # a pandas Series by group is accepted
        rates = rates.to_dict()
    if not isinstance(rates, dict):
        return "\"selection_rate\" must map each group to its rate (a dict)"
    rates = {_key(k): v for k, v in rates.items()}
    if set(rates) != set(expected["selection_rate"]):
        return "\"selection_rate\" must have one entry per group of `sensitive`, keyed by the group's label"
    for g, v in expected["selection_rate"].items():
        if not _num_close(rates[g], v):
            return f"\"selection_rate\" of group {g!r} is off"
    for k in KEYS[1:]:
        if not _num_close(got[k], expected[k]):
            return f"{k!r} is off"
    return None


def _num_close(a, b):
    try:
        return bool(np.isclose(float(a), float(b), rtol=1e-6, atol=1e-9))
    except (TypeError, ValueError):
        return False


MISTAKES = (
    Mistake("equal-opportunity", "your equalized-odds difference is the TPR gap alone (that is equal opportunity): "
            "equalized odds is the larger of the TPR gap and the FPR gap across groups", variant=_equal_opportunity),
    Mistake("rate-from-labels", "your selection rates come from y_true: the selection rate of a group is the "
            "fraction of its *predictions* that are 1", variant=_from_labels),
    Mistake("first-two-groups", "you compared only two groups: differences are max - min over *all* groups",
            detect=lambda case, obs, exp: any(compare_report(obs.get("value"), v(*case.args)) is None
                                              for v in (_two_groups, _two_sorted))),
    Mistake("ratio-inverted", "your demographic-parity ratio is max/min: the ratio is min/max (at most 1)",
            variant=_inverted),
)


def _case(rng, n, groups, rates, tprs, fprs, label):
    s = rng.choice(np.array(groups, dtype=object), size=n)
    s = np.array(s.tolist())                       # a plain array of the labels' own type
    y = np.zeros(n, int)
    p = np.zeros(n, int)
    for g, base, tpr, fpr in zip(groups, rates, tprs, fprs):
        m = s == g
        y[m] = rng.random(m.sum()) < base
        p[m] = np.where(y[m] == 1, rng.random(m.sum()) < tpr, rng.random(m.sum()) < fpr)
    for g in groups:             # both classes present in every group, for both labels and predictions
        idx = np.flatnonzero(s == g)
        y[idx[:2]], p[idx[:2]] = [1, 0], [1, 0]
    return Case((y, p, s), {}, label)


def _example():
    rng = np.random.default_rng(0)
    return [_case(rng, 40, ["a", "b"], [0.5, 0.4], [0.8, 0.6], [0.2, 0.1], "the notebook's example: 40 rows, groups "
                  "'a' and 'b'")]


def _cases():
    rng = np.random.default_rng(seed_for(MODULE_ID, "fairness_report", "random"))
    return [
        _case(rng, 400, ["north", "south", "east"], [0.5, 0.3, 0.6], [0.8, 0.75, 0.7], [0.1, 0.3, 0.15],
              "400 rows, 3 groups named by strings, the FPR gap larger than the TPR gap"),
        _case(rng, 500, [3, 1, 2, 0], [0.4, 0.5, 0.3, 0.6], [0.9, 0.6, 0.7, 0.8], [0.2, 0.25, 0.1, 0.3],
              "500 rows, 4 groups labelled by ints (the most selected group is not among the first two)"),
        _case(rng, 300, ["x", "y"], [0.3, 0.7], [0.5, 0.9], [0.1, 0.12], "300 rows, 2 groups, the TPR gap larger"),
    ]


JUDGE = returns(ORACLE, compare_report, MISTAKES,
                expect_text="the selection rates per group and the three gaps of fairlearn.metrics")


fairness_report = Exercise(
    "fairness_report",
    blocked=("fairlearn",),
    skill="trustworthy ML",
    hints=(
        ("Fairness slices compare a rate across groups: the selection rate P(ŷ=1 | group) for demographic parity, "
        "the TPR and FPR for equalized odds. Gaps are max - min over all groups, the ratio min/max."),
        ("For each group g: rate = y_pred[s == g].mean(); tpr = y_pred[(s == g) & (y_true == 1)].mean(); fpr = "
        "y_pred[(s == g) & (y_true == 0)].mean(). Then the gaps over the groups."),
        ("`groups = np.unique(s); rates = {g: y_pred[s == g].mean() for g in groups}`; `eo = max(max(tpr) - "
        "min(tpr), max(fpr) - min(fpr))`"),
    ),
    checks=(
        Check("the example in the notebook", 2, _example, JUDGE),
        Check("matches fairlearn.metrics on 2 to 4 groups of any label type", 6, _cases, JUDGE),
    ),
)
