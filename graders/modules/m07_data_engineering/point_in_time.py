"""point_in_time_features(con): each label with the entity's latest feature known at the label's time."""
from __future__ import annotations

from graders.engine.spec import Check, Exercise, seed_for

from . import helpers
from .data import shop
from .sql import SqlContract, SqlMistake, payload, probe_args, sql_case, sql_judge

MODULE = "07_data_engineering"
SELECT = "SELECT l.entity_id, l.ts, l.label, f.value FROM labels l"

REFERENCE = f"{SELECT} ASOF LEFT JOIN features f ON l.entity_id = f.entity_id AND l.ts >= f.ts"

MISTAKES = (
    SqlMistake("strict-before", "a feature stamped exactly at the label's time was ignored: it is already known "
               "then, so the condition is `features.ts <= labels.ts` (`l.ts >= f.ts` in the ASOF join), not `<`.",
               sql=lambda c: f"{SELECT} ASOF LEFT JOIN features f ON l.entity_id = f.entity_id AND l.ts > f.ts"),
    SqlMistake("inner-join", "labels whose entity has no feature yet (or none at all) disappeared: keep every "
               "label row with a LEFT join (`ASOF LEFT JOIN`), value NULL when nothing is known.",
               sql=lambda c: f"{SELECT} ASOF JOIN features f ON l.entity_id = f.entity_id AND l.ts >= f.ts"),
    SqlMistake("across-entities", "a label got another entity's feature: match on `entity_id` too (the ASOF "
               "join's ON clause needs `l.entity_id = f.entity_id` besides the time condition).",
               sql=lambda c: f"{SELECT} ASOF LEFT JOIN features f ON l.ts >= f.ts"),
    SqlMistake("future-latest", "future leakage: a label got the entity's latest feature overall, including values "
               "recorded after the label's time. Only features with `features.ts <= labels.ts` may be used.",
               sql=lambda c: f"""{SELECT} LEFT JOIN (SELECT entity_id, arg_max(value, ts) AS value FROM features
                                  GROUP BY entity_id) f USING (entity_id)"""),
    SqlMistake("future-nearest", "future leakage: a label got the feature *nearest* in time, which may come after "
               "the label. Only features with `features.ts <= labels.ts` may be used (the latest of those).",
               sql=lambda c: f"""{SELECT} LEFT JOIN LATERAL (SELECT value FROM features f WHERE f.entity_id =
                                  l.entity_id ORDER BY abs(epoch(f.ts) - epoch(l.ts)), f.ts LIMIT 1) f ON true"""),
    SqlMistake("future-next", "future leakage: a label got the first feature recorded *after* (or at) its time. "
               "Look backwards: the latest feature with `features.ts <= labels.ts`.",
               sql=lambda c: f"{SELECT} ASOF LEFT JOIN features f ON l.entity_id = f.entity_id AND l.ts <= f.ts"),
)

CONTRACT = SqlContract(("entity_id", "ts", "label", "value"), ("entity_id", "ts"), lambda c: REFERENCE, MISTAKES,
                       noun="a table of labels with their point-in-time value")


def _cases():
    out = []
    for name, n in (("a", 14), ("b", 9), ("c", 5)):
        labels, features = shop.make_labels_features(n_entities=n, seed=seed_for(MODULE, "point_in_time", name))
        out.append(sql_case(payload(labels=labels, features=features),
                            f"generated labels and features ({len(labels)} labels, {len(features)} features of "
                            f"{n} entities; labels at a feature's exact time, before the first feature, and "
                            "entities without features)"))
    return out


point_in_time_features = Exercise(
    "point_in_time_features",
    skill="sql-joins",
    cell_timeout=20.0,
    hints=(
        ("For each label, look only at the same entity's features whose time is at or before the label's "
        "time, and take the latest of them; when there is none, the value is NULL and the label stays."),
        ("DuckDB has a join for exactly this: `labels l ASOF LEFT JOIN features f ON l.entity_id = f.entity_id "
        "AND l.ts >= f.ts` matches each label with the closest earlier-or-equal feature of its entity."),
        ("`SELECT l.entity_id, l.ts, l.label, f.value FROM labels l ASOF LEFT JOIN features f ON ... AND "
        "l.ts >= f.ts` (the inequality must be `>=`, and LEFT keeps labels without history)."),
    ),
    checks=(
        Check("latest feature at or before each label, per entity, every label kept", 10, _cases,
              sql_judge(CONTRACT), probe=helpers.sql_each, probe_args=probe_args, timeout=30.0),
    ),
)
