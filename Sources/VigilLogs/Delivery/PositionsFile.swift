import VigilModel

/// The tail checkpoints on disk: `DATA/positions/positions`, replaced atomically.
///
/// ```
/// vigil-log-positions 1
/// sequence <n>
/// <input> <device> <inode> <fingerprint> <fingerprint length> <offset> <path> <filename label>
/// journal <input> <cursor>
/// kmsg <input> <boot id> <sequence>
/// ```
/// Paths and names are percent-encoded. `sequence` is the newest buffer frame whose checkpoint
/// the file includes; frames numbered after it carry newer checkpoints (see ``LogPipeline``).
struct PositionsFile {
    var sequence: UInt64 = 0
    var checkpoints: [FileCheckpoint] = []
    /// Journal cursors and kernel log sequence numbers (never `.file` or `.none`).
    var inputCheckpoints: [InputCheckpoint] = []

    static let header = "vigil-log-positions 1"

    func encoded() -> [UInt8] {
        var text = Self.header + "\nsequence \(sequence)\n"
        for checkpoint in checkpoints {
            let identity = checkpoint.identity
            text += [
                PercentEncoding.encode(checkpoint.input), String(identity.device), String(identity.inode),
                String(identity.fingerprint), String(identity.fingerprintLength), String(checkpoint.offset),
                PercentEncoding.encode(checkpoint.path), PercentEncoding.encode(checkpoint.labelPath),
            ].joined(separator: " ")
            text += "\n"
        }
        for checkpoint in inputCheckpoints {
            switch checkpoint {
            case .journal(let input, let cursor):
                text += "journal \(PercentEncoding.encode(input)) \(PercentEncoding.encode(cursor))\n"
            case .kmsg(let input, let bootID, let sequence):
                text += "kmsg \(PercentEncoding.encode(input)) \(PercentEncoding.encode(bootID)) \(sequence)\n"
            case .file, .none:
                break
            }
        }
        return Array(text.utf8)
    }

    /// Parses the file's bytes; throws naming the line that is malformed.
    static func decode(_ bytes: [UInt8], path: String) throws(LogsError) -> PositionsFile {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first.map(String.init) == header else { throw LogsError("\(path): not a positions file") }
        var file = PositionsFile()
        for (number, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: " ")
            func text(_ index: Int) -> String? {
                PercentEncoding.decode(fields[index], plusAsSpace: false).map { String(decoding: $0, as: UTF8.self) }
            }
            if fields.count == 2 && fields[0] == "sequence", let sequence = UInt64(fields[1]) {
                file.sequence = sequence
                continue
            }
            if fields.count == 3 && fields[0] == "journal", let input = text(1), let cursor = text(2) {
                file.inputCheckpoints.append(.journal(input: input, cursor: cursor))
                continue
            }
            if fields.count == 4 && fields[0] == "kmsg", let input = text(1), let bootID = text(2),
               let sequence = UInt64(fields[3])
            {
                file.inputCheckpoints.append(.kmsg(input: input, bootID: bootID, sequence: sequence))
                continue
            }
            guard fields.count == 8, let input = text(0), let device = UInt64(fields[1]), let inode = UInt64(fields[2]),
                  let fingerprint = UInt64(fields[3]), let length = Int(fields[4]), let offset = Int64(fields[5]),
                  offset >= 0, let filePath = text(6), let labelPath = text(7)
            else { throw LogsError("\(path):\(number + 2): malformed checkpoint") }
            file.checkpoints.append(
                FileCheckpoint(
                    input: input,
                    identity: FileIdentity(device: device, inode: inode, fingerprint: fingerprint, fingerprintLength: length),
                    offset: offset, path: filePath, labelPath: labelPath))
        }
        return file
    }
}
