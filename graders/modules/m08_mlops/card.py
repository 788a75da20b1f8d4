"""model_card: a JSON-ready model card graded on its facts: it must survive json.dumps(allow_nan=False),
validate against the notebook's schema (jsonschema) and hold the overall and per-slice metrics that
scikit-learn's metrics give, the limitations and the slices with too little data. The reference card of
each case is kept between grading runs (engine/kept_values.py): scikit-learn's metrics per slice, for
every case and each of the three facts checks, were 0.3 s of every cold grade."""
from __future__ import annotations

import json
import math

import numpy as np

from graders.engine.judges import incorrect
from graders.engine.kept_values import kept_oracle
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import helpers
from .card_schema import MODEL_CARD_SCHEMA
from .common import MODULE_ID, kind_of, per_case

EX = "model_card"
DETAILS = {"model_name": "churn-classifier", "model_version": "4.2.0",
           "intended_use": "Rank customers by churn risk for retention offers; not for pricing decisions.",
           "training_data": "CRM snapshots 2024-01 to 2025-06, 180k customers"}


def card_ref(y_true, y_score, groups, *, model_name, model_version, intended_use, training_data, threshold=0.5,
             min_slice_size=30, max_gap=0.05, ignore_threshold=False, flag_small=False, reversed_gap=False,
             unsorted=False):
    """The card as the syllabus pins it (or with one known slip), from scikit-learn's metrics."""
    from sklearn.metrics import accuracy_score, precision_score, recall_score, roc_auc_score

    y_true = np.asarray(y_true).astype(int)
    y_score = np.asarray(y_score, dtype=float)
    names = np.array([str(g) for g in groups], dtype=object)
    y_pred = (y_score >= (0.5 if ignore_threshold else threshold)).astype(int)

    def rates(t, p, s):
        recall = float(recall_score(t, p, zero_division=0)) if t.sum() else None
        auc = float(roc_auc_score(t, s)) if 0 < t.sum() < len(t) else None
        return float(accuracy_score(t, p)), recall, auc

    accuracy, recall, auc = rates(y_true, y_pred, y_score)
    order = list(dict.fromkeys(names)) if unsorted else sorted(set(names))
    slices, limitations, small = [], [], []
    for name in order:
        rows = names == name
        acc, rec, auc_ = rates(y_true[rows], y_pred[rows], y_score[rows])
        n = int(rows.sum())
        slices.append({"slice": name, "n": n, "positive_rate": float(y_true[rows].mean()), "accuracy": acc,
                       "recall": rec, "roc_auc": auc_})
        if n < min_slice_size:
            small.append(name)
        if (n >= min_slice_size or flag_small) and rec is not None and recall is not None:
            gap = rec - recall if reversed_gap else recall - rec
            if gap > max_gap:
                limitations.append({"slice": name, "metric": "recall", "value": rec, "overall": recall, "gap": gap})
    limitations.sort(key=lambda item: (-item["gap"], item["slice"]))
    return {"model_details": {"name": model_name, "version": model_version}, "intended_use": intended_use,
            "training_data": training_data,
            "evaluation_data": {"n": len(y_true), "positive_rate": float(y_true.mean())},
            "metrics": {"threshold": float(threshold), "accuracy": accuracy,
                        "precision": float(precision_score(y_true, y_pred, zero_division=0)), "recall": recall,
                        "roc_auc": auc},
            "slices": slices, "limitations": limitations, "insufficient_data": sorted(small)}


CARD = kept_oracle(card_ref, "08_mlops-model-card", ("scikit-learn",))     # the contract's card, per case


