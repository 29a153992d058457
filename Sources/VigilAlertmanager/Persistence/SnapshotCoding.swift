import Foundation

/// JSON encoding of the state snapshots (docs/formats/alertmanager-state.md): a versioned
/// envelope holding records; a file of another version or that does not decode is refused with
/// an error naming the file.
enum SnapshotCoding {
    struct Envelope<Record: Codable>: Codable {
        var version: Int
        var kind: String
        var records: [Record]
    }

    static let version = 1

    static func encode<Record: Codable>(_ records: [Record], kind: String) throws(SnapshotError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return Array(try encoder.encode(Envelope(version: version, kind: kind, records: records)))
        } catch {
            throw SnapshotError(path: "", message: "cannot encode the \(kind) snapshot: \(error)")
        }
    }

    static func decode<Record: Codable>(_ bytes: [UInt8], kind: String, path: String) throws(SnapshotError) -> [Record] {
        let envelope: Envelope<Record>
        do {
            envelope = try JSONDecoder().decode(Envelope<Record>.self, from: Data(bytes))
        } catch {
            throw SnapshotError(path: path, message: "\(path): not a valid \(kind) snapshot: \(describe(error))")
        }
        guard envelope.kind == kind else {
            throw SnapshotError(path: path, message: "\(path): holds a \(envelope.kind) snapshot, not a \(kind) snapshot")
        }
        guard envelope.version == version else {
            throw SnapshotError(path: path, message: "\(path): unsupported \(kind) snapshot version \(envelope.version)")
        }
        return envelope.records
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.dataCorrupted(let context): context.debugDescription
        case DecodingError.keyNotFound(let key, _): "missing field \(key.stringValue)"
        case DecodingError.typeMismatch(_, let context): context.debugDescription
        case DecodingError.valueNotFound(_, let context): context.debugDescription
        default: "\(error)"
        }
    }
}
