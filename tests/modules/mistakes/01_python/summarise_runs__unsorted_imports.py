# mistake: ruff-findings
# expect: I001
import statistics
import math


def summarise_runs(runs, metric="accuracy"):
    present = [(run["name"], run["metrics"].get(metric)) for run in runs]
    present = [(name, value) for name, value in present if value is not None]
    if not present:
        return {"best": None, "mean": None, "n_missing": len(runs)}
    top = max(value for _, value in present)
    best = next(name for name, value in present if math.isclose(value, top, rel_tol=0, abs_tol=0))
    mean = statistics.fmean(value for _, value in present)
    return {"best": best, "mean": mean, "n_missing": len(runs) - len(present)}
