import VigilConfig
import VigilModel

/// Reads nginx access log lines: `combined`
/// (`$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`)
/// and ingress-nginx's `upstreaminfo`, which appends `$request_length $request_time
/// [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr
/// $upstream_response_length $upstream_response_time $upstream_status $req_id`.
///
/// `$request` is also split into `method`, `path` and `protocol`. A `-` value stays `-`, as nginx wrote it.
struct NginxFieldParser: LineFieldParser {
    let format: LogProcessorConfig.Parser.NginxFormat

    static let combinedNames = [
        "remote_addr", "-", "remote_user", "time_local", "request", "status", "body_bytes_sent", "http_referer",
        "http_user_agent",
    ]
    static let ingressNames = combinedNames + [
        "request_length", "request_time", "proxy_upstream_name", "proxy_alternative_upstream_name", "upstream_addr",
        "upstream_response_length", "upstream_response_time", "upstream_status", "req_id",
    ]

    func fields(of line: [UInt8]) throws(LineParseError) -> [LogField] {
        let names = format == .combined ? Self.combinedNames : Self.ingressNames
        let tokens = try Self.tokens(line)
        guard tokens.count == names.count else {
            throw LineParseError(
                kind: "NginxParserErr", message: "expected \(names.count) fields of the \(format.rawValue) format, found \(tokens.count)")
        }
        guard tokens[1] == "-" else { throw LineParseError(kind: "NginxParserErr", message: "expected \"-\" after the address") }
        guard tokens[5].utf8.count == 3, tokens[5].utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw LineParseError(kind: "NginxParserErr", message: "status \"\(tokens[5])\" is not a 3-digit code")
        }
        var fields: [LogField] = []
        for (name, value) in zip(names, tokens) where name != "-" {
            fields.append(LogField(name, value))
            if name == "request" {
                let parts = value.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3 {
                    fields.append(LogField("method", String(parts[0])))
                    fields.append(LogField("path", String(parts[1])))
                    fields.append(LogField("protocol", String(parts[2])))
                }
            }
        }
        return fields
    }

    /// Space-separated tokens, where `"…"` (with `\"` escapes) and `[…]` are one token each.
    static func tokens(_ line: [UInt8]) throws(LineParseError) -> [String] {
        var tokens: [String] = []
        var index = 0
        while index < line.count {
            if line[index] == 0x20 {
                index += 1
                continue
            }
            let opener = line[index]
            if opener == UInt8(ascii: "\"") {
                var value: [UInt8] = []
                index += 1
                var closed = false
                while index < line.count {
                    let byte = line[index]
                    index += 1
                    if byte == UInt8(ascii: "\\"), index < line.count {
                        value.append(line[index])
                        index += 1
                    } else if byte == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        value.append(byte)
                    }
                }
                guard closed else { throw LineParseError(kind: "NginxParserErr", message: "unterminated quoted field at byte \(index)") }
                tokens.append(String(decoding: value, as: UTF8.self))
            } else if opener == UInt8(ascii: "[") {
                guard let close = line[index...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw LineParseError(kind: "NginxParserErr", message: "unterminated [ at byte \(index)")
                }
                tokens.append(String(decoding: line[(index + 1)..<close], as: UTF8.self))
                index = close + 1
            } else {
                let start = index
                while index < line.count, line[index] != 0x20 { index += 1 }
                // ingress-nginx lists retried upstreams as "a, b": a word ending in "," continues.
                while index > start, line[index - 1] == UInt8(ascii: ","), index + 1 < line.count,
                      line[index + 1] != 0x20, line[index + 1] != UInt8(ascii: "\""), line[index + 1] != UInt8(ascii: "[")
                {
                    index += 1
                    while index < line.count, line[index] != 0x20 { index += 1 }
                }
                tokens.append(String(decoding: line[start..<index], as: UTF8.self))
            }
        }
        return tokens
    }
}
