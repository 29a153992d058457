/// A small cluster as the Kubernetes API returns it (`kubectl get -o json` shapes, with the
/// fields a real server fills in: uids, `managedFields`, statuses), for the fake API server.
///
/// Namespace `shop`: a Deployment's pod `web-7d4b9c-x2x8k` on node `node-a` annotated for
/// Prometheus (`prometheus.io/scrape`, `/port`, `/path`), a pod `db-0` that is not, a pending
/// pod without an IP; Service `web` with its Endpoints and EndpointSlice; an Ingress with TLS.
public enum KubernetesFixtures {
    /// Node `node-a` (InternalIP 10.0.0.11, kubelet on 10250).
    public static let nodeA = #"""
    {
      "kind": "Node", "apiVersion": "v1",
      "metadata": {
        "name": "node-a", "uid": "5b4f8a1e-0d7c-4f2b-9a51-0c1e2d3f4a5b",
        "labels": {"kubernetes.io/hostname": "node-a", "kubernetes.io/os": "linux", "topology.kubernetes.io/zone": "eu-1a"},
        "annotations": {"node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"},
        "managedFields": [{"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T09:00:00Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}]
      },
      "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"], "providerID": "aws:///eu-1a/i-0abc"},
      "status": {
        "capacity": {"cpu": "4", "memory": "16318480Ki", "pods": "110"},
        "conditions": [{"type": "Ready", "status": "True", "lastHeartbeatTime": "2026-11-01T09:59:00Z", "lastTransitionTime": "2026-11-01T09:00:00Z", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
        "addresses": [{"type": "InternalIP", "address": "10.0.0.11"}, {"type": "Hostname", "address": "node-a"}],
        "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
        "nodeInfo": {"kubeletVersion": "v1.29.3", "containerRuntimeVersion": "containerd://1.7.13", "osImage": "Debian GNU/Linux 12 (bookworm)", "architecture": "amd64"}
      }
    }
    """#

    /// Pod `shop/web-7d4b9c-x2x8k`: ready, two containers (one with two ports), an init container,
    /// annotated `prometheus.io/scrape: "true"`, `port: "8080"`, `path: /metrics/app`.
    public static let webPod = #"""
    {
      "kind": "Pod", "apiVersion": "v1",
      "metadata": {
        "name": "web-7d4b9c-x2x8k", "generateName": "web-7d4b9c-", "namespace": "shop", "uid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "labels": {"app.kubernetes.io/name": "web", "pod-template-hash": "7d4b9c"},
        "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": "8080", "prometheus.io/path": "/metrics/app"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c", "uid": "9a8b7c6d-5e4f-3a2b-1c0d-e9f8a7b6c5d4", "controller": true, "blockOwnerDeletion": true}]
      },
      "spec": {
        "nodeName": "node-a", "restartPolicy": "Always", "serviceAccountName": "default",
        "initContainers": [{"name": "migrate", "image": "registry.example/web-migrate:1.4", "resources": {}}],
        "containers": [
          {"name": "app", "image": "registry.example/web:1.4", "ports": [{"name": "http", "containerPort": 8080, "protocol": "TCP"}, {"name": "admin", "containerPort": 9090, "protocol": "TCP"}], "resources": {}},
          {"name": "sidecar", "image": "registry.example/proxy:2.0", "resources": {}}
        ]
      },
      "status": {
        "phase": "Running", "hostIP": "10.0.0.11", "podIP": "10.244.1.7", "podIPs": [{"ip": "10.244.1.7"}], "qosClass": "BestEffort",
        "startTime": "2026-11-01T09:30:00Z",
        "conditions": [{"type": "Initialized", "status": "True"}, {"type": "Ready", "status": "True"}, {"type": "ContainersReady", "status": "True"}, {"type": "PodScheduled", "status": "True"}],
        "initContainerStatuses": [{"name": "migrate", "ready": true, "restartCount": 0, "image": "registry.example/web-migrate:1.4", "imageID": "", "containerID": "containerd://aaa111", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}],
        "containerStatuses": [
          {"name": "app", "ready": true, "restartCount": 0, "image": "registry.example/web:1.4", "imageID": "", "containerID": "containerd://bbb222", "started": true, "state": {"running": {"startedAt": "2026-11-01T09:31:00Z"}}},
          {"name": "sidecar", "ready": true, "restartCount": 0, "image": "registry.example/proxy:2.0", "imageID": "", "containerID": "containerd://ccc333", "started": true, "state": {"running": {"startedAt": "2026-11-01T09:31:00Z"}}}
        ]
      }
    }
    """#

    /// Pod `shop/db-0`: a StatefulSet's pod, not annotated, not ready.
    public static let dbPod = #"""
    {
      "kind": "Pod", "apiVersion": "v1",
      "metadata": {
        "name": "db-0", "namespace": "shop", "uid": "11111111-2222-3333-4444-555555555555",
        "labels": {"app.kubernetes.io/name": "db", "statefulset.kubernetes.io/pod-name": "db-0"},
        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "db", "uid": "66666666-7777-8888-9999-000000000000", "controller": true, "blockOwnerDeletion": true}]
      },
      "spec": {"nodeName": "node-a", "containers": [{"name": "postgres", "image": "postgres:16", "ports": [{"name": "pg", "containerPort": 5432, "protocol": "TCP"}]}]},
      "status": {
        "phase": "Running", "hostIP": "10.0.0.11", "podIP": "10.244.1.9",
        "conditions": [{"type": "Ready", "status": "False"}],
        "containerStatuses": [{"name": "postgres", "ready": false, "restartCount": 3, "image": "postgres:16", "imageID": "", "containerID": "containerd://ddd444"}]
      }
    }
    """#

    /// Pod `shop/pending-1`: scheduled nowhere yet, no IP (Prometheus gives it an empty group).
    public static let pendingPod = #"""
    {
      "kind": "Pod", "apiVersion": "v1",
      "metadata": {"name": "pending-1", "namespace": "shop", "uid": "22222222-3333-4444-5555-666666666666", "annotations": {"prometheus.io/scrape": "true"}},
      "spec": {"containers": [{"name": "app", "image": "busybox", "ports": [{"containerPort": 80, "protocol": "TCP"}]}]},
      "status": {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False", "reason": "Unschedulable"}]}
    }
    """#

    /// Service `shop/web` (ClusterIP 10.96.0.20, port `http` 80 → 8080).
    public static let webService = #"""
    {
      "kind": "Service", "apiVersion": "v1",
      "metadata": {"name": "web", "namespace": "shop", "uid": "33333333-4444-5555-6666-777777777777", "labels": {"app.kubernetes.io/name": "web"}, "annotations": {"prometheus.io/probe": "true"}},
      "spec": {
        "type": "ClusterIP", "clusterIP": "10.96.0.20", "clusterIPs": ["10.96.0.20"], "sessionAffinity": "None",
        "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster",
        "selector": {"app.kubernetes.io/name": "web"},
        "ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080}]
      },
      "status": {"loadBalancer": {}}
    }
    """#

    /// Endpoints `shop/web`: the web pod ready on 8080.
    public static let webEndpoints = #"""
    {
      "kind": "Endpoints", "apiVersion": "v1",
      "metadata": {"name": "web", "namespace": "shop", "uid": "44444444-5555-6666-7777-888888888888", "labels": {"app.kubernetes.io/name": "web"}, "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2026-11-01T09:31:05Z"}},
      "subsets": [{
        "addresses": [{"ip": "10.244.1.7", "nodeName": "node-a", "targetRef": {"kind": "Pod", "namespace": "shop", "name": "web-7d4b9c-x2x8k", "uid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}}],
        "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}]
      }]
    }
    """#

    /// EndpointSlice `shop/web-abcde` of service `web`.
    public static let webEndpointSlice = #"""
    {
      "kind": "EndpointSlice", "apiVersion": "discovery.k8s.io/v1",
      "metadata": {
        "name": "web-abcde", "generateName": "web-", "namespace": "shop", "uid": "55555555-6666-7777-8888-999999999999",
        "labels": {"endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io", "kubernetes.io/service-name": "web"},
        "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "web", "uid": "33333333-4444-5555-6666-777777777777", "controller": true, "blockOwnerDeletion": true}]
      },
      "addressType": "IPv4",
      "endpoints": [{
        "addresses": ["10.244.1.7"], "conditions": {"ready": true, "serving": true, "terminating": false},
        "targetRef": {"kind": "Pod", "namespace": "shop", "name": "web-7d4b9c-x2x8k", "uid": "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"},
        "nodeName": "node-a", "zone": "eu-1a"
      }],
      "ports": [{"name": "http", "protocol": "TCP", "port": 8080}]
    }
    """#

    /// Ingress `shop/web`: `shop.example.com` over TLS with two paths, `plain.example.com` without.
    public static let webIngress = #"""
    {
      "kind": "Ingress", "apiVersion": "networking.k8s.io/v1",
      "metadata": {"name": "web", "namespace": "shop", "uid": "66666666-7777-8888-9999-aaaaaaaaaaaa", "labels": {"app.kubernetes.io/name": "web"}},
      "spec": {
        "ingressClassName": "nginx",
        "tls": [{"hosts": ["*.example.com"], "secretName": "wildcard"}],
        "rules": [
          {"host": "shop.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
            {"path": "/api", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}
          ]}},
          {"host": "plain.example.org"}
        ]
      },
      "status": {"loadBalancer": {"ingress": [{"ip": "203.0.113.5"}]}}
    }
    """#

    /// Every object above, in creation order.
    public static let cluster = [nodeA, webPod, dbPod, pendingPod, webService, webEndpoints, webEndpointSlice, webIngress]

    /// A pod in namespace `shop` called `name` with one annotated port, for churn tests.
    public static func pod(_ name: String, ip: String, namespace: String = "shop", labels: [String: String] = [:]) -> String {
        let labelJSON = labels.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ")
        return #"""
        {"kind": "Pod", "apiVersion": "v1",
         "metadata": {"name": "\#(name)", "namespace": "\#(namespace)", "labels": {\#(labelJSON)}, "annotations": {"prometheus.io/scrape": "true"}},
         "spec": {"nodeName": "node-a", "containers": [{"name": "app", "image": "app:1", "ports": [{"name": "metrics", "containerPort": 9100, "protocol": "TCP"}]}]},
         "status": {"phase": "Running", "hostIP": "10.0.0.11", "podIP": "\#(ip)", "conditions": [{"type": "Ready", "status": "True"}]}}
        """#
    }
}
