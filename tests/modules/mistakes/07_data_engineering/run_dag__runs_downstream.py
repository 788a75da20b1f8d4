# mistake: ran-downstream-of-failure
# expect: although an upstream of it had failed
import graphlib


def _order(tasks, deps):
    graph = {t: list(deps.get(t, [])) for t in tasks}
    for t, ups in graph.items():
        if any(u not in tasks for u in ups):
            raise ValueError("unknown dependency")
    return graph, list(graphlib.TopologicalSorter(graph).static_order())


def _load(state_path):
    if os.path.exists(state_path):
        with open(state_path) as fh:
            return set(json.load(fh))
    return set()


def _save(state_path, done):
    with open(state_path, "w") as fh:
        json.dump(sorted(done), fh)

def run_dag(tasks, deps, state_path, max_retries=1):
    graph, order = _order(tasks, deps)
    done, status = _load(state_path), {}
    for t in order:
        if t in done:
            status[t] = "skipped"
            continue
        upstream_ok = all(status[u] in ("success", "skipped") for u in graph[t])
        ok = False
        for _ in range(max_retries + 1):              # runs it anyway, then decides the status
            try:
                tasks[t]()
                ok = True
                break
            except Exception:
                pass
        status[t] = "upstream_failed" if not upstream_ok else ("success" if ok else "failed")
        if ok and upstream_ok:
            done.add(t)
            _save(state_path, done)
    return status
