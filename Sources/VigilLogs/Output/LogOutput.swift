import VigilModel

/// Where an output sends lines: the part of an output that differs by destination. The sender
/// loop (``OutputSender``: batching, retries with backoff, dropping and counting, marking frames
/// sent only after acceptance) is shared by every implementation.
///
/// A delivery is `encode` → `send` → `interpret`: encoding happens once per attempt over the
/// entries still pending (a partial failure re-encodes only the failed ones); `send` throws for
/// transport failures, which are always retried; `interpret` turns the receiver's answer into an
/// ``DeliveryOutcome``.
protocol LogOutput: Sendable {
    /// What one attempt sends (an HTTP body, a framed message, datagrams).
    associatedtype Request: Sendable
    /// What the receiver answered.
    associatedtype Response: Sendable

    /// The request carrying `entries` (never empty) and its size in bytes, for metrics.
    func encode(_ entries: [OutputEntry]) -> (request: Request, bytes: Int)
    /// Sends `request`; throws when the receiver could not be reached or did not answer in time.
    func send(_ request: Request) async throws -> Response
    /// What became of the `count` entries `response` answers for.
    func interpret(_ response: Response, count: Int) -> DeliveryOutcome
    /// Releases connections and files; called once when the sender stops.
    func close() async
}

/// What a receiver did with a batch.
enum DeliveryOutcome: Sendable, Equatable {
    /// Every entry was accepted.
    case accepted
    /// Nothing was accepted and sending again may work (429, 5xx).
    case retry(String)
    /// Nothing was accepted and sending again will not help (a 4xx): the batch is dropped.
    case rejected(String)
    /// Each entry's fate, in order (`_bulk`'s per-item statuses).
    case items([ItemOutcome])

    /// One entry's fate in an ``items(_:)`` answer.
    enum ItemOutcome: Sendable, Equatable {
        case accepted
        case retry(String)
        case rejected(String)
    }
}

/// One line as outputs see it: the record's time and bytes, every label it carries (sorted by
/// name) and its structured metadata.
struct OutputEntry: Sendable {
    /// Nanoseconds since the Unix epoch.
    var timestamp: Int64
    var line: [UInt8]
    var labels: [(name: String, value: String)]
    /// Fields kept beside the line rather than as labels (Loki's structured metadata).
    var metadata: [LogField] = []
    /// Entries made by one ``entries(_:extraLabels:)`` call with the same number have the same
    /// labels, so outputs group them into streams without comparing labels; -1 when unknown.
    var labelSet = -1

    /// What decides a record's labels besides its frame's.
    private struct RecordKey: Hashable {
        var labels: [LogField]
        var stream: LogRecord.Stream
    }

    /// The entries of `frames`, in order, each with ``labels(of:in:extra:)``.
    static func entries(_ frames: [BufferFrame], extraLabels: [String: String]) -> [OutputEntry] {
        var entries: [OutputEntry] = []
        entries.reserveCapacity(frames.reduce(0) { $0 + $1.records.count })
        var labelSets: [[(name: String, value: String)]] = []
        var setNumbers: [[String]: Int] = [:]
        for frame in frames {
            // Records of a frame differ only by their own labels and stream: those are looked up
            // per record, the full label set once per distinct pair.
            var byRecord: [RecordKey: Int] = [:]
            for record in frame.records {
                let key = RecordKey(labels: record.labels, stream: record.stream)
                let number: Int
                if let known = byRecord[key] {
                    number = known
                } else {
                    let labels = Self.labels(of: record, in: frame, extra: extraLabels)
                    let flat = labels.flatMap { [$0.name, $0.value] }
                    if let known = setNumbers[flat] {
                        number = known
                    } else {
                        number = labelSets.count
                        labelSets.append(labels)
                        setNumbers[flat] = number
                    }
                    byRecord[key] = number
                }
                entries.append(
                    OutputEntry(
                        timestamp: record.timestamp, line: record.line, labels: labelSets[number], metadata: record.metadata,
                        labelSet: number))
            }
        }
        return entries
    }

    /// The labels a record is shipped with, sorted by name: the output's, then the frame's and the
    /// record's own (``BufferFrame/labels(of:)``) — later ones win. Every output gets a record's
    /// labels here, so a new label source is added in this one place.
    static func labels(of record: LogRecord, in frame: BufferFrame, extra: [String: String]) -> [(name: String, value: String)] {
        var labels = extra
        for (name, value) in frame.labels(of: record) { labels[name] = value }
        return labels.sorted { ByteOrder.less($0.key, $1.key) }.map { (name: $0.key, value: $0.value) }
    }
}
