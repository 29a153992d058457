import Glibc
import Logging
import NIOCore
import VigilExposition
import VigilModel
import VigilTSDB

/// What a scrape loop remembers between scrapes: every series it has seen (by exposed text),
/// what it was stored as, and in which scrape it was last committed, for staleness.
struct LoopState {
    struct Entry {
        /// The stored labels; empty when metric relabeling drops the series.
        var labels: Labels
        /// Whether metric relabeling drops the series.
        var dropped: Bool
        var handle = SeriesHandle()
        /// The last committed scrape that held it.
        var committedIn: UInt32 = 0
        /// The last scrape (committed or not) that exposed it, for eviction.
        var seenIn: UInt32 = 0
        /// Whether the last sample carried its own timestamp (no staleness unless tracked).
        var explicitTimestamp = false
        /// The entry that followed this one in the last scrape (-1: none yet): the series the
        /// parser is told to expect next.
        var successor: Int32 = -1
    }

    let targetLabels: Labels
    /// Exposed series text → index in `entries`. Both grow and shrink together, so an entry's
    /// index is also its position in the cache (``SeriesCache/withKey(ofEntry:_:)``).
    var cache = SeriesCache<Int>()
    var entries: [Entry] = []
    /// The entry of the first series in the last scrape (-1: none), and the format it was read in:
    /// predictions are only followed within one format.
    var firstEntry = -1
    var predictionFormat: ExpositionFormat?
    var iteration: UInt32 = 0
    var lastCommitted: UInt32 = 0
    var scratch = ExpositionScratch()
    /// The last scrape's metadata entries (HELP, TYPE, UNIT) as length-prefixed bytes, and the
    /// metadata built from them. A scrape compares its entries with these bytes as it reads
    /// them: unchanged metadata (the usual case) costs a byte comparison instead of Strings and
    /// a dictionary entry per line.
    var metadataKey: [UInt8] = []
    var lastMetadata: [MetricMetadata] = []
    var reportHandles: [SeriesHandle] = Array(repeating: SeriesHandle(), count: ReportSeries.allCases.count)
    let reportLabels: [Labels]
    /// Entries are dropped from the cache once unseen for this many scrapes.
    static let evictAfter: UInt32 = 10

    init(target: ScrapeTarget) {
        targetLabels = target.publicLabels
        reportLabels = ReportSeries.allCases.map { series in
            var builder = LabelsBuilder(target.publicLabels)
            builder.set(Labels.metricName, series.rawValue)
            return builder.build()
        }
    }

    /// Parses `body` and appends its samples to `appender`, then stale markers for series gone
    /// since the last committed scrape; the caller adds the report series and commits once. On
    /// any error the appender is rolled back: nothing of this scrape's body is stored.
    mutating func ingest(
        body: ByteBuffer, contentType: String?, settings: ScrapeSettings, scrapeTime: Timestamp,
        appender: inout HeadAppender
    ) -> ScrapeOutcome {
        iteration &+= 1
        let format = ExpositionFormat(contentType: contentType)
        if format != predictionFormat {
            // Expected series are bytes a parser of the same format accepted.
            forgetOrder()
            predictionFormat = format
        }
        let outcome = body.withUnsafeReadableBytes { bytes -> ScrapeOutcome in
            let scratch = self.scratch
            switch format {
            case .text:
                var parser = TextParser(bytes: bytes, scratch: scratch)
                return append(&parser, settings: settings, scrapeTime: scrapeTime, appender: &appender) {
                    TextParser(bytes: bytes, scratch: scratch)
                }
            case .openMetrics:
                var parser = OpenMetricsParser(bytes: bytes, scratch: scratch)
                return append(&parser, settings: settings, scrapeTime: scrapeTime, appender: &appender) {
                    OpenMetricsParser(bytes: bytes, scratch: scratch)
                }
            }
        }
        if outcome.error != nil {
            appender.rollback()
            return outcome
        }
        let previous = lastCommitted
        var staleCount = 0
        for index in entries.indices where entries[index].committedIn == previous && previous != 0 {
            guard !entries[index].dropped, !entries[index].explicitTimestamp || settings.trackTimestampsStaleness else { continue }
            let labels = entries[index].labels
            try? appender.append(handle: &entries[index].handle, labels: labels, timestamp: scrapeTime, value: StaleNaN.value)
            staleCount += 1
        }
        lastCommitted = iteration
        if iteration % Self.evictAfter == 0 { evict() }
        return outcome
    }

