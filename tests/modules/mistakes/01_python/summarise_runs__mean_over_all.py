# mistake: mean-over-all-runs
# expect: your mean divides by all runs
def summarise_runs(runs, metric="accuracy"):
    values = [run["metrics"].get(metric) for run in runs]
    present = [v for v in values if v is not None]
    if not present:
        return {"best": None, "mean": None, "n_missing": len(runs)}
    best = next(run["name"] for run, v in zip(runs, values, strict=True) if v == max(present))
    return {"best": best, "mean": sum(present) / len(runs), "n_missing": len(runs) - len(present)}
