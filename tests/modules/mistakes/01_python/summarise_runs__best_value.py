# expect: `best` differs from what the messy version returns
def summarise_runs(runs, metric="accuracy"):
    values = [run["metrics"].get(metric) for run in runs]
    present = [v for v in values if v is not None]
    return {
        "best": max(present) if present else None,
        "mean": sum(present) / len(present) if present else None,
        "n_missing": len(values) - len(present),
    }
