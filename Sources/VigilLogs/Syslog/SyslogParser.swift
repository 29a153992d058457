#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// Parses RFC 5424 and RFC 3164 syslog messages from bytes.
///
/// RFC 5424 is strict: a header that starts `<PRI>1 ` must be well formed, or the message is
/// refused naming the byte. RFC 3164 is what senders make of it, so it is lenient the way rsyslog
/// is: no PRI means `user.notice` (RFC 3164 §4.3.3); a missing timestamp leaves the rest as the
/// message; a token ending in `:` right after the timestamp is the tag (local senders such as
/// glibc's `syslog(3)` write no hostname).
struct SyslogParser: Sendable {
    /// Now, in nanoseconds since the epoch: RFC 3164 timestamps have no year.
    var now: Int64
    /// The offset of RFC 3164's local times from UTC in seconds; nil asks the system (`mktime`).
    var utcOffset: Int64?

    init(now: Int64, utcOffset: Int64? = nil) {
        self.now = now
        self.utcOffset = utcOffset
    }

    func parse(_ bytes: [UInt8]) throws(SyslogParseError) -> SyslogMessage {
        var cursor = Cursor(bytes: bytes)
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0a || bytes[end - 1] == 0x0d || bytes[end - 1] == 0 { end -= 1 }
        cursor.end = end
        guard end > 0 else { throw SyslogParseError(message: "empty message", offset: 0) }
        var priority = SyslogPriority(facility: 1, severity: 5)
        if cursor.peek == UInt8(ascii: "<") {
            cursor.index += 1
            var value = 0
            var digits = 0
            while let byte = cursor.peek, byte >= 48, byte <= 57, digits < 3 {
                value = value * 10 + Int(byte - 48)
                digits += 1
                cursor.index += 1
            }
            guard digits > 0, cursor.peek == UInt8(ascii: ">") else {
                throw SyslogParseError(message: "PRI must be <0-191>", offset: cursor.index)
            }
            guard let parsed = SyslogPriority(value) else {
                throw SyslogParseError(message: "PRI \(value) is above 191", offset: 1)
            }
            priority = parsed
            cursor.index += 1
            if cursor.hasPrefix("1 ") {
                cursor.index += 2
                return try parse5424(&cursor, priority: priority)
            }
        }
        return parse3164(&cursor, priority: priority)
    }

    // MARK: RFC 5424

