"""Judges of k8s_manifests' three documents (grading process): strict schema validation with
kubernetes-validate, then how the objects refer to each other."""
from __future__ import annotations

import copy
import re
from decimal import Decimal, InvalidOperation

from graders.engine.judges import incorrect
from graders.engine.spec import Mistake

from .common import kind_of

KINDS = ("Deployment", "Service", "HorizontalPodAutoscaler")
PROBES_ON_POD = Mistake("probes-on-pod-spec", "readinessProbe/livenessProbe (and resources) belong to the container "
                        "(spec.template.spec.containers[i]), not to the pod spec: strict validation refuses them there")
SELECTOR = Mistake("selector-mismatch", "the selector must be a non-empty subset of the pod template's labels, or it "
                   "selects no pod (the Deployment is even refused by the API server)")
SERVICE_PORT = Mistake("service-wrong-port", "the Service must forward port 80 to the container's port (targetPort = "
                       "the containerPort, or its name)")
NO_REQUESTS = Mistake("no-resource-requests", "the container needs resources.requests for cpu and memory (the HPA "
                      "computes utilization against the cpu request) and limits.memory, equal to the spec's")
HPA_TARGET = Mistake("hpa-wrong-target", "scaleTargetRef must be {apiVersion: apps/v1, kind: Deployment, name: <the "
                     "Deployment's name>}")
_UNITS = {"": 1, "m": Decimal("0.001"), "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "Ki": 2**10, "Mi": 2**20,
          "Gi": 2**30, "Ti": 2**40}


