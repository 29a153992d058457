public import VigilConfig
public import VigilDiscovery
public import VigilModel

/// One endpoint to scrape, after relabeling: Prometheus's `scrape.Target`.
///
/// ``labels`` keeps the internal `__address__`, `__scheme__`, `__metrics_path__`,
/// `__scrape_interval__`, `__scrape_timeout__` and `__param_*` labels that decide how it is
/// scraped; ``publicLabels`` are the ones attached to its samples. Two targets are the same
/// target when their ``labels`` are equal: a reload that keeps them keeps the running loop.
public struct ScrapeTarget: Sendable, Hashable {
    /// All labels after relabeling, internal ones included (not `__meta_*`).
    public let labels: Labels
    /// The labels before relabeling, as discovered.
    public let discoveredLabels: Labels
    /// The URL to scrape: scheme, address, metrics path and query parameters.
    public let url: String
    /// Time between scrapes.
    public let interval: PromDuration
    /// How long one scrape may take.
    public let timeout: PromDuration

    /// The labels without internal (`__`-prefixed) ones: what samples and `up` carry.
    public var publicLabels: Labels {
        Labels(labels.lazy.filter { !$0.name.hasPrefix("__") })
    }

    /// A stable 64-bit hash of the target, which spreads scrapes over the interval.
    public var hash: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in labels.description.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        for byte in url.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// What became of one discovered target.
public enum TargetPopulation: Sendable, Hashable {
    /// It will be scraped.
    case active(ScrapeTarget)
    /// Relabeling dropped it; these are its discovered labels.
    case dropped(Labels)
    /// Its labels are unusable (no address, a bad interval…); the message says why.
    case invalid(String)
}

extension ScrapeTarget {
    /// Builds the targets of `group` under `config`, as Prometheus's `TargetsFromGroup` does.
    public static func targets(from group: TargetGroup, config: ScrapeConfig, relabeler: Relabeler) -> [TargetPopulation] {
        group.targets.map { target in
            var builder = LabelsBuilder(group.labels)
            for label in target { builder.set(label.name, label.value) }
            return populate(builder.build(), config: config, relabeler: relabeler)
        }
    }

    /// Adds the scrape config's defaults, relabels, and checks the result (`PopulateLabels`).
    public static func populate(_ discovered: Labels, config: ScrapeConfig, relabeler: Relabeler) -> TargetPopulation {
        var builder = LabelsBuilder(discovered)
        let defaults: [(String, String)] = [
            ("job", config.jobName),
            ("__scrape_interval__", config.scrapeInterval.description),
            ("__scrape_timeout__", config.scrapeTimeout.description),
            ("__metrics_path__", config.metricsPath),
            ("__scheme__", config.scheme),
        ]
        for (name, value) in defaults where (discovered[name] ?? "").isEmpty {
            builder.set(name, value)
        }
        // Prometheus 2.x sets these unconditionally: a discovered `__param_x` loses to the
        // config's `params` (only relabeling can change it; 3.0 changed this).
        for (name, values) in config.params.sorted(by: { $0.key < $1.key }) {
            if let first = values.first { builder.set("__param_" + name, first) }
        }
        let preRelabel = builder.build()
        guard let relabeled = relabeler.process(preRelabel) else { return .dropped(preRelabel) }

        guard var address = relabeled["__address__"], !address.isEmpty else { return .invalid("no address") }
        let scheme = relabeled["__scheme__"] ?? ""
        var result = LabelsBuilder(relabeled)
        if needsPort(address) {
            switch scheme {
            case "http", "": address += ":80"
            case "https": address += ":443"
            default: return .invalid("invalid scheme: \"\(config.scheme)\"")
            }
            result.set("__address__", address)
        }
        if address.contains("/") { return .invalid("\"\(address)\" is not a valid hostname") }
        let intervalText = relabeled["__scrape_interval__"] ?? ""
        let timeoutText = relabeled["__scrape_timeout__"] ?? ""
        let interval: PromDuration
        let timeout: PromDuration
        do {
            interval = try PromDuration(parsing: intervalText)
        } catch {
            return .invalid("error parsing scrape interval: \(error)")
        }
        if interval.milliseconds == 0 { return .invalid("scrape interval cannot be 0") }
        do {
            timeout = try PromDuration(parsing: timeoutText)
        } catch {
            return .invalid("error parsing scrape timeout: \(error)")
        }
        if timeout.milliseconds == 0 { return .invalid("scrape timeout cannot be 0") }
        if timeout > interval {
            return .invalid("scrape timeout cannot be greater than scrape interval (\"\(timeoutText)\" > \"\(intervalText)\")")
        }
        for label in relabeled where label.name.hasPrefix("__meta_") {
            result.remove(label.name)
        }
        if (relabeled["instance"] ?? "").isEmpty { result.set("instance", address) }
        let labels = result.build()
        return .active(
            ScrapeTarget(
                labels: labels, discoveredLabels: preRelabel,
                url: url(labels: labels, params: config.params), interval: interval, timeout: timeout))
    }

    /// Go's `url.URL{Scheme, Host, Path, RawQuery: params.Encode()}.String()`, with `__param_*`
    /// labels overriding the first value of each parameter.
    static func url(labels: Labels, params: [String: [String]]) -> String {
        var merged = params
        for label in labels where label.name.hasPrefix("__param_") {
            let name = String(label.name.dropFirst("__param_".count))
            if var values = merged[name], !values.isEmpty {
                values[0] = label.value
                merged[name] = values
            } else {
                merged[name] = [label.value]
            }
        }
        var path = labels["__metrics_path__"] ?? ""
        if !path.isEmpty && !path.hasPrefix("/") { path = "/" + path }
        var text = (labels["__scheme__"] ?? "http") + "://" + (labels["__address__"] ?? "") + path
        let query = merged.keys.sorted().flatMap { key in
            merged[key]!.map { queryEscape(key) + "=" + queryEscape($0) }
        }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                result += "+"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                result += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return result
    }

    /// Whether `address` lacks a port (Go's `addPort`: `net.SplitHostPort` fails for a missing port).
    static func needsPort(_ address: String) -> Bool {
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return false }
            return address[address.index(after: close)...].isEmpty
        }
        let colons = address.filter { $0 == ":" }.count
        return colons == 0
    }
}
