/// Why a remote write or remote read body was rejected; every case is the sender's fault (HTTP 400).
///
/// A struct over a private code so cases can be added without breaking callers. ``description``
/// names the series index and the label, so the message can go back to the sender verbatim.
public struct RemoteWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case snappy(SnappyError)
        case protobuf(String)
        case missingMetricName(labels: String)
        case invalidMetricName(labels: String, value: String)
        case invalidLabelName(labels: String, name: String)
        case invalidLabelValue(labels: String, name: String)
        case duplicateLabel(labels: String, name: String)
        case unsortedLabels(labels: String, name: String)
    }

    let code: Code

    /// The index of the offending series in the request's `timeseries`, when one is to blame.
    public let seriesIndex: Int?

    /// The offending label's name, when one label is to blame.
    public var labelName: String? {
        switch code {
        case .invalidMetricName: "__name__"
        case .invalidLabelName(_, let name), .invalidLabelValue(_, let name),
            .duplicateLabel(_, let name), .unsortedLabels(_, let name):
            name
        case .snappy, .protobuf, .missingMetricName: nil
        }
    }

    /// The input byte offset of a malformed body (compressed bytes for snappy, decoded for protobuf).
    public let byteOffset: Int?

    /// Whether the body was rejected for its labels (Prometheus counts these in
    /// `prometheus_api_remote_write_invalid_labels_samples_total`) rather than for malformed bytes.
    public var isInvalidLabels: Bool {
        switch code {
        case .snappy, .protobuf: false
        default: true
        }
    }

    /// Whether the body declared an uncompressed size above the decoder's limit.
    public var isDecodedLengthOverLimit: Bool {
        if case .snappy(let error) = code { return error.isLengthOverLimit }
        return false
    }

    init(_ code: Code, seriesIndex: Int? = nil, byteOffset: Int? = nil) {
        self.code = code
        self.seriesIndex = seriesIndex
        self.byteOffset = byteOffset
    }

    init(snappy error: SnappyError) {
        self.init(.snappy(error), byteOffset: error.byteOffset)
    }

    init(protobuf error: ProtobufError, seriesIndex: Int? = nil) {
        self.init(.protobuf(error.message), seriesIndex: seriesIndex, byteOffset: error.offset)
    }

    /// The message to log and to send back with the 400, in Prometheus's words where it has them.
    public var description: String {
        let series = seriesIndex.map { "timeseries[\($0)]: " } ?? ""
        switch code {
        case .snappy(let error):
            return error.description
        case .protobuf(let message):
            return "\(series)proto: \(message) at byte \(byteOffset ?? 0)"
        case .missingMetricName(let labels):
            return "\(series)invalid metric name or labels, got \(labels): no __name__ label"
        case .invalidMetricName(let labels, let value):
            return "\(series)invalid metric name or labels, got \(labels): metric name \(quoted(value)) is not valid"
        case .invalidLabelName(let labels, let name):
            return "\(series)invalid metric name or labels, got \(labels): label name \(quoted(name)) is not valid"
        case .invalidLabelValue(let labels, let name):
            return "\(series)invalid metric name or labels, got \(labels): value of label \(quoted(name)) is not valid UTF-8"
        case .duplicateLabel(let labels, let name):
            return "\(series)invalid labels for series, labels \(labels), duplicated label \(name)"
        case .unsortedLabels(let labels, let name):
            return "\(series)labels are not sorted by name, got \(labels): label \(quoted(name)) is out of order"
        }
    }

    private func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
