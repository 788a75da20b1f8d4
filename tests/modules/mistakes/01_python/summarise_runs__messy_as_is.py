# mistake: ruff-findings
# expect: F401 [*] `math` imported but unused
import math
import os


def summarise_runs(runs, metric="accuracy"):
    def value_of(run, path=["metrics"]):
        d = run
        for p in path:
            d = d[p]
        try:
            return d[metric]
        except:
            return None

    best = None
    best_value = None
    total = 0
    count = 0
    missing = 0
    for r in runs:
        l = value_of(r)
        if l == None:
            missing = missing + 1
            continue
        total = total + l
        count = count + 1
        if best_value != None:
            if l > best_value:
                best_value = l
                best = r["name"]
        if best_value == None:
            best_value = l
            best = r["name"]
    mean = None
    if count > 0:
        mean = total / count
    return {"best": best, "mean": mean, "n_missing": missing}
