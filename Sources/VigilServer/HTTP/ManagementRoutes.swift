import Hummingbird

/// `/-/healthy`, `/-/ready` and `/-/reload`: the lifecycle endpoints load balancers, Kubernetes probes
/// and config-reloader sidecars call, answering as Prometheus does. Without a config manager (an
/// agent that only collects) there is nothing to reload and `/-/reload` is not served.
struct ManagementRoutes {
    let readiness: Readiness
    let configManager: ConfigManager?

    func register(on router: Router<BasicRequestContext>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/-/healthy", method: method) { _, _ in
                PlainText.response(.ok, "Vigil is Healthy.\n")
            }
            router.on("/-/ready", method: method) { _, _ in
                readiness.isReady
                    ? PlainText.response(.ok, "Vigil is Ready.\n")
                    : PlainText.response(.serviceUnavailable, "Service Unavailable\n")
            }
        }
        guard let configManager else { return }
        for method in [HTTPRequest.Method.post, .put] {
            router.on("/-/reload", method: method) { _, _ in
                do {
                    try await configManager.reload()
                    return PlainText.response(.ok, "")
                } catch {
                    return PlainText.response(.internalServerError, "failed to reload config: \(error)\n")
                }
            }
        }
        router.on("/-/reload", method: .get) { _, _ in
            PlainText.response(.methodNotAllowed, "Only POST or PUT requests allowed\n")
        }
    }
}
