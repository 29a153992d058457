import VigilModel

/// One aggregation group's flush: what the pipeline needs, taken from the group when it fell due.
struct FlushJob: Sendable {
    /// Identifies the group in the dispatcher.
    let groupID: String
    let groupKey: String
    let groupLabels: Labels
    let route: Route
    /// Snapshot of the group's alerts at ``now``, in notification order.
    let alerts: [Alert]
    /// When the flush fell due.
    let now: Int64
}
