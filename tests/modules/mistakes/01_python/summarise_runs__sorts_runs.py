# mistake: mutates-runs
# expect: your function changed the `runs` it was given
def summarise_runs(runs, metric="accuracy"):
    def key(run):
        value = run["metrics"].get(metric)
        return float("-inf") if value is None else value

    present = [run["metrics"][metric] for run in runs if run["metrics"].get(metric) is not None]
    runs.sort(key=key, reverse=True)          # stable: the first of equal values stays first
    best = runs[0]["name"] if present else None
    mean = sum(present) / len(present) if present else None
    return {"best": best, "mean": mean, "n_missing": len(runs) - len(present)}