    /// Parses the body with `parser` and appends its samples; `reparse` makes a fresh parser
    /// over the same body, for building metadata when it changed.
    private mutating func append<P: ExpositionParser>(
        _ parser: inout P, settings: ScrapeSettings, scrapeTime: Timestamp, appender: inout HeadAppender,
        reparse: () -> P
    ) -> ScrapeOutcome {
        var outcome = ScrapeOutcome()
        var metadataEntries = 0
        var metadataMatch = MetadataKeyMatch(key: metadataKey)
        var sampleLimitHit = false
        var previous = -1
        do {
            scan: while true {
                let predicted = previous < 0 ? firstEntry : Int(entries[previous].successor)
                let read: ExpositionEntry?
                if predicted >= 0 {
                    read = try cache.withKey(ofEntry: predicted) { key in
                        Result { () throws(ExpositionError) in try parser.next(expecting: key) }
                    }.get()
                } else {
                    read = try parser.next()
                }
                guard let entryKind = read else { break scan }
                switch entryKind {
                case .help, .type, .unit:
                    metadataEntries += 1
                    if metadataMatch.matching { Self.encodeMetadata(entryKind, of: parser, into: &metadataMatch) }
                    continue
                case .comment:
                    continue
                case .series:
                    break
                }
                outcome.scraped += 1
                let index: Int
                if parser.matchedExpected {
                    index = predicted
                } else if let cached = cache.value(forKey: parser.series) {
                    index = cached
                } else {
                    let exposed = parser.labels()
                    let labels = settings.sampleLabels(exposed, target: targetLabels, series: parser.series)
                    if let labels {
                        if labels.name == nil {
                            outcome.error = "missing metric name (__name__ label)"
                            break scan
                        }
                        if let limitError = settings.checkLimits(labels) {
                            outcome.error = limitError
                            break scan
                        }
                    }
                    index = entries.count
                    entries.append(Entry(labels: labels ?? Labels(), dropped: labels == nil))
                    cache.updateValue(index, forKey: parser.series)
                    assert(cache.count == entries.count)
                }
                if previous < 0 {
                    firstEntry = index
                } else if predicted != index {
                    entries[previous].successor = Int32(index)
                }
                previous = index
                let explicit = parser.timestamp
                let timestamp = settings.honorTimestamps ? (explicit ?? scrapeTime) : scrapeTime
                Self.store(
                    &entries[index], iteration: iteration, timestamp: timestamp, value: parser.value,
                    explicitTimestamp: settings.honorTimestamps && explicit != nil, sampleLimit: settings.sampleLimit,
                    sampleLimitHit: &sampleLimitHit, appender: &appender, outcome: &outcome)
                if outcome.error != nil { break scan }
            }
        } catch {
            outcome.error = "\(error)"
        }
        if outcome.error == nil && sampleLimitHit { outcome.error = "sample limit exceeded" }
        if outcome.error != nil {
            // Nothing of this scrape is committed: undo the marks it made.
            for index in entries.indices where entries[index].committedIn == iteration {
                entries[index].committedIn = 0
            }
        }
        // Prometheus records metadata while parsing, so even a failed scrape updates it (with
        // the entries before the failure).
        if !metadataMatch.matchedWhole {
            var fresh = reparse()
            var key = MetadataKeyBuilder()
            lastMetadata = Self.metadata(of: &fresh, entries: metadataEntries, key: &key)
            metadataKey = key.bytes
        }
        outcome.metadata = lastMetadata
        outcome.metadataComplete = outcome.error == nil || sampleLimitHit
        return outcome
    }

