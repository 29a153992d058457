/// Where an input has read up to once a frame is in every output's buffer: a file's offset, the
/// journal's cursor, the kernel log's sequence number in one boot — or nothing, for inputs whose
/// senders cannot be asked again (syslog, HTTP).
///
/// A frame carries one (docs/formats/log-buffer.md); the positions file holds the newest per
/// input (per file for file inputs).
enum InputCheckpoint: Sendable, Hashable {
    /// A tailed file's identity and offset.
    case file(FileCheckpoint)
    /// The `__CURSOR` of the newest journal entry buffered.
    case journal(input: String, cursor: String)
    /// The newest kernel log record buffered, by `/dev/kmsg` sequence number within one boot.
    case kmsg(input: String, bootID: String, sequence: UInt64)
    /// Lines pushed to Vigil: nothing to resume from.
    case none(input: String)

    /// The frame encoding's kind byte.
    enum Kind: UInt8 {
        case file = 0
        case none = 1
        case journal = 2
        case kmsg = 3
    }

    /// The input the checkpoint belongs to.
    var input: String {
        switch self {
        case .file(let checkpoint): checkpoint.input
        case .journal(let input, _), .kmsg(let input, _, _), .none(let input): input
        }
    }

    /// Checkpoints with one key replace each other: one per file, one per other input.
    var key: String {
        switch self {
        case .file(let checkpoint):
            "\(checkpoint.input)\u{0}\(checkpoint.identity.device)\u{0}\(checkpoint.identity.inode)"
        case .journal, .kmsg, .none: input
        }
    }

    /// The file checkpoint, for file inputs.
    var file: FileCheckpoint? {
        if case .file(let checkpoint) = self { checkpoint } else { nil }
    }

    /// Appends the kind byte and the kind's fields.
    func encode(into writer: inout ByteWriter) {
        switch self {
        case .file(let checkpoint):
            writer.bytes.append(Kind.file.rawValue)
            writer.string(checkpoint.input)
            writer.uvarint(checkpoint.identity.device)
            writer.uvarint(checkpoint.identity.inode)
            writer.uvarint(checkpoint.identity.fingerprint)
            writer.uvarint(UInt64(checkpoint.identity.fingerprintLength))
            writer.uvarint(UInt64(checkpoint.offset))
            writer.string(checkpoint.path)
            writer.string(checkpoint.labelPath)
        case .none(let input):
            writer.bytes.append(Kind.none.rawValue)
            writer.string(input)
        case .journal(let input, let cursor):
            writer.bytes.append(Kind.journal.rawValue)
            writer.string(input)
            writer.string(cursor)
        case .kmsg(let input, let bootID, let sequence):
            writer.bytes.append(Kind.kmsg.rawValue)
            writer.string(input)
            writer.string(bootID)
            writer.uvarint(sequence)
        }
    }

    /// Reads what ``encode(into:)`` wrote; nil when malformed.
    static func decode(from reader: inout ByteReader) -> InputCheckpoint? {
        guard let kindByte = reader.byte(), let kind = Kind(rawValue: kindByte), let input = reader.string() else { return nil }
        switch kind {
        case .file:
            guard let device = reader.uvarint(), let inode = reader.uvarint(), let fingerprint = reader.uvarint(),
                  let fingerprintLength = reader.uvarint(), let offset = reader.uvarint(), let path = reader.string(),
                  let labelPath = reader.string(), offset <= UInt64(Int64.max),
                  fingerprintLength <= UInt64(FileIdentity.fingerprintBytes)
            else { return nil }
            let identity = FileIdentity(
                device: device, inode: inode, fingerprint: fingerprint, fingerprintLength: Int(fingerprintLength))
            return .file(FileCheckpoint(input: input, identity: identity, offset: Int64(offset), path: path, labelPath: labelPath))
        case .none:
            return .none(input: input)
        case .journal:
            guard let cursor = reader.string() else { return nil }
            return .journal(input: input, cursor: cursor)
        case .kmsg:
            guard let bootID = reader.string(), let sequence = reader.uvarint() else { return nil }
            return .kmsg(input: input, bootID: bootID, sequence: sequence)
        }
    }
}
