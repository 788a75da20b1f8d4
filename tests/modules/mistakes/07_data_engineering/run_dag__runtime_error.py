# mistake: wrong-exception
# expect: raise ValueError
import graphlib


def run_dag(tasks, deps, state_path, max_retries=1):
    graph = {t: list(deps.get(t, [])) for t in tasks}
    if any(u not in tasks for ups in graph.values() for u in ups):
        raise KeyError("unknown dependency")
    try:
        order = list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError:
        raise RuntimeError("the graph has a cycle") from None
    done = set(json.load(open(state_path))) if os.path.exists(state_path) else set()
    status = {}
    for t in order:
        if t in done:
            status[t] = "skipped"
        elif any(status[u] in ("failed", "upstream_failed") for u in graph[t]):
            status[t] = "upstream_failed"
        else:
            status[t] = "failed"
            for _ in range(max_retries + 1):
                try:
                    tasks[t]()
                except Exception:
                    continue
                status[t] = "success"
                done.add(t)
                with open(state_path, "w") as fh:
                    json.dump(sorted(done), fh)
                break
    return status