def quantity(value) -> Decimal | None:
    """A Kubernetes quantity ("500m", "0.5", "256Mi", 2) as a number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    match = re.fullmatch(r"\s*([0-9.]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*", str(value))
    if not match or match.group(2) not in _UNITS:
        return None
    try:
        return Decimal(match.group(1)) * _UNITS[match.group(2)]
    except InvalidOperation:
        return None


def _docs(case, value):
    """{kind: document} or (None, failure)."""
    if not isinstance(value, (list, tuple)) or len(value) != 3 or not all(isinstance(d, dict) for d in value):
        return None, incorrect(case, f"k8s_manifests must return a list of three dicts (Deployment, Service, "
                                     f"HorizontalPodAutoscaler), not {kind_of(value)}")
    by_kind = {d.get("kind"): d for d in value}
    if sorted(map(str, by_kind)) != sorted(KINDS):
        return None, incorrect(case, f"the three documents must be one Deployment, one Service and one "
                                     f"HorizontalPodAutoscaler; their kinds are {[d.get('kind') for d in value]}")
    return by_kind, None


def _get(doc, *path, default=None):
    for key in path:
        if isinstance(doc, dict) and key in doc or isinstance(doc, list) and isinstance(key, int) and -len(doc) <= key < len(doc):
            doc = doc[key]
        else:
            return default
    return doc


def judge_validation(case, value):
    docs, failure = _docs(case, value)
    if failure:
        return failure
    import kubernetes_validate
    from kubernetes_validate.utils import ValidationError

    for kind in KINDS:
        doc = docs[kind]
        name = f"{kind}/{_get(doc, 'metadata', 'name', default='?')}"
        try:
            kubernetes_validate.validate(copy.deepcopy(doc), "1.37.0", strict=True)
        except ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            printed = f"ERROR did not validate for resource {name} against version {exc.version}: {path}: {exc.message}"
            if kind == "Deployment" and path.endswith("template.spec") and "Probe" in exc.message:
                return incorrect(case, f"{PROBES_ON_POD.message}.\n{printed}", PROBES_ON_POD.id)
            return incorrect(case, f"kubernetes-validate refuses a document:\n{printed}", "invalid-manifest")
        except Exception as exc:  # noqa: BLE001 - no schema for this apiVersion/kind, a missing apiVersion...
            return incorrect(case, f"kubernetes-validate cannot validate {name}: {type(exc).__name__}: {exc}",
                             "invalid-manifest")
    return None


def _container(docs):
    containers = _get(docs["Deployment"], "spec", "template", "spec", "containers", default=[])
    return containers[0] if isinstance(containers, list) and len(containers) == 1 and isinstance(
        containers[0], dict) else None


def _container_port(container, target) -> bool:
    """Is ``target`` the container's port, as a number or as the port's name?"""
    ports = container.get("ports") or []
    numbers = {p.get("containerPort") for p in ports if isinstance(p, dict)}
    names = {p.get("name") for p in ports if isinstance(p, dict) and p.get("name")}
    return (isinstance(target, int) and not isinstance(target, bool) and target in numbers) or \
        (isinstance(target, str) and target in names)


def _subset(selector, labels) -> bool:
    return isinstance(selector, dict) and bool(selector) and isinstance(labels, dict) and \
        all(labels.get(k) == v for k, v in selector.items())


def judge_deployment(case, value):
    docs, failure = _docs(case, value)
    if failure:
        return failure
    spec, dep = case.extra, docs["Deployment"]
    if dep.get("apiVersion") != "apps/v1":
        return incorrect(case, "the Deployment's apiVersion must be apps/v1")
    container = _container(docs)
    if container is None:
        return incorrect(case, "the Deployment's pod template must have exactly one container")
    if container.get("image") != spec["image"]:
        return incorrect(case, "the container's image must be spec['image'], verbatim")
    replicas = _get(dep, "spec", "replicas")
    if replicas is not None and not (spec["min_replicas"] <= replicas <= spec["max_replicas"]):
        return incorrect(case, "replicas must be omitted (the HPA decides) or within [min_replicas, max_replicas]")
    if not _subset(_get(dep, "spec", "selector", "matchLabels"), _get(dep, "spec", "template", "metadata", "labels")):
        return incorrect(case, SELECTOR.message, SELECTOR.id)
    requests = _get(container, "resources", "requests", default={}) or {}
    limits = _get(container, "resources", "limits", default={}) or {}
    if quantity(requests.get("cpu")) != quantity(spec["cpu"]) or quantity(requests.get("memory")) != \
            quantity(spec["memory"]) or quantity(limits.get("memory")) != quantity(spec["memory"]):
        return incorrect(case, NO_REQUESTS.message, NO_REQUESTS.id)
    if "cpu" in limits and (quantity(limits["cpu"]) is None or quantity(limits["cpu"]) < quantity(spec["cpu"])):
        return incorrect(case, "a cpu limit is optional, but if set it must be at least the cpu request")
    for probe in ("readinessProbe", "livenessProbe"):
        get = _get(container, probe, "httpGet")
        if not isinstance(get, dict) or get.get("path") != "/health" or not _container_port(container, get.get("port")):
            if _get(dep, "spec", "template", "spec", probe) is not None:
                return incorrect(case, PROBES_ON_POD.message, PROBES_ON_POD.id)
            return incorrect(case, f"the container needs a {probe} with httpGet on path /health and the container "
                                   "port (its number or its name)")
    return None


def judge_service(case, value):
    docs, failure = _docs(case, value)
    if failure:
        return failure
    svc, container = docs["Service"], _container(docs)
    if svc.get("apiVersion") != "v1" or _get(svc, "spec", "type", default="ClusterIP") != "ClusterIP":
        return incorrect(case, "the Service must be apiVersion v1, type ClusterIP (or no type)")
    if not _subset(_get(svc, "spec", "selector"), _get(docs["Deployment"], "spec", "template", "metadata", "labels")):
        return incorrect(case, f"the Service selects no pod: {SELECTOR.message}", SELECTOR.id)
    ports = _get(svc, "spec", "ports", default=[])
    if not isinstance(ports, list) or len(ports) != 1 or not isinstance(ports[0], dict) or \
            ports[0].get("port") != 80 or container is None or \
            not _container_port(container, ports[0].get("targetPort", ports[0].get("port"))):
        return incorrect(case, SERVICE_PORT.message, SERVICE_PORT.id)
    return None


def judge_hpa(case, value):
    docs, failure = _docs(case, value)
    if failure:
        return failure
    spec, hpa = case.extra, docs["HorizontalPodAutoscaler"]
    if hpa.get("apiVersion") != "autoscaling/v2":
        return incorrect(case, "the HorizontalPodAutoscaler's apiVersion must be autoscaling/v2")
    ref = _get(hpa, "spec", "scaleTargetRef", default={})
    if ref != {"apiVersion": "apps/v1", "kind": "Deployment", "name": _get(docs["Deployment"], "metadata", "name")}:
        return incorrect(case, HPA_TARGET.message, HPA_TARGET.id)
    if _get(hpa, "spec", "minReplicas") != spec["min_replicas"] or \
            _get(hpa, "spec", "maxReplicas") != spec["max_replicas"]:
        return incorrect(case, "minReplicas and maxReplicas must be the spec's min_replicas and max_replicas")
    metrics = _get(hpa, "spec", "metrics", default=[])
    want = {"type": "Utilization", "averageUtilization": spec["target_cpu_utilization"]}
    if not isinstance(metrics, list) or len(metrics) != 1 or _get(metrics[0], "type") != "Resource" or \
            _get(metrics[0], "resource", "name") != "cpu" or _get(metrics[0], "resource", "target") != want:
        return incorrect(case, "the HPA needs one Resource metric: cpu, target {type: Utilization, "
                               "averageUtilization: spec['target_cpu_utilization']}")
    return None

