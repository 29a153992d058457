import VigilConfig

/// One entry of `time_intervals:` (or the older `mute_time_intervals:`): a name for a list of
/// ``TimeIntervalSpec``s. An instant is inside the named interval when any entry contains it.
public struct TimeIntervalConfig: Sendable, Decodable {
    /// The name routes refer to.
    public var name: String
    /// The intervals; an instant inside any of them is inside the named interval.
    public var intervals: [TimeIntervalSpec]

    private enum CodingKeys: String, CodingKey {
        case name, intervals = "time_intervals"
    }

    /// Reads `{name, time_intervals}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.value(.name, default: "")
        intervals = try container.list(.intervals)
        if name.isEmpty { throw ConfigValidationError("missing name in mute time interval") }
    }

    /// Whether the instant (nanoseconds since the epoch) lies in any of the intervals.
    public func contains(nanoseconds: Int64) -> Bool {
        intervals.contains { $0.contains(nanoseconds: nanoseconds) }
    }
}
