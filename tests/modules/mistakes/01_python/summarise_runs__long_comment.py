# mistake: ruff-findings
# expect: E501
def summarise_runs(runs, metric="accuracy"):
    # the best run is the first one with the highest value; runs without the metric are counted as missing ones
    present = [(run["name"], run["metrics"].get(metric)) for run in runs]
    present = [(name, value) for name, value in present if value is not None]
    if not present:
        return {"best": None, "mean": None, "n_missing": len(runs)}
    best = max(present, key=lambda pair: pair[1])[0]
    mean = sum(value for _, value in present) / len(present)
    return {"best": best, "mean": mean, "n_missing": len(runs) - len(present)}
