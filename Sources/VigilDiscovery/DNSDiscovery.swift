public import Logging
public import VigilConfig
public import VigilModel

/// `dns_sd_configs`: targets from SRV, A, AAAA, MX or NS records, asked again every
/// `refresh_interval`, with Prometheus's meta labels (`__meta_dns_name`,
/// `__meta_dns_srv_record_target`, `__meta_dns_srv_record_port`, `__meta_dns_mx_record_target`,
/// `__meta_dns_ns_record_target`). A name whose lookup fails keeps its last good targets.
public struct DNSDiscovery: DiscoveryProvider {
    /// The config this provider follows.
    public let config: DNSSDConfig
    let resolver: DNSResolver
    let logger: Logger
    let failures: Counter?

    /// A provider for `config` asking `resolver`; `failures` counts failed lookups.
    public init(_ config: DNSSDConfig, resolver: DNSResolver, logger: Logger, failures: Counter? = nil) {
        self.config = config
        self.resolver = resolver
        self.logger = logger
        self.failures = failures
    }

    /// Always `dns`.
    public var mechanism: String { "dns" }

    /// Looks the names up until cancelled.
    public func run(send: @escaping @Sendable ([TargetGroup]) async -> Void) async {
        var lastGood: [String: TargetGroup] = [:]
        var lastSent: [TargetGroup]? = nil
        while !Task.isCancelled {
            for name in config.names {
                do {
                    let records = try await resolver.lookup(name, type: recordType)
                    lastGood[name] = TargetGroup(targets: records.compactMap { target(for: $0, name: name) }, source: name)
                } catch {
                    if Task.isCancelled { return }
                    failures?.increment()
                    logger.error("Error refreshing DNS targets", metadata: ["name": "\(name)", "err": "\(error)"])
                }
            }
            let groups = config.names.compactMap { lastGood[$0] }
            if groups != lastSent {
                lastSent = groups
                await send(groups)
            }
            try? await Task.sleep(for: config.refreshInterval.duration)
        }
    }

    var recordType: DNSMessage.RecordType {
        switch config.type {
        case .srv: .srv
        case .a: .a
        case .aaaa: .aaaa
        case .mx: .mx
        case .ns: .ns
        }
    }

    func target(for record: DNSMessage.Record, name: String) -> Labels? {
        var builder = LabelsBuilder()
        builder.set("__meta_dns_name", name)
        switch record {
        case .srv(let host, let port, _, _):
            builder.set("__address__", Self.hostPort(host, port))
            // Prometheus sets these before trimming the root dot from the target.
            builder.set("__meta_dns_srv_record_target", host + ".")
            builder.set("__meta_dns_srv_record_port", String(port))
        case .mx(let host):
            builder.set("__address__", Self.hostPort(host, config.port))
            builder.set("__meta_dns_mx_record_target", host + ".")
        case .ns(let host):
            builder.set("__address__", Self.hostPort(host, config.port))
            builder.set("__meta_dns_ns_record_target", host + ".")
        case .a(let address), .aaaa(let address):
            builder.set("__address__", Self.hostPort(address, config.port))
        }
        return builder.build()
    }

    /// Go's `net.JoinHostPort`.
    static func hostPort(_ host: String, _ port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
