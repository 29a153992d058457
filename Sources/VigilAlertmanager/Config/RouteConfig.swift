public import VigilConfig
public import VigilModel

/// One node of the `route:` tree as written in alertmanager.yml.
///
/// Settings left out are inherited from the parent when the tree is built into ``Route``s;
/// this type keeps what the file says.
public struct RouteConfig: Sendable, Decodable {
    /// The receiver's name; nil inherits the parent's.
    public var receiver: String?
    /// `group_by` labels; nil inherits the parent's (an empty list or `['...']` alone also inherit the list).
    public var groupBy: [String]?
    /// True when `group_by` is `['...']`: group by every label.
    public var groupByAll: Bool
    /// The matchers from `match`, `match_re` and `matchers`, in Alertmanager's order.
    public var matchers: [LabelMatcher]
    /// `continue`: keep matching siblings after this node matched.
    public var continueMatching: Bool
    /// `group_wait`; nil inherits.
    public var groupWait: PromDuration?
    /// `group_interval`; nil inherits.
    public var groupInterval: PromDuration?
    /// `repeat_interval`; nil inherits.
    public var repeatInterval: PromDuration?
    /// Names of time intervals during which this route's notifications are muted (not inherited).
    public var muteTimeIntervals: [String]
    /// Names of time intervals outside which this route's notifications are muted (not inherited).
    public var activeTimeIntervals: [String]
    /// The child routes, in file order.
    public var routes: [RouteConfig]

    /// A route with nothing set (what a file without `route:` would have).
    static let empty = RouteConfig()

    private init() {
        receiver = nil
        groupBy = nil
        groupByAll = false
        matchers = []
        continueMatching = false
        groupWait = nil
        groupInterval = nil
        repeatInterval = nil
        muteTimeIntervals = []
        activeTimeIntervals = []
        routes = []
    }

    private enum CodingKeys: String, CodingKey {
        case receiver, groupBy = "group_by", match, matchRE = "match_re", matchers
        case continueMatching = "continue", routes
        case groupWait = "group_wait", groupInterval = "group_interval", repeatInterval = "repeat_interval"
        case muteTimeIntervals = "mute_time_intervals", activeTimeIntervals = "active_time_intervals"
    }

    /// Reads a route node with Alertmanager's checks and messages.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let receiverName = try container.value(.receiver, default: "")
        receiver = receiverName.isEmpty ? nil : receiverName
        let legacyEqual = try container.map(.match, of: String.self)
        let legacyRegex = try container.map(.matchRE, of: String.self)
        let lines = try container.list(.matchers, of: String.self)
        continueMatching = try container.value(.continueMatching, default: false)
        groupWait = try container.optional(.groupWait)
        groupInterval = try container.optional(.groupInterval)
        repeatInterval = try container.optional(.repeatInterval)
        muteTimeIntervals = try container.list(.muteTimeIntervals)
        activeTimeIntervals = try container.list(.activeTimeIntervals)
        routes = try container.list(.routes)
        let groupByNames = try container.optional(.groupBy, as: [String].self) ?? []

        matchers = try (ConfigMatchers.equality(legacyEqual, field: "match")
            + ConfigMatchers.regex(legacyRegex, field: "match_re")
            + ConfigMatchers.parse(lines, field: "matchers")).sorted(by: LabelMatcher.alertmanagerLess)
        var labels: [String] = []
        var all = false
        for (index, name) in groupByNames.enumerated() {
            if name == "..." {
                all = true
                continue
            }
            guard LabelName.isValid(name) else {
                throw ConfigValidationError(
                    "invalid label name \(GoQuote.quote(name)) in group_by list", field: "group_by", .index(index))
            }
            labels.append(name)
        }
        groupByAll = all
        groupBy = labels.isEmpty ? nil : labels
        if all, !labels.isEmpty {
            throw ConfigValidationError(
                "cannot have wildcard group_by (`...`) and other other labels at the same time", field: "group_by")
        }
        var seen: Set<String> = []
        for name in labels where !seen.insert(name).inserted {
            throw ConfigValidationError("duplicated label \(GoQuote.quote(name)) in group_by", field: "group_by")
        }
        if groupInterval == .zero { throw ConfigValidationError("group_interval cannot be zero", field: "group_interval") }
        if repeatInterval == .zero { throw ConfigValidationError("repeat_interval cannot be zero", field: "repeat_interval") }
    }
}
