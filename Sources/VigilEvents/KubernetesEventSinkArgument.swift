public import AsyncHTTPClient
import Foundation

/// A sink with the filter that only it applies (kube-eventer's per-sink `level`, `namespaces`,
/// `kinds` and `reason`).
public struct KubernetesEventRoute: Sendable {
    /// Where notifications go.
    public var sink: any KubernetesEventSink
    /// What this sink wants, on top of the watcher's filter; nil takes everything.
    public var filter: KubernetesEventFilter?
    /// Whether every replica delivers here (a replica's own event store), not only the leader.
    public var everyReplica: Bool

    /// A route to `sink` through `filter`.
    public init(sink: any KubernetesEventSink, filter: KubernetesEventFilter? = nil, everyReplica: Bool = false) {
        self.sink = sink
        self.filter = filter
        self.everyReplica = everyReplica
    }
}

/// kube-eventer's `--sink=NAME:URL` syntax, for migration: the URL's query carries the sink's
/// own parameters and the filter (`level`, default `Warning` as in kube-eventer; `namespaces`,
/// `kinds`, `reason`, comma-separated). Supported names: `stdout`, `webhook`, `dingtalk`,
/// `wechat`/`wecom` (group robot), `slack`, `elasticsearch`, `influxdb`.
public enum KubernetesEventSinkArgument {
    /// The parameters read as the filter, removed from every sink's URL.
    static let filterParameters: Set<String> = ["level", "namespaces", "kinds", "reason"]

    /// Parses one `--sink=` value (with or without the `--sink=` prefix).
    ///
    /// - Throws: ``KubernetesEventsError/invalidSink(argument:offset:reason:)`` with the byte offset.
    public static func parse(_ argument: String, client: HTTPClient = .shared) throws(KubernetesEventsError) -> KubernetesEventRoute {
        let prefix = argument.hasPrefix("--sink=") ? "--sink=".utf8.count : 0
        let text = String(argument.dropFirst(prefix))
        let name: String
        let rest: String
        if let colon = text.firstIndex(of: ":") {
            name = String(text[..<colon])
            rest = String(text[text.index(after: colon)...])
        } else {
            name = text
            rest = ""
        }
        let urlOffset = prefix + name.utf8.count + 1
        func fail(_ reason: String, at offset: Int? = nil) -> KubernetesEventsError {
            .invalidSink(argument: argument, offset: offset ?? urlOffset, reason: reason)
        }
        // kube-eventer appends its parameters with `&` even when the URL has no `?` yet.
        var normalized = rest
        if !normalized.contains("?"), let ampersand = normalized.firstIndex(of: "&") {
            normalized.replaceSubrange(ampersand...ampersand, with: "?")
        }
        var parameters: [(String, String)] = []
        var base = normalized
        if !normalized.isEmpty {
            guard var components = URLComponents(string: normalized), components.scheme != nil, components.host != nil else {
                throw fail("not an absolute URL")
            }
            parameters = (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }
            components.queryItems = nil
            base = components.string ?? normalized
        }
        func value(_ key: String) -> String? { parameters.last { $0.0 == key }?.1 }
        func list(_ key: String) -> Set<String> {
            Set((value(key) ?? "").split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty })
        }
        let filter: KubernetesEventFilter
        do {
            filter = try KubernetesEventFilter(
                namespaces: list("namespaces"), kinds: list("kinds"), reasons: list("reason"),
                minimumType: value("level") ?? "Warning")
        } catch {
            throw fail("level: \(error)")
        }
        /// The URL with the sink's own parameters (not `consumed` or the filter) kept.
        func url(consuming consumed: Set<String>) -> String {
            let kept = parameters.filter { !consumed.contains($0.0) && !filterParameters.contains($0.0) }
            guard !kept.isEmpty else { return base }
            var components = URLComponents(string: base)
            components?.queryItems = kept.map { URLQueryItem(name: $0.0, value: $0.1) }
            return components?.string ?? base
        }
        func requireURL() throws(KubernetesEventsError) {
            if rest.isEmpty { throw fail("\(name) needs a URL after the colon") }
        }
        let sink: any KubernetesEventSink
        switch name {
        case "stdout":
            sink = StdoutEventSink()
        case "webhook":
            try requireURL()
            if value("custom_body_configmap") != nil {
                throw fail("custom_body_configmap is not read; give the body as a template in kubernetes_events.sinks")
            }
            let headers = parameters.filter { $0.0 == "header" }.compactMap { header -> (String, String)? in
                guard let equals = header.1.firstIndex(of: "=") else { return nil }
                return (String(header.1[..<equals]), String(header.1[header.1.index(after: equals)...]))
            }
            do {
                sink = try WebhookEventSink(
                    url: url(consuming: ["header", "method", "custom_body_configmap", "custom_body_configmap_namespace"]),
                    headers: headers, client: client)
            } catch {
                throw fail("\(error)")
            }
        case "dingtalk":
            try requireURL()
            sink = DingTalkEventSink(
                url: url(consuming: ["label", "sign", "msg_type", "cluster_id", "region"]), secret: value("sign"),
                label: value("label") ?? "", markdown: value("msg_type") == "markdown", client: client)
        case "wechat", "wecom":
            try requireURL()
            sink = WeComEventSink(url: url(consuming: ["label"]), label: value("label") ?? "", client: client)
        case "slack":
            try requireURL()
            sink = SlackEventSink(
                url: url(consuming: ["channel", "label"]), channel: value("channel"), label: value("label") ?? "", client: client)
        case "elasticsearch":
            try requireURL()
            var headers: [(String, String)] = []
            if let user = value("esUserName") {
                let token = Data("\(user):\(value("esUserSecret") ?? "")".utf8).base64EncodedString()
                headers.append(("Authorization", "Basic " + token))
            }
            sink = ElasticsearchEventSink(
                url: base, index: value("index") ?? "kube-events-%Y.%m.%d", headers: headers, client: client)
        case "influxdb":
            try requireURL()
            var components = URLComponents(string: base)
            if components?.path.isEmpty ?? true { components?.path = "/write" }
            components?.queryItems = [URLQueryItem(name: "db", value: value("db") ?? "k8s")]
                + (value("user").map { [URLQueryItem(name: "u", value: $0), URLQueryItem(name: "p", value: value("pw") ?? "")] } ?? [])
            sink = InfluxDBEventSink(url: components?.string ?? base, client: client)
        default:
            throw fail("unknown sink \(name)", at: prefix)
        }
        return KubernetesEventRoute(sink: sink, filter: filter)
    }
}
