from dataclasses import dataclass, field


@dataclass
class _Summary:
    best: str | None = None
    best_value: float | None = None
    values: list[float] = field(default_factory=list)
    missing: int = 0

    def add(self, name: str, value: float | None) -> None:
        if value is None:
            self.missing += 1
            return
        self.values.append(value)
        if self.best_value is None or value > self.best_value:
            self.best, self.best_value = name, value


def summarise_runs(runs, metric="accuracy"):
    summary = _Summary()
    for run in runs:
        summary.add(run["name"], run["metrics"].get(metric))
    mean = sum(summary.values) / len(summary.values) if summary.values else None
    return {"best": summary.best, "mean": mean, "n_missing": summary.missing}
