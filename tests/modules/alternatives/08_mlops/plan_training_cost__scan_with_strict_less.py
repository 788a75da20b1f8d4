def plan_training_cost(work_hours, deadline_hours, on_demand_price, spot_price, interruption_rate,
                       checkpoint_cost_hours, restart_cost_hours, checkpoint_intervals):
    lam, c, R, W = interruption_rate, checkpoint_cost_hours, restart_cost_hours, work_hours

    def expected(T):
        return T if lam == 0 else (math.exp(lam * T) - 1.0) * (1.0 / lam + R) if lam * T > 1e-3 \
            else math.expm1(lam * T) * (1.0 / lam + R)

    best = None
    if W <= deadline_hours:
        best = {"market": "on_demand", "checkpoint_interval": None, "expected_hours": float(W),
                "expected_cost": float(W * on_demand_price)}
    for tau in sorted(checkpoint_intervals):
        full = math.ceil(W / tau) - 1
        hours = full * expected(tau + c) + expected(W - full * tau + c)
        if hours > deadline_hours:
            continue
        cost = spot_price * hours
        if best is None or cost < best["expected_cost"]:
            best = {"market": "spot", "checkpoint_interval": tau, "expected_hours": hours, "expected_cost": cost}
    if best is None:
        raise ValueError(f"no plan finishes within {deadline_hours} h")
    return best
