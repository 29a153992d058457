/// A syslog PRI value (`facility * 8 + severity`) and the names rsyslog gives its parts, which
/// become the `facility` and `severity` (or, for the kernel log, `level`) labels.
struct SyslogPriority: Sendable, Hashable {
    /// 0 (kern) to 23 (local7).
    var facility: Int
    /// 0 (emerg) to 7 (debug).
    var severity: Int

    /// The priority of a PRI value 0…191; nil outside.
    init?(_ value: Int) {
        guard (0...191).contains(value) else { return nil }
        facility = value >> 3
        severity = value & 7
    }

    init(facility: Int, severity: Int) {
        self.facility = facility
        self.severity = severity
    }

    /// rsyslog's `%syslogfacility-text%` names.
    static let facilityNames = [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp",
        "audit", "alert", "clock", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ]
    /// rsyslog's `%syslogseverity-text%` names.
    static let severityNames = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]

    var facilityName: String {
        facility < Self.facilityNames.count ? Self.facilityNames[facility] : String(facility)
    }

    var severityName: String { Self.severityNames[severity & 7] }
}
