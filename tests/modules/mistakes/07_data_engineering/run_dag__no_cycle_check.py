# mistake: no-cycle-detection
# expect: before finding that the graph is invalid
def run_dag(tasks, deps, state_path, max_retries=1):
    # runs whatever becomes ready; a cycle is only noticed when nothing is left to run
    status, remaining = {}, dict(tasks)
    while remaining:
        ready = [t for t in remaining if all(u in status for u in deps.get(t, []))]
        if not ready:
            raise ValueError("cycle or unknown dependency")
        for t in ready:
            if any(status[u] != "success" for u in deps.get(t, [])):
                status[t] = "upstream_failed"
            else:
                status[t] = "failed"
                for _ in range(max_retries + 1):
                    try:
                        remaining[t]()
                        status[t] = "success"
                        break
                    except Exception:
                        pass
            del remaining[t]
    return status
