# mistake: wrong-status-keys
# expect: one entry per task
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
    done, status, blocked = _load(state_path), {}, set()
    for t in order:
        if t in done:
            status[t] = "skipped"
        elif any(u in blocked for u in graph[t]):
            blocked.add(t)                                # left out of the result instead of upstream_failed
        else:
            status[t] = "failed"
            for _ in range(max_retries + 1):
                try:
                    tasks[t]()
                except Exception:
                    continue
                status[t] = "success"
                done.add(t)
                _save(state_path, done)
                break
            if status[t] == "failed":
                blocked.add(t)
    return status
