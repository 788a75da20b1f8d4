from statistics import fmean


def summarise_runs(runs: list[dict], metric: str = "accuracy") -> dict:
    """max() keeps the first of equal values; fmean over the runs that have the metric."""
    present = [
        (run["name"], run["metrics"][metric])
        for run in runs
        if run["metrics"].get(metric) is not None
    ]
    if not present:
        return {"best": None, "mean": None, "n_missing": len(runs)}
    best_name, _ = max(present, key=lambda pair: pair[1])
    return {
        "best": best_name,
        "mean": fmean(value for _, value in present),
        "n_missing": len(runs) - len(present),
    }