    /// Writes a HELP, TYPE or UNIT entry as metadata-key bytes: its kind, then its name and its
    /// text (or type), each prefixed by its length.
    private static func encodeMetadata<P: ExpositionParser, Sink: MetadataKeySink>(
        _ kind: ExpositionEntry, of parser: P, into sink: inout Sink
    ) {
        switch kind {
        case .help: sink.byte(1)
        case .type: sink.byte(2)
        default: sink.byte(3)
        }
        sink.field(parser.metricName)
        if kind == .type {
            sink.byte(UInt8(truncatingIfNeeded: MetricType.allCases.firstIndex(of: parser.metricType) ?? 0xff))
        } else {
            sink.field(parser.metadataText)
        }
    }

    /// The metadata of the first `entries` HELP, TYPE and UNIT entries `parser` reads, per metric
    /// name in order of first appearance; their key bytes go to `key`.
    private static func metadata<P: ExpositionParser>(
        of parser: inout P, entries: Int, key: inout MetadataKeyBuilder
    ) -> [MetricMetadata] {
        var metadata: [String: MetricMetadata] = [:]
        var order: [String] = []
        var seen = 0
        while seen < entries, let entry = try? parser.next() {
            guard entry == .help || entry == .type || entry == .unit else { continue }
            seen += 1
            encodeMetadata(entry, of: parser, into: &key)
            let name = String(decoding: parser.metricName, as: UTF8.self)
            if metadata[name] == nil {
                metadata[name] = MetricMetadata(metric: name, type: .unknown, help: "", unit: "")
                order.append(name)
            }
            switch entry {
            case .help: metadata[name]!.help = parser.helpText()
            case .type: metadata[name]!.type = parser.metricType
            default: metadata[name]!.unit = parser.unit()
            }
        }
        return order.map { metadata[$0]! }
    }

    /// Marks `entry` seen and appends the current sample to its series. One access to the entry
    /// per sample: the handle is updated in place, so a known series costs no reference counting.
    @inline(__always)
    private static func store(
        _ entry: inout Entry, iteration: UInt32, timestamp: Int64, value: Double, explicitTimestamp: Bool,
        sampleLimit: Int, sampleLimitHit: inout Bool, appender: inout HeadAppender, outcome: inout ScrapeOutcome
    ) {
        entry.seenIn = iteration
        if entry.dropped { return }
        outcome.postRelabel += 1
        if sampleLimit > 0 && outcome.postRelabel > sampleLimit {
            // Keep parsing so the report counts every sample, as Prometheus does.
            sampleLimitHit = true
            return
        }
        if sampleLimitHit { return }
        let isNew = entry.handle.isEmpty
        do {
            try appender.append(handle: &entry.handle, labels: entry.labels, timestamp: timestamp, value: value)
            if isNew { outcome.seriesAdded += 1 }
        } catch {
            switch error.kind {
            case .outOfOrder, .outOfBounds, .duplicateSampleForTimestamp:
                // Counted by the head; the scrape goes on, as in Prometheus.
                break
            default:
                outcome.error = "\(error)"
                return
            }
        }
        entry.committedIn = iteration
        entry.explicitTimestamp = explicitTimestamp
    }

    /// After a failed scrape, the series of the last committed one go stale (Prometheus appends
    /// an empty scrape).
    mutating func staleAfterFailure(appender: inout HeadAppender, at timestamp: Timestamp) {
        markStale(committedIn: lastCommitted, appender: &appender, at: timestamp, includeReport: false)
        lastCommitted = iteration
    }

    /// When the target goes away: stale markers for its series and its report series.
    mutating func markAllStale(tsdb: TSDB, at timestamp: Timestamp, logger: Logger) {
        var appender = tsdb.appender()
        markStale(committedIn: lastCommitted, appender: &appender, at: timestamp, includeReport: true)
        do {
            try appender.commit(durable: false)
        } catch {
            logger.warning("Appending stale markers failed", metadata: ["err": "\(error)"])
        }
    }

    private mutating func markStale(committedIn: UInt32, appender: inout HeadAppender, at timestamp: Timestamp, includeReport: Bool) {
        if committedIn != 0 {
            for index in entries.indices where entries[index].committedIn == committedIn {
                guard !entries[index].dropped, !entries[index].explicitTimestamp else { continue }
                let labels = entries[index].labels
                try? appender.append(handle: &entries[index].handle, labels: labels, timestamp: timestamp, value: StaleNaN.value)
                entries[index].committedIn = 0
            }
        }
        if includeReport {
            for (index, labels) in reportLabels.enumerated() where !reportHandles[index].isEmpty {
                try? appender.append(handle: &reportHandles[index], labels: labels, timestamp: timestamp, value: StaleNaN.value)
            }
        }
    }

