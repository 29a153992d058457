import VigilModel

/// Reads Kubernetes API server audit log lines (one `audit.k8s.io` `Event` per line) into the
/// fields people query: `verb`, `user`, `resource`, `subresource`, `namespace`, `name`,
/// `api_group`, `code`, `stage`, `level`, `audit_id`, `request_uri`, `source_ip`, `user_agent`,
/// and `stage_timestamp` (use it as the timestamp field).
struct AuditEventParser: LineFieldParser {
    static let picks: [(from: String, to: String)] = [
        ("verb", "verb"), ("user_username", "user"), ("objectRef_resource", "resource"),
        ("objectRef_subresource", "subresource"), ("objectRef_namespace", "namespace"), ("objectRef_name", "name"),
        ("objectRef_apiGroup", "api_group"), ("responseStatus_code", "code"), ("stage", "stage"), ("level", "level"),
        ("auditID", "audit_id"), ("requestURI", "request_uri"), ("userAgent", "user_agent"),
        ("stageTimestamp", "stage_timestamp"), ("requestReceivedTimestamp", "request_received_timestamp"),
    ]

    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField] {
        let all: [LogField]
        do {
            all = try JSONFieldParser().fields(of: line)
        } catch {
            throw LineParseError(kind: "AuditParserErr", message: error.message)
        }
        var byName: [String: String] = [:]
        for field in all { byName[field.name] = field.value }
        guard byName["kind"] == "Event", byName["apiVersion"]?.hasPrefix("audit.k8s.io/") == true else {
            throw LineParseError(kind: "AuditParserErr", message: "not an audit.k8s.io Event")
        }
        var fields: [LogField] = []
        for pick in Self.picks {
            if let value = byName[pick.from] { fields.append(LogField(pick.to, value)) }
        }
        if let ips = byName["sourceIPs"], let first = Self.firstString(ofArray: ips) {
            fields.append(LogField("source_ip", first))
        }
        return fields
    }

    /// The first string of a JSON array written as text.
    static func firstString(ofArray text: String) -> String? {
        var reader = JSONReader(Array(text.utf8))
        var first: String?
        try? reader.readArray { (reader: inout JSONReader) throws(JSONReader.Error) in
            if first == nil, reader.peek() == UInt8(ascii: "\"") {
                first = try reader.readString()
            } else {
                try reader.skipValue()
            }
        }
        return first
    }
}
