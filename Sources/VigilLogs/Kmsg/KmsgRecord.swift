/// One kernel log record as `/dev/kmsg` gives it: `<pri>,<seq>,<usec>,<flags>[,…];<message>`,
/// followed by dictionary lines (` KEY=value`) that this input does not ship
/// (Documentation/ABI/testing/dev-kmsg).
struct KmsgRecord: Sendable, Equatable {
    var priority: SyslogPriority
    /// Increases by one per record in a boot; a gap means records were overwritten before being read.
    var sequence: UInt64
    /// Microseconds since boot.
    var microseconds: UInt64
    /// `-` for a record continued by the next (older kernels), `c` continuation, `+` … as given.
    var flags: String
    /// The message, with the kernel's `\xNN` escapes of non-printable bytes left as they are.
    var message: [UInt8]

    /// Parses a record line (without its newline); throws naming the byte where it stops making sense.
    static func parse(_ line: ArraySlice<UInt8>) throws(SyslogParseError) -> KmsgRecord {
        guard let semicolon = line.firstIndex(of: UInt8(ascii: ";")) else {
            throw SyslogParseError(message: "no ';' ends the record's prefix", offset: line.count)
        }
        let fields = line[line.startIndex..<semicolon].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count >= 4 else {
            throw SyslogParseError(message: "a record's prefix needs pri,seq,usec,flags", offset: semicolon - line.startIndex)
        }
        func number(_ index: Int, _ name: String) throws(SyslogParseError) -> UInt64 {
            let field = fields[index]
            guard !field.isEmpty, field.count <= 20, field.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let value = UInt64(String(decoding: field, as: UTF8.self))
            else { throw SyslogParseError(message: "\(name) is not a number", offset: field.startIndex - line.startIndex) }
            return value
        }
        let rawPriority = try number(0, "pri")
        // The prefix carries the facility too (pri = facility*8 + level); kernel messages are 0-7.
        let priority = SyslogPriority(facility: Int(min(rawPriority >> 3, 255)), severity: Int(rawPriority & 7))
        return KmsgRecord(
            priority: priority, sequence: try number(1, "seq"), microseconds: try number(2, "usec"),
            flags: String(decoding: fields[3], as: UTF8.self), message: Array(line[(semicolon + 1)...]))
    }
}
