

/// `vigil_build_info`: a gauge of 1 whose labels say which build is running, like `prometheus_build_info`.
public enum BuildInfoMetric {
    /// Registers `vigil_build_info` on `registry`.
    public static func register(on registry: MetricsRegistry) throws {
        let labels: Labels = [
            "branch": BuildInfo.branch,
            "platform": BuildInfo.platform,
            "swiftversion": BuildInfo.swiftVersion,
            "version": BuildInfo.version,
        ]
        try registry.gauge(
            name: "vigil_build_info",
            help: "A metric with a constant '1' value labeled by version, branch, swiftversion and platform from which vigil was built.",
            labels: labels
        ).set(1)
    }
}
