def k8s_manifests(spec):
    app = spec["name"]
    selector = {"app.kubernetes.io/name": app}
    template_labels = {**selector, "app.kubernetes.io/component": "api"}
    check = lambda delay: {"httpGet": {"path": "/health", "port": "http"}, "initialDelaySeconds": delay}  # noqa: E731
    container = {
        "name": "api",
        "image": spec["image"],
        "ports": [{"name": "http", "containerPort": spec["port"], "protocol": "TCP"}],
        "resources": {"requests": {"cpu": spec["cpu"], "memory": spec["memory"]},
                      "limits": {"cpu": spec["cpu"], "memory": spec["memory"]}},
        "readinessProbe": check(3),
        "livenessProbe": check(15),
    }
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": f"{app}-deploy"},
                  "spec": {"selector": {"matchLabels": selector},
                           "template": {"metadata": {"labels": template_labels},
                                        "spec": {"containers": [container]}}}}
    service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"{app}-svc"},
               "spec": {"selector": selector, "ports": [{"name": "web", "port": 80, "targetPort": "http"}]}}
    autoscaler = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": f"{app}-hpa"},
                  "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                              "name": deployment["metadata"]["name"]},
                           "minReplicas": spec["min_replicas"], "maxReplicas": spec["max_replicas"],
                           "metrics": [{"type": "Resource", "resource": {
                               "name": "cpu", "target": {"type": "Utilization",
                                                         "averageUtilization": spec["target_cpu_utilization"]}}}]}}
    return [service, autoscaler, deployment]


def desired_replicas(current_replicas, current_utilization, target_utilization, min_replicas, max_replicas,
                     tolerance=0.1):
    ratio = current_utilization / target_utilization
    wanted = current_replicas if abs(1.0 - ratio) <= tolerance else int(np.ceil(current_replicas * ratio))
    return int(sorted((min_replicas, wanted, max_replicas))[1])
