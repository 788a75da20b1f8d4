# mistake: ties-to-last
# expect: on a tie you kept the last run
def summarise_runs(runs, metric="accuracy"):
    best, best_value, values = None, None, []
    for run in runs:
        value = run["metrics"].get(metric)
        if value is None:
            continue
        values.append(value)
        if best_value is None or value >= best_value:
            best, best_value = run["name"], value
    mean = sum(values) / len(values) if values else None
    return {"best": best, "mean": mean, "n_missing": len(runs) - len(values)}
