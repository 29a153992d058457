public import VigilLogQL
public import VigilModel

/// One stream of a push: its labels and its entries in the order they were sent.
public struct PushStream: Sendable, Hashable {
    /// The stream's labels (sorted, no empty values).
    public var labels: Labels
    /// Entries with nanosecond timestamps, line bytes and structured metadata.
    public var entries: [LogEntry]

    /// A stream of `entries` labelled `labels`.
    public init(labels: Labels, entries: [LogEntry]) {
        self.labels = labels
        self.entries = entries
    }
}

/// A decoded Loki push request (`logproto.PushRequest`, or its JSON form).
public struct PushRequest: Sendable, Hashable {
    /// Streams in request order; a label set may repeat.
    public var streams: [PushStream]

    /// A request of `streams`.
    public init(streams: [PushStream]) {
        self.streams = streams
    }

    /// Total line bytes, the unit Loki's rate limits count.
    public var lineBytes: Int {
        streams.reduce(0) { total, stream in stream.entries.reduce(total) { $0 + $1.line.count } }
    }

    /// Total entries.
    public var entryCount: Int { streams.reduce(0) { $0 + $1.entries.count } }
}
