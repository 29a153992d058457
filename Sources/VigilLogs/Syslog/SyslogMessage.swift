/// One syslog message, parsed (``SyslogParser``).
struct SyslogMessage: Sendable, Equatable {
    /// Which RFC the header followed.
    enum Format: Sendable, Equatable {
        /// BSD syslog: `<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG` (or no header at all).
        case rfc3164
        /// `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
        case rfc5424
    }

    var format: Format
    var priority: SyslogPriority
    /// Nanoseconds since the epoch, when the message had a timestamp.
    var timestamp: Int64?
    var hostname: String?
    /// RFC 5424 APP-NAME, or RFC 3164's TAG without the `[pid]`.
    var appName: String?
    var procID: String?
    var msgID: String?
    /// RFC 5424 STRUCTURED-DATA as sent (`[id k="v"]…`), validated; nil for `-`.
    var structuredData: String?
    /// The MSG part (a UTF-8 BOM removed).
    var message: [UInt8]
}

/// Why a syslog message was refused, and at which byte of it.
struct SyslogParseError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// Bytes from the start of the message.
    var offset: Int

    var description: String { "byte \(offset): \(message)" }
}
