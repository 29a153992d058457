import VigilModel

/// Encodes frames as a Loki push request in JSON:
/// `{"streams":[{"stream":{labels},"values":[["<ns>","line"],…]}]}`.
///
/// A stream is the frame's labels, the output's labels, and `stream` for container logs. Streams
/// keep the order their first line had; lines keep their order within a stream.
enum LokiPushEncoder {
    static func json(_ frames: [BufferFrame], extraLabels: [String: String]) -> [UInt8] {
        var order: [[(String, String)]] = []
        var index: [String: Int] = [:]
        var values: [String] = []
        for frame in frames {
            for record in frame.records {
                var labels: [String: String] = extraLabels
                for label in frame.labels { labels[label.name] = label.value }
                if record.stream != .none { labels["stream"] = record.stream.name }
                let sorted = labels.sorted { ByteOrder.less($0.key, $1.key) }
                var key = ""
                for (name, value) in sorted {
                    key += name
                    key += "\u{0}"
                    key += value
                    key += "\u{1}"
                }
                let slot: Int
                if let known = index[key] {
                    slot = known
                } else {
                    slot = order.count
                    index[key] = slot
                    order.append(sorted)
                    values.append("")
                }
                if !values[slot].isEmpty { values[slot] += "," }
                values[slot] += "[\"\(record.timestamp)\","
                JSONQuoting.append(String(decoding: record.line, as: UTF8.self), to: &values[slot])
                values[slot] += "]"
            }
        }
        var out = "{\"streams\":["
        for (slot, labels) in order.enumerated() {
            if slot > 0 { out += "," }
            out += "{\"stream\":{"
            for (position, (name, value)) in labels.enumerated() {
                if position > 0 { out += "," }
                JSONQuoting.append(name, to: &out)
                out += ":"
                JSONQuoting.append(value, to: &out)
            }
            out += "},\"values\":["
            out += values[slot]
            out += "]}"
        }
        out += "]}"
        return Array(out.utf8)
    }
}
