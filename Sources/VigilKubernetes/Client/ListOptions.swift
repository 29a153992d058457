/// The query of a list or watch: selectors, page size and where to start.
public struct ListOptions: Sendable, Hashable {
    /// A label selector (`app=web,tier!=db`); empty selects everything.
    public var labelSelector: String
    /// A field selector (`spec.nodeName=n1`); empty selects everything.
    public var fieldSelector: String
    /// The page size of a list (`limit`); 0 asks for everything at once.
    public var limit: Int

    /// Options selecting with `labelSelector` and `fieldSelector`, lists paged by `limit`.
    public init(labelSelector: String = "", fieldSelector: String = "", limit: Int = 500) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
    }

    var selectorQuery: [(String, String)] {
        var query: [(String, String)] = []
        if !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        return query
    }
}
