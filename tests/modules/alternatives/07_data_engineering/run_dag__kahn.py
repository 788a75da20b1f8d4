def run_dag(tasks, deps, state_path, max_retries=1):
    upstream = {t: set(deps.get(t, ())) for t in tasks}
    for t, ups in upstream.items():
        if not ups <= set(tasks):
            raise ValueError(f"{t} depends on unknown tasks {ups - set(tasks)}")
    # Kahn's algorithm: the full order first, so a cycle is found before anything runs
    waiting = {t: set(ups) for t, ups in upstream.items()}
    order = []
    ready = sorted(t for t, ups in waiting.items() if not ups)
    while ready:
        t = ready.pop(0)
        order.append(t)
        for other, ups in waiting.items():
            if t in ups:
                ups.discard(t)
                if not ups:
                    ready.append(other)
    if len(order) != len(tasks):
        raise ValueError("the graph has a cycle")
    try:
        with open(state_path) as fh:
            done = set(fh.read().split())
    except FileNotFoundError:
        done = set()
    result = {}
    for t in order:
        if t in done:
            result[t] = "skipped"
        elif any(result[u] not in ("success", "skipped") for u in upstream[t]):
            result[t] = "upstream_failed"
        else:
            result[t] = "failed"
            for attempt in range(1 + max_retries):
                try:
                    tasks[t]()
                except Exception:
                    continue
                result[t] = "success"
                with open(state_path, "a") as fh:          # one line per success, appended at once
                    fh.write(t + "\n")
                break
    return result
