import VigilModel

extension AlertStore {
    struct Record: Codable {
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: Int64
        var endsAt: Int64?
        var generatorURL: String
        var updatedAt: Int64
        var timeout: Bool
    }

    /// Writes every alert to `path`.
    func saveSnapshot(to path: String) throws(SnapshotError) {
        let records = all().map { alert in
            Record(
                labels: alert.labels.dictionary, annotations: alert.annotations.dictionary, startsAt: alert.startsAt,
                endsAt: alert.endsAt, generatorURL: alert.generatorURL, updatedAt: alert.updatedAt, timeout: alert.timeout)
        }
        try SnapshotFile(path: path).replace(with: try SnapshotCoding.encode(records, kind: "alerts"))
    }

    /// Loads the alerts saved at `path` (none when the file does not exist); returns them.
    func loadSnapshot(from path: String) throws(SnapshotError) -> [Alert] {
        guard let bytes = try SnapshotFile(path: path).contents() else { return [] }
        let records: [Record] = try SnapshotCoding.decode(bytes, kind: "alerts", path: path)
        let alerts = records.map { record in
            Alert(
                labels: Labels(dictionary: record.labels), annotations: Labels(dictionary: record.annotations),
                startsAt: record.startsAt, endsAt: record.endsAt, generatorURL: record.generatorURL,
                updatedAt: record.updatedAt, timeout: record.timeout)
        }
        replaceAll(with: alerts)
        return alerts
    }
}