    /// Appends `up`, `scrape_duration_seconds` and the sample counts to `appender`.
    mutating func report(
        outcome: ScrapeOutcome, duration: Double, at timestamp: Timestamp, appender: inout HeadAppender, logger: Logger
    ) {
        for series in ReportSeries.allCases {
            let value: Double
            switch series {
            case .up: value = outcome.error == nil ? 1 : 0
            case .duration: value = duration
            case .scraped: value = Double(outcome.scraped)
            case .postRelabel: value = Double(outcome.postRelabel)
            case .seriesAdded: value = Double(outcome.seriesAdded)
            }
            let index = series.index
            do {
                try appender.append(handle: &reportHandles[index], labels: reportLabels[index], timestamp: timestamp, value: value)
            } catch {
                logger.debug("Report sample rejected", metadata: ["series": "\(series.rawValue)", "err": "\(error)"])
            }
        }
    }

    private mutating func evict() {
        let horizon = iteration &- Self.evictAfter
        guard entries.contains(where: { $0.seenIn < horizon }) else { return }
        var remap: [Int: Int] = [:]
        var kept: [Entry] = []
        for (index, entry) in entries.enumerated() where entry.seenIn >= horizon {
            remap[index] = kept.count
            kept.append(entry)
        }
        var rebuilt = SeriesCache<Int>(minimumCapacity: kept.count)
        cache.forEach { key, old in
            if let new = remap[old] { rebuilt.updateValue(new, forKey: key) }
        }
        cache = rebuilt
        entries = kept
        forgetOrder()
    }

    /// Drops the series order learnt so far (entries were renumbered or the format changed).
    private mutating func forgetOrder() {
        firstEntry = -1
        for index in entries.indices where entries[index].successor >= 0 { entries[index].successor = -1 }
    }
}

/// The series Prometheus writes for every scrape of a target.
enum ReportSeries: String, CaseIterable {
    case up = "up"
    case duration = "scrape_duration_seconds"
    case scraped = "scrape_samples_scraped"
    case postRelabel = "scrape_samples_post_metric_relabeling"
    case seriesAdded = "scrape_series_added"

    var index: Int { Self.allCases.firstIndex(of: self)! }
}

/// Where metadata-key bytes go: a new key, or a comparison with the last one.
protocol MetadataKeySink {
    mutating func byte(_ byte: UInt8)
    /// A length-prefixed byte string.
    mutating func field(_ bytes: UnsafeRawBufferPointer)
}

/// Builds a metadata key.
struct MetadataKeyBuilder: MetadataKeySink {
    var bytes: [UInt8] = []

    mutating func byte(_ byte: UInt8) { bytes.append(byte) }

    mutating func field(_ field: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: field.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: field)
    }
}

/// Compares metadata-key bytes, as they come, with a stored key.
struct MetadataKeyMatch: MetadataKeySink {
    let key: [UInt8]
    var position = 0
    /// False from the first byte that differs.
    private(set) var matching = true

    init(key: [UInt8]) { self.key = key }

    /// Whether everything written equals the whole stored key.
    var matchedWhole: Bool { matching && position == key.count }

    mutating func byte(_ byte: UInt8) {
        guard matching, position < key.count, key[position] == byte else {
            matching = false
            return
        }
        position += 1
    }

    mutating func field(_ field: UnsafeRawBufferPointer) {
        withUnsafeBytes(of: UInt32(truncatingIfNeeded: field.count).littleEndian) { length in
            for byte in length { self.byte(byte) }
        }
        guard matching, key.count - position >= field.count else {
            matching = false
            return
        }
        let equal = key.withUnsafeBytes { stored in
            field.isEmpty || memcmp(stored.baseAddress! + position, field.baseAddress!, field.count) == 0
        }
        if equal { position += field.count } else { matching = false }
    }
}
