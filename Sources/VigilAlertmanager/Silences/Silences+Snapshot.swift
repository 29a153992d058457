import VigilModel

extension Silences {
    struct Record: Codable {
        struct MatcherRecord: Codable {
            var name: String
            var value: String
            var type: String
        }

        var id: String
        var matchers: [MatcherRecord]
        var startsAt: Int64
        var endsAt: Int64
        var updatedAt: Int64
        var createdBy: String
        var comment: String
    }

    /// Writes every silence to the snapshot file (no-op without one).
    public func saveSnapshot() throws(SnapshotError) {
        guard let path = snapshotLocation else { return }
        let records = all().map { silence in
            Record(
                id: silence.id,
                matchers: silence.matchers.map { .init(name: $0.name, value: $0.value, type: $0.type.description) },
                startsAt: silence.startsAt, endsAt: silence.endsAt, updatedAt: silence.updatedAt,
                createdBy: silence.createdBy, comment: silence.comment)
        }
        try SnapshotFile(path: path).replace(with: try SnapshotCoding.encode(records, kind: "silences"))
    }

    /// Replaces the silences with those in the snapshot file; absent file: nothing to load.
    /// Expired silences past their retention at `now` are dropped.
    public func loadSnapshot(now: Int64) throws(SnapshotError) {
        guard let path = snapshotLocation, let bytes = try SnapshotFile(path: path).contents() else { return }
        let records: [Record] = try SnapshotCoding.decode(bytes, kind: "silences", path: path)
        var silences: [Silence] = []
        for record in records {
            var matchers: [LabelMatcher] = []
            for matcher in record.matchers {
                guard let type = Self.matchType(matcher.type),
                    let built = try? LabelMatcher(type, matcher.name, matcher.value)
                else {
                    throw SnapshotError(path: path, message: "\(path): silence \(record.id) has an invalid matcher \(matcher.name)\(matcher.type)\(GoQuote.quote(matcher.value))")
                }
                matchers.append(built)
            }
            silences.append(Silence(
                id: record.id, matchers: matchers, startsAt: record.startsAt, endsAt: record.endsAt,
                updatedAt: record.updatedAt, createdBy: record.createdBy, comment: record.comment))
        }
        restore(silences)
        collectGarbage(now: now)
    }

    static func matchType(_ text: String) -> LabelMatcher.MatchType? {
        switch text {
        case "=": .equal
        case "!=": .notEqual
        case "=~": .regexMatch
        case "!~": .regexNoMatch
        default: nil
        }
    }
}