def difference(got, want, path="card") -> str:
    """Where ``got`` departs from ``want`` (a path and the kind of difference), or ''."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path} must be an object"
        if set(got) != set(want):
            return f"{path} has keys {sorted(got)}; it needs exactly {sorted(want)}"
        return next((d for k in want if (d := difference(got[k], want[k], f"{path}.{k}"))), "")
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"{path} must be a list"
        if len(got) != len(want):
            return f"{path} has {len(got)} entries, not the right number"
        return next((d for i, (g, w) in enumerate(zip(got, want)) if (d := difference(g, w, f"{path}[{i}]"))), "")
    if want is None:
        return "" if got is None else f"{path} must be null here (the metric is undefined)"
    if isinstance(want, str):
        return "" if got == want else f"{path} is not the right string"
    if isinstance(want, float):
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            return f"{path} must be a number" + (" (not null: it is defined here)" if got is None else "")
        return "" if math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12) else f"{path} has another value"
    return "" if got == want and type(got) is type(want) else f"{path} has another value"


SLIPS = (
    (Mistake("threshold-ignored", "predictions are score >= threshold, with the threshold you were given (not 0.5)"),
     {"ignore_threshold": True}),
    (Mistake("small-slices-flagged", "a slice with fewer than min_slice_size rows goes to insufficient_data only, "
             "never to limitations"), {"flag_small": True}),
    (Mistake("gap-sign-reversed", "gap = overall recall - slice recall: a limitation is a slice whose recall *trails* "
             "the overall recall by more than max_gap"), {"reversed_gap": True}),
    (Mistake("slices-unsorted", "slices must be sorted by name (str(group))"), {"unsorted": True}),
)
NAN = Mistake("nan-not-null", "undefined metrics must be None (JSON null): NaN is not valid JSON, and json.dumps("
              "card, allow_nan=False) refuses it")
NUMPY_TYPES = Mistake("numpy-types-in-card", "the card holds numpy values that json.dumps cannot write (np.int64, "
                      "np.float32...): convert with int(...) / float(...)")
LABELS = Mistake("labels-not-strings", "slice names must be strings: str(group), also for integer group labels")


def _case(label, seed, n, groups, shift, threshold=0.5, min_slice_size=30, max_gap=0.05, as_array=False, **tweak):
    rng = np.random.default_rng(seed)
    g = rng.choice(np.array(groups, dtype=object), size=n, p=tweak.get("p"))
    y = (rng.random(n) < tweak.get("base", 0.35)).astype(int)
    offset = np.array([shift.get(x, 0.0) for x in g])
    score = 1 / (1 + np.exp(-(1.6 * (2 * y - 1) + offset + rng.normal(0, 1.6, n))))
    for name, value in tweak.get("all_y", {}).items():
        y[g == name] = value
    groups_out = np.array(list(g), dtype=type(groups[0])) if as_array else [x for x in g]
    kwargs = {**DETAILS, "threshold": threshold, "min_slice_size": min_slice_size, "max_gap": max_gap}
    return Case((y, score, groups_out), kwargs, label)


def _cases():
    s = lambda tag: seed_for(MODULE_ID, EX, tag)
    regions = ["west", "north", "south", "islands", "east"]
    return [
        _case("400 customers in 5 regions (one of 14 rows), default threshold", s("regions"), 400, regions,
              {"south": -1.2, "islands": -2.0, "east": -0.9}, p=[0.3, 0.25, 0.25, 0.035, 0.165]),
        _case("integer group labels 1, 2, 3, 10 (numpy array), threshold=0.3, min_slice_size=40, max_gap=0.08",
              s("ints"), 360, [10, 2, 1, 3], {1: -1.5, 3: 0.8}, threshold=0.3, min_slice_size=40, max_gap=0.08,
              as_array=True),
        _case("a slice without positives and one without negatives, threshold=0.6", s("undefined"), 240,
              ["b2b", "retail", "partner"], {"retail": -0.8}, threshold=0.6, all_y={"b2b": 0, "partner": 1}),
        _case("threshold=0.995: nothing is predicted positive", s("none"), 150, ["a", "b"], {}, threshold=0.995),
    ]


def _card(case, value):
    """(the card as the learner's json.dumps wrote it, or as returned when that failed; None) or (None, failure)."""
    card = value.get("returned") if isinstance(value, dict) and "json_error" in value else \
        json.loads(value["json"]) if isinstance(value, dict) and "json" in value else None
    if not isinstance(card, dict):
        return None, incorrect(case, f"model_card must return a dict, not {kind_of(card)}")
    return card, None


def _judge_json(case, value):
    card, failure = _card(case, value)
    if failure:
        return failure
    if "json_error" in value:
        if "NaN" in value["json_error"] or "Out of range" in value["json_error"]:
            return incorrect(case, NAN.message, NAN.id)
        return incorrect(case, f"{NUMPY_TYPES.message} ({value['json_error']})", NUMPY_TYPES.id)
    import jsonschema

    errors = sorted(jsonschema.Draft202012Validator(MODEL_CARD_SCHEMA).iter_errors(card), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "the card"
        if first.path and (first.path[-1] == "slice" or first.path[0] == "insufficient_data"):
            return incorrect(case, f"{LABELS.message} (schema: {where}: {first.message})", LABELS.id)
        return incorrect(case, f"the card does not validate against MODEL_CARD_SCHEMA: {where}: {first.message}",
                         "schema-invalid")
    return None


def _judge_facts(keys):
    def judge_one(case, value):
        card, failure = _card(case, value)
        if failure:
            return failure
        want = CARD(*case.args, **case.kwargs)
        got = {k: card.get(k) for k in keys}
        problem = difference(got, {k: want[k] for k in keys})
        if not problem:
            return None
        if any(isinstance(v, float) and math.isnan(v) for v in _leaves(got)):
            return incorrect(case, NAN.message, NAN.id)
        for mistake, slip in SLIPS:
            wrong = card_ref(*case.args, **case.kwargs, **slip)
            wrong = {k: wrong[k] for k in keys}
            if difference(wrong, {k: want[k] for k in keys}) and not difference(got, wrong):
                return incorrect(case, mistake.message, mistake.id)
        if "slices" in keys and any(isinstance(s, dict) and not isinstance(s.get("slice"), str)
                                    for s in got.get("slices") or []):
            return incorrect(case, LABELS.message, LABELS.id)
        return incorrect(case, problem)
    return judge_one


def _leaves(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _check(title, points, judge_one, gated=False, expect=None):
    """``expect``: the kept oracle the judge compares with, carried on it for 08's warm_up (keep_outputs)."""
    judge = per_case(judge_one)
    if expect is not None:
        judge.expect = expect
    return Check(title, points, _cases, judge, probe=helpers.json_dumps_probe, gated=gated,
                 probe_args=lambda target, cases: (target, [(c.args, c.kwargs) for c in cases]))


model_card = Exercise(
    EX,
    skill="model-documentation",
    hints=(
        "A model card states facts a reader can check: who it is for, what it was trained on, how well it does "
        "overall and on each slice, and where it falls short. Undefined metrics are null, not NaN.",
        "Predict with score >= threshold; overall and per-slice accuracy/recall/roc_auc with sklearn.metrics "
        "(recall None without positives, roc_auc None with one class); slices sorted by str(group); limitations: "
        "slices with n >= min_slice_size whose recall trails the overall one by more than max_gap.",
        "`gap = overall_recall - slice_recall; if n >= min_slice_size and gap > max_gap: limitations.append(...)`; "
        "`limitations.sort(key=lambda d: (-d['gap'], d['slice']))`; cast every number with float()/int()",
    ),
    checks=(
        _check("model details, intended use, training data; overall metrics at the threshold", 2,
               _judge_facts(("model_details", "intended_use", "training_data", "evaluation_data", "metrics")),
               expect=CARD),
        _check("one slice per group, sorted by name, with n, positive rate, accuracy, recall, ROC AUC", 2,
               _judge_facts(("slices",)), expect=CARD),
        _check("limitations (large slices whose recall trails by more than max_gap) and insufficient data", 3,
               _judge_facts(("limitations", "insufficient_data")), expect=CARD),
        _check("survives json.dumps(allow_nan=False) and validates against MODEL_CARD_SCHEMA", 1, _judge_json,
               gated=True),
    ),
)
