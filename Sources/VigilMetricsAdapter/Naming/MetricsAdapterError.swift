/// A failure while naming series or building a query; logged, and served as the adapter's
/// generic Status (the adapter does not leak query details to API clients).
struct MetricsAdapterError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