    private func parse5424(_ cursor: inout Cursor, priority: SyslogPriority) throws(SyslogParseError) -> SyslogMessage {
        func field(_ name: String, maxLength: Int) throws(SyslogParseError) -> String? {
            let start = cursor.index
            guard let token = cursor.token(), !token.isEmpty else {
                throw SyslogParseError(message: "missing \(name)", offset: start)
            }
            guard token.count <= maxLength, token.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
                throw SyslogParseError(message: "\(name) must be at most \(maxLength) printable ASCII characters", offset: start)
            }
            guard cursor.skipSpace() || cursor.atEnd else { throw SyslogParseError(message: "expected a space after \(name)", offset: cursor.index) }
            return token == [UInt8(ascii: "-")] ? nil : String(decoding: token, as: UTF8.self)
        }
        let timestampStart = cursor.index
        let timestampText = try field("TIMESTAMP", maxLength: 64)
        var timestamp: Int64?
        if let timestampText {
            guard let parsed = Array(timestampText.utf8).withUnsafeBytes({ RFC3339Nano.parse($0) }) else {
                throw SyslogParseError(message: "TIMESTAMP \"\(timestampText)\" is not RFC 3339", offset: timestampStart)
            }
            timestamp = parsed
        }
        let hostname = try field("HOSTNAME", maxLength: 255)
        let appName = try field("APP-NAME", maxLength: 48)
        let procID = try field("PROCID", maxLength: 128)
        let msgID = try field("MSGID", maxLength: 32)
        let structuredData = try parseStructuredData(&cursor)
        if !cursor.atEnd {
            guard cursor.skipSpace() else {
                throw SyslogParseError(message: "expected a space before MSG", offset: cursor.index)
            }
        }
        var message = cursor.rest
        if message.starts(with: [0xef, 0xbb, 0xbf]) { message.removeFirst(3) }
        return SyslogMessage(
            format: .rfc5424, priority: priority, timestamp: timestamp, hostname: hostname, appName: appName, procID: procID,
            msgID: msgID, structuredData: structuredData, message: message)
    }

    /// `-`, or `[SD-ID (SP PARAM="VALUE")*]` repeated; values escape `"`, `\` and `]` with `\`.
    private func parseStructuredData(_ cursor: inout Cursor) throws(SyslogParseError) -> String? {
        let start = cursor.index
        if cursor.peek == UInt8(ascii: "-") {
            cursor.index += 1
            return nil
        }
        guard cursor.peek == UInt8(ascii: "[") else {
            throw SyslogParseError(message: "STRUCTURED-DATA must be - or start with [", offset: cursor.index)
        }
        func name() throws(SyslogParseError) {
            let nameStart = cursor.index
            while let byte = cursor.peek, byte >= 33, byte <= 126, byte != UInt8(ascii: "="), byte != UInt8(ascii: "]"),
                  byte != UInt8(ascii: "\"")
            {
                cursor.index += 1
            }
            let length = cursor.index - nameStart
            guard length > 0, length <= 32 else {
                throw SyslogParseError(message: "an SD name must be 1-32 printable characters", offset: nameStart)
            }
        }
        while cursor.peek == UInt8(ascii: "[") {
            cursor.index += 1
            try name()
            while cursor.peek == UInt8(ascii: " ") {
                cursor.index += 1
                try name()
                guard cursor.peek == UInt8(ascii: "="), cursor.peek(1) == UInt8(ascii: "\"") else {
                    throw SyslogParseError(message: "expected =\" after an SD parameter name", offset: cursor.index)
                }
                cursor.index += 2
                var closed = false
                while let byte = cursor.peek {
                    cursor.index += 1
                    if byte == UInt8(ascii: "\\") {
                        if cursor.peek != nil { cursor.index += 1 }
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    }
                }
                guard closed else { throw SyslogParseError(message: "unterminated SD parameter value", offset: cursor.index) }
            }
            guard cursor.peek == UInt8(ascii: "]") else {
                throw SyslogParseError(message: "expected ] to close an SD element", offset: cursor.index)
            }
            cursor.index += 1
        }
        return String(decoding: cursor.bytes[start..<cursor.index], as: UTF8.self)
    }

    // MARK: RFC 3164

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private func parse3164(_ cursor: inout Cursor, priority: SyslogPriority) -> SyslogMessage {
        var result = SyslogMessage(
            format: .rfc3164, priority: priority, timestamp: nil, hostname: nil, appName: nil, procID: nil, msgID: nil,
            structuredData: nil, message: [])
        let headerStart = cursor.index
        var timestamp = bsdTimestamp(&cursor)
        if timestamp == nil { timestamp = rfc3339Timestamp(&cursor) }
        if let timestamp {
            result.timestamp = timestamp
            _ = cursor.skipSpace()
            let save = cursor.index
            if let token = cursor.token(), !token.isEmpty {
                if token.last == UInt8(ascii: ":") || (token.last == UInt8(ascii: "]") && token.contains(UInt8(ascii: "["))) {
                    cursor.index = save
                } else {
                    result.hostname = String(decoding: token, as: UTF8.self)
                    _ = cursor.skipSpace()
                }
            }
        } else {
            cursor.index = headerStart
        }
        // TAG: up to 32 characters of [A-Za-z0-9._/-], then `[pid]`, then `:`.
        let tagStart = cursor.index
        var index = tagStart
        while index < cursor.end, index - tagStart <= 48, Self.isTagByte(cursor.bytes[index]) { index += 1 }
        if index > tagStart && index < cursor.end {
            let tag = String(decoding: cursor.bytes[tagStart..<index], as: UTF8.self)
            var after = index
            var pid: String?
            if cursor.bytes[after] == UInt8(ascii: "[") {
                var close = after + 1
                while close < cursor.end, close - after <= 130, cursor.bytes[close] != UInt8(ascii: "]") { close += 1 }
                if close < cursor.end, cursor.bytes[close] == UInt8(ascii: "]") {
                    pid = String(decoding: cursor.bytes[(after + 1)..<close], as: UTF8.self)
                    after = close + 1
                }
            }
            if after < cursor.end, cursor.bytes[after] == UInt8(ascii: ":") {
                result.appName = tag
                result.procID = pid
                after += 1
                if after < cursor.end, cursor.bytes[after] == UInt8(ascii: " ") { after += 1 }
                cursor.index = after
            }
        }
        result.message = cursor.rest
        return result
    }

    private static func isTagByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 46 || byte == 95
            || byte == 45 || byte == 47
    }

    /// `Mmm dd hh:mm:ss` (the day space-padded), in local time, in the year that puts it nearest now.
    private func bsdTimestamp(_ cursor: inout Cursor) -> Int64? {
        let start = cursor.index
        guard start + 15 <= cursor.end else { return nil }
        let bytes = cursor.bytes
        let monthText = String(decoding: bytes[start..<(start + 3)], as: UTF8.self)
        guard let monthIndex = Self.months.firstIndex(of: monthText), bytes[start + 3] == 32 else { return nil }
        func number(_ at: Int, _ count: Int, spacePadded: Bool = false) -> Int64? {
            var value: Int64 = 0
            for index in at..<(at + count) {
                let byte = bytes[index]
                if spacePadded && byte == 32 && index == at { continue }
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard let day = number(start + 4, 2, spacePadded: true), bytes[start + 6] == 32, let hour = number(start + 7, 2),
              bytes[start + 9] == 58, let minute = number(start + 10, 2), bytes[start + 12] == 58,
              let second = number(start + 13, 2), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        if start + 15 < cursor.end && bytes[start + 15] != 32 { return nil }
        cursor.index = start + 15
        let month = Int64(monthIndex + 1)
        let nowYear = RFC3339.civilDate(daysSinceEpoch: now / 1_000_000_000 / 86400).year
        var best: Int64?
        for year in [nowYear - 1, nowYear, nowYear + 1] where day <= RFC3339.daysInMonth(year: year, month: month) {
            guard let seconds = epochSeconds(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
            else { continue }
            let nanos = seconds * 1_000_000_000
            if best == nil || abs(nanos - now) < abs(best! - now) { best = nanos }
        }
        return best
    }

    /// An RFC 3339 timestamp where RFC 3164 has its own (rsyslog's `RSYSLOG_ForwardFormat`).
    private func rfc3339Timestamp(_ cursor: inout Cursor) -> Int64? {
        let start = cursor.index
        guard let byte = cursor.peek, byte >= 48, byte <= 57, let token = cursor.token(),
              let time = token.withUnsafeBytes({ RFC3339Nano.parse($0) })
        else {
            cursor.index = start
            return nil
        }
        return time
    }

    private func epochSeconds(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64) -> Int64? {
        if let utcOffset {
            return RFC3339.daysSinceEpoch(year: year, month: month, day: day) * 86400 + hour * 3600 + minute * 60 + second
                - utcOffset
        }
        var fields = tm()
        fields.tm_year = Int32(year - 1900)
        fields.tm_mon = Int32(month - 1)
        fields.tm_mday = Int32(day)
        fields.tm_hour = Int32(hour)
        fields.tm_min = Int32(minute)
        fields.tm_sec = Int32(second)
        fields.tm_isdst = -1
        let seconds = mktime(&fields)
        return seconds == -1 ? nil : Int64(seconds)
    }
}

/// A read position in a message's bytes.
private struct Cursor {
    let bytes: [UInt8]
    var index = 0
    var end: Int

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.end = bytes.count
    }

    var atEnd: Bool { index >= end }
    var peek: UInt8? { index < end ? bytes[index] : nil }
    func peek(_ ahead: Int) -> UInt8? { index + ahead < end ? bytes[index + ahead] : nil }

    func hasPrefix(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        return index + utf8.count <= end && bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    /// The bytes up to the next space (or the end), consumed.
    mutating func token() -> [UInt8]? {
        guard index < end else { return nil }
        let start = index
        while index < end, bytes[index] != 32 { index += 1 }
        return Array(bytes[start..<index])
    }

    mutating func skipSpace() -> Bool {
        guard peek == 32 else { return false }
        index += 1
        return true
    }

    var rest: [UInt8] { index < end ? Array(bytes[index..<end]) : [] }
}
