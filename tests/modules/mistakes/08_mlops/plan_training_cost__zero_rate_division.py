# mistake: zero-rate-division
# expect: divides by zero
def plan_training_cost(work_hours, deadline_hours, on_demand_price, spot_price, interruption_rate,
                       checkpoint_cost_hours, restart_cost_hours, checkpoint_intervals):
    """The cheapest plan (on-demand, or spot with one checkpoint interval) whose expected hours meet the deadline."""
    def segment_hours(exposed):
        # expected wall-clock hours to get `exposed` hours done when each interruption loses the segment
        return math.expm1(interruption_rate * exposed) * (1 / interruption_rate + restart_cost_hours)

    plans = [{"market": "on_demand", "checkpoint_interval": None, "expected_hours": float(work_hours),
              "expected_cost": float(work_hours * on_demand_price)}]
    for tau in sorted(checkpoint_intervals):
        k = math.ceil(work_hours / tau)
        last = work_hours - (k - 1) * tau
        hours = (k - 1) * segment_hours(tau + checkpoint_cost_hours) + segment_hours(last + checkpoint_cost_hours)
        plans.append({"market": "spot", "checkpoint_interval": tau, "expected_hours": hours,
                      "expected_cost": spot_price * hours})
    feasible = [p for p in plans if p["expected_hours"] <= deadline_hours]
    if not feasible:
        raise ValueError("no plan meets the deadline")
    return min(feasible, key=lambda p: p["expected_cost"])     # min keeps the first of equals: on-demand, smaller tau
