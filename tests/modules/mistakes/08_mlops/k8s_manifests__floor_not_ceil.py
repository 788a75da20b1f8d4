# mistake: floor-not-ceil
# expect: not floor
def k8s_manifests(spec):
    """[Deployment, Service, HorizontalPodAutoscaler] for `spec` (name, image, port, cpu, memory,
    min_replicas, max_replicas, target_cpu_utilization)."""
    name, port = spec["name"], spec["port"]
    labels = {"app": name}
    probe = {"httpGet": {"path": "/health", "port": port}, "periodSeconds": 10}
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": spec["min_replicas"],
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{
                "name": name, "image": spec["image"], "ports": [{"containerPort": port}],
                "resources": {"requests": {"cpu": spec["cpu"], "memory": spec["memory"]},
                              "limits": {"memory": spec["memory"]}},
                "readinessProbe": {**probe, "initialDelaySeconds": 2},
                "livenessProbe": {**probe, "initialDelaySeconds": 10},
            }]}},
        },
    }
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
               "spec": {"type": "ClusterIP", "selector": labels, "ports": [{"port": 80, "targetPort": port}]}}
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": name},
           "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                    "minReplicas": spec["min_replicas"], "maxReplicas": spec["max_replicas"],
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                        "type": "Utilization", "averageUtilization": spec["target_cpu_utilization"]}}}]}}
    return [deployment, service, hpa]


def desired_replicas(current_replicas, current_utilization, target_utilization, min_replicas, max_replicas,
                     tolerance=0.1):
    """The HorizontalPodAutoscaler's replica count: ceil(current * ratio) outside the tolerance band, clamped."""
    ratio = current_utilization / target_utilization
    if abs(ratio - 1.0) <= tolerance:
        desired = current_replicas
    else:
        desired = int(current_replicas * ratio)
    return int(min(max(desired, min_replicas), max_replicas))
