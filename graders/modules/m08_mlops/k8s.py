"""k8s_manifests / desired_replicas: a Deployment, a Service and a HorizontalPodAutoscaler that pass
kubernetes-validate 1.37.0 in strict mode (its findings shown as its command line prints them) and hang
together; and the HPA's replica formula. No cluster is needed."""
from __future__ import annotations

import copy
import math

import numpy as np

from graders.engine.compare import describe
from graders.engine.judges import returns
from graders.engine.spec import Case, Check, Exercise, Mistake, seed_for

from . import k8s_checks as kc
from .common import MODULE_ID, per_case

EX = "k8s_manifests"
SPECS = [
    {"name": "churn-api", "image": "registry.example.com/churn-api:1.4.2", "port": 8000, "cpu": "250m",
     "memory": "256Mi", "min_replicas": 2, "max_replicas": 6, "target_cpu_utilization": 70},
    {"name": "fraud-scorer", "image": "ghcr.io/acme/fraud-scorer@sha256:" + "3f" * 32, "port": 8080, "cpu": "0.5",
     "memory": "1Gi", "min_replicas": 1, "max_replicas": 10, "target_cpu_utilization": 60},
]


def _cases():
    return [Case((copy.deepcopy(spec),), {}, f"spec {spec['name']!r}: port {spec['port']}, cpu {spec['cpu']}, memory "
                                              f"{spec['memory']}, {spec['min_replicas']}-{spec['max_replicas']} "
                                              f"replicas at {spec['target_cpu_utilization']}% CPU", extra=spec)
            for spec in SPECS]


def _check(title, points, judge_one):
    return Check(title, points, _cases, per_case(judge_one), timeout=20.0)


# ------------------------------------------------------------------ desired_replicas
def desired_replicas_ref(current_replicas, current_utilization, target_utilization, min_replicas, max_replicas,
                         tolerance=0.1, rounding=math.ceil, band=True, clamp=True):
    ratio = current_utilization / target_utilization
    desired = current_replicas if band and abs(ratio - 1) <= tolerance else rounding(current_replicas * ratio)
    return int(min(max(desired, min_replicas), max_replicas)) if clamp else int(desired)


REPLICA_MISTAKES = (
    Mistake("round-not-ceil", "the HPA rounds up: ceil(current_replicas * ratio), never round()",
            variant=lambda *a, **k: desired_replicas_ref(*a, **k, rounding=lambda x: int(np.floor(x + 0.5)))),
    Mistake("floor-not-ceil", "the HPA rounds up: ceil(current_replicas * ratio), not floor/int()",
            variant=lambda *a, **k: desired_replicas_ref(*a, **k, rounding=math.floor)),
    Mistake("no-tolerance-band", "within the tolerance band (|ratio - 1| <= tolerance) the HPA keeps "
            "current_replicas: it does not scale on small deviations", variant=lambda *a, **k: desired_replicas_ref(
                *a, **k, band=False)),
    Mistake("no-clamping", "the result must be clamped to [min_replicas, max_replicas]",
            variant=lambda *a, **k: desired_replicas_ref(*a, **k, clamp=False)),
)


def _replica_compare(got, expected):
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, np.integer)):
        return f"expected an int (a replica count), got {describe(got)}"
    return None if int(got) == expected else "a different number of replicas"


def _replica_cases():
    # first a case where round() and floor() part ways (5.71): a floor slip is named as such, not as round
    fixed = [((4, 100, 70, 1, 10), {}, "4 replicas at 100% for a 70% target"),
             ((4, 90, 70, 1, 10), {}, "4 replicas at 90% for a 70% target"),
             ((10, 30, 70, 2, 20), {}, "10 replicas at 30% for a 70% target"),
             ((5, 73, 70, 1, 10), {}, "5 replicas at 73% for a 70% target (inside the 10% band)"),
             ((6, 65, 70, 1, 10), {}, "6 replicas at 65% for a 70% target (inside the band)"),
             ((8, 200, 50, 2, 20), {}, "8 replicas at 200% for a 50% target, max 20"),
             ((3, 5, 80, 2, 10), {}, "3 replicas at 5% for an 80% target, min 2"),
             ((4, 80.5, 70, 1, 10), {"tolerance": 0.2}, "4 replicas at 80.5% for a 70% target, tolerance=0.2"),
             ((4, 80.5, 70, 1, 10), {"tolerance": 0.05}, "4 replicas at 80.5% for a 70% target, tolerance=0.05")]
    rng = np.random.default_rng(seed_for(MODULE_ID, EX, "replicas"))
    while len(fixed) < 16:
        current, target = int(rng.integers(1, 15)), int(rng.choice([50, 60, 70, 75, 80]))
        util = float(np.round(rng.uniform(10, 180), 1))
        lo, hi = int(rng.integers(1, 4)), int(rng.integers(8, 25))
        ratio = util / target
        if abs(abs(ratio - 1) - 0.1) < 1e-6 or abs(current * ratio - round(current * ratio)) < 1e-6:
            continue                                           # no knife edges: the contract keeps away from them
        fixed.append(((current, util, target, lo, hi), {}, f"{current} replicas at {util}% for a {target}% target, "
                                                            f"{lo}-{hi} replicas"))
    return [Case(args, kwargs, label) for args, kwargs, label in fixed]


k8s_manifests = Exercise(
    EX,
    skill="orchestration",
    hints=(
        "Three objects that must point at each other: the Deployment's selector picks its own pod template's "
        "labels, the Service selects the same pods and forwards port 80 to the container port, the HPA scales the "
        "Deployment by name. Strict validation refuses any field in the wrong place.",
        "Probes and resources belong to the container (spec.template.spec.containers[0]), not to the pod spec. "
        "desired_replicas: ratio = current / target utilization; inside the tolerance band keep the count, else "
        "ceil(current_replicas * ratio); clamp last.",
        "`{'readinessProbe': {'httpGet': {'path': '/health', 'port': port}}}` inside the container; HPA metrics: "
        "`[{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Utilization', "
        "'averageUtilization': target}}}]`",
    ),
    checks=(
        _check("the three manifests pass kubernetes-validate 1.37.0 --strict", 2, kc.judge_validation),
        _check("Deployment: the image, replicas, a selector matching the template, resources, /health probes", 2,
               kc.judge_deployment),
        _check("Service: ClusterIP, selects the pods, port 80 to the container port", 1, kc.judge_service),
        _check("HorizontalPodAutoscaler: autoscaling/v2 on the Deployment, min/max, CPU utilization", 1,
               kc.judge_hpa),
        Check("desired_replicas: the HPA formula with its tolerance band and clamping", 2, _replica_cases,
              returns(desired_replicas_ref, _replica_compare, REPLICA_MISTAKES, "the HPA's replica count"),
              target="desired_replicas"),
    ),
)
