public import VigilConfig
import VigilModel

/// An alertmanager.yml, decoded strictly and validated as Alertmanager 0.25+ validates it
/// (Alertmanager's `config.Config`; not VigilConfig's `AlertmanagerConfig`, which is prometheus.yml's
/// `alerting.alertmanagers` entry).
///
/// Load it with ``load(path:)`` or ``parse(yaml:fileName:)``; every error is a `ConfigError`
/// naming file:line:column and Alertmanager's own message (`undefined receiver "x" used in route`).
public struct AlertmanagerConfiguration: Sendable {
    /// `global:` (resolve_timeout and the receivers' defaults), already applied to ``receivers``.
    public var global: AlertmanagerGlobalConfig
    /// The root of the routing tree.
    public var route: RouteConfig
    /// `inhibit_rules:`.
    public var inhibitRules: [InhibitRuleConfig]
    /// `receivers:`, with the global defaults filled in.
    public var receivers: [ReceiverConfig]
    /// `templates:` globs, relative ones resolved against the file's directory by ``load(path:)``.
    public var templates: [String]
    /// `mute_time_intervals:` followed by `time_intervals:`.
    public var timeIntervals: [TimeIntervalConfig]
    /// The file's text, as `GET /api/v2/status` reports it.
    public var original: String

    /// Parses YAML text; `fileName` only names the source in errors.
    public static func parse(yaml: String, fileName: String = "alertmanager.yml") throws(ConfigError) -> AlertmanagerConfiguration {
        if isEmptyDocument(yaml) {
            // Go's YAML decoder never calls the config's own checks for an empty document.
            throw ConfigError(
                kind: .missingField, file: fileName, line: 0, column: 0, fieldPath: "", message: "no route provided in config")
        }
        let file = try ConfigDecoder.decode(AlertmanagerConfigFile.self, fromYAML: yaml, fileName: fileName) { (file: inout AlertmanagerConfigFile) throws(ConfigValidationError) in
            try file.validate()
        }
        return AlertmanagerConfiguration(
            global: file.global, route: file.route ?? RouteConfig.empty, inhibitRules: file.inhibitRules,
            receivers: file.receivers, templates: file.templates,
            timeIntervals: file.muteTimeIntervals + file.timeIntervals, original: yaml)
    }

    /// Reads and parses the file at `path`, resolving relative paths in it against its directory.
    public static func load(path: String) throws(ConfigError) -> AlertmanagerConfiguration {
        var config = try parse(yaml: try readConfigFile(path), fileName: path)
        let directory = directoryName(of: path)
        config.global.resolvePaths(in: directory)
        for index in config.receivers.indices { config.receivers[index].resolvePaths(in: directory) }
        config.templates = config.templates.map { joinDirectory(directory, $0) }
        return config
    }

    /// Whether the text holds nothing but blank lines, comments and document markers.
    private static func isEmptyDocument(_ yaml: String) -> Bool {
        yaml.split(whereSeparator: \.isNewline).allSatisfy { line in
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            return trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed == "---" || trimmed == "..."
        }
    }

    /// The named time intervals by name.
    public var timeIntervalsByName: [String: TimeIntervalConfig] {
        Dictionary(timeIntervals.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The file's shape, before the cross-section checks.
private struct AlertmanagerConfigFile: Decodable {
    var global: AlertmanagerGlobalConfig
    var route: RouteConfig?
    var inhibitRules: [InhibitRuleConfig]
    var receivers: [ReceiverConfig]
    var templates: [String]
    var muteTimeIntervals: [TimeIntervalConfig]
    var timeIntervals: [TimeIntervalConfig]

    private enum CodingKeys: String, CodingKey {
        case global, route, receivers, templates
        case inhibitRules = "inhibit_rules"
        case muteTimeIntervals = "mute_time_intervals"
        case timeIntervals = "time_intervals"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        global = try container.value(.global, default: AlertmanagerGlobalConfig())
        route = try container.optional(.route)
        inhibitRules = try container.list(.inhibitRules)
        receivers = try container.list(.receivers)
        templates = try container.list(.templates)
        muteTimeIntervals = try container.list(.muteTimeIntervals)
        timeIntervals = try container.list(.timeIntervals)
    }

    /// `config.Config.UnmarshalYAML`'s checks, in its order.
    mutating func validate() throws(ConfigValidationError) {
        try ReceiverConfig.inheritGlobal(global, receivers: &receivers)
        guard let route else { throw ConfigValidationError("no routes provided") }
        guard route.receiver != nil else {
            throw ConfigValidationError("root route must specify a default receiver", field: "route")
        }
        if !route.matchers.isEmpty { throw ConfigValidationError("root route must not have any matchers", field: "route") }
        if !route.muteTimeIntervals.isEmpty {
            throw ConfigValidationError("root route must not have any mute time intervals", field: "route")
        }
        if !route.activeTimeIntervals.isEmpty {
            throw ConfigValidationError("root route must not have any active time intervals", field: "route")
        }
        let receiverNames = Set(receivers.map(\.name))
        try Self.check(route, path: ["route"]) { (node, path) throws(ConfigValidationError) in
            if let receiver = node.receiver, !receiverNames.contains(receiver) {
                throw ConfigValidationError(
                    "undefined receiver \(GoQuote.quote(receiver)) used in route", fieldPath: path + ["receiver"])
            }
        }
        var intervalNames: Set<String> = []
        for (index, interval) in muteTimeIntervals.enumerated() where !intervalNames.insert(interval.name).inserted {
            throw ConfigValidationError(
                "mute time interval \(GoQuote.quote(interval.name)) is not unique", field: "mute_time_intervals", .index(index))
        }
        for (index, interval) in timeIntervals.enumerated() where !intervalNames.insert(interval.name).inserted {
            throw ConfigValidationError(
                "time interval \(GoQuote.quote(interval.name)) is not unique", field: "time_intervals", .index(index))
        }
        try Self.check(route, path: ["route"]) { (node, path) throws(ConfigValidationError) in
            for (key, names) in [("mute_time_intervals", node.muteTimeIntervals), ("active_time_intervals", node.activeTimeIntervals)] {
                for (index, name) in names.enumerated() where !intervalNames.contains(name) {
                    throw ConfigValidationError(
                        "undefined time interval \(GoQuote.quote(name)) used in route", fieldPath: path + [.key(key), .index(index)])
                }
            }
        }
    }

    /// Runs `visit` on every node, depth-first, with its field path.
    private static func check(
        _ node: RouteConfig, path: [ConfigPathComponent],
        _ visit: (RouteConfig, [ConfigPathComponent]) throws(ConfigValidationError) -> Void
    ) throws(ConfigValidationError) {
        try visit(node, path)
        for (index, child) in node.routes.enumerated() {
            try check(child, path: path + ["routes", .index(index)], visit)
        }
    }
}


