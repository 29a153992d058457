import ArgumentParser
import VigilModel
import VigilPromQL
import VigilTSDB

/// `vigil tsdb`: inspect a metrics store on disk, like `promtool tsdb`.
struct TSDBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tsdb",
        abstract: "Inspect a metrics store on disk (safe beside a running server).",
        discussion: """
            DIR is a data directory (./data) or its metrics directory (./data/metrics).
            Both commands read blocks and the WAL without writing anything.

            Examples:
              vigil tsdb analyze ./data
              vigil tsdb dump ./data --match 'up{job="node"}' --min-time 2026-01-01T00:00:00Z
            """,
        subcommands: [TSDBAnalyzeCommand.self, TSDBDumpCommand.self]
    )

    /// The metrics directory for a data or metrics directory argument.
    static func metricsDirectory(_ path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        return InputFile.isDirectory(trimmed + "/metrics") ? trimmed + "/metrics" : trimmed
    }

    /// Opens the snapshot or exits 1 with the reason.
    static func snapshot(_ path: String) throws -> TSDBSnapshot {
        let directory = metricsDirectory(path)
        guard InputFile.isDirectory(directory) else {
            StandardError.write("vigil: \(path) is not a directory\n")
            throw VigilExit.badInput
        }
        do {
            return try TSDBSnapshot(directory: directory)
        } catch {
            StandardError.write("vigil: reading \(directory): \(error)\n")
            throw VigilExit.failure
        }
    }
}

/// `vigil tsdb analyze DIR`: series, samples, time range, cardinality and churn.
struct TSDBAnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Report series, samples, cardinality and churn of a metrics store.",
        discussion: """
            Prints the blocks, the WAL's contents, the metric names and label pairs with the
            most series, the label names with the most values, and the label pairs most
            involved in churn (series that start or stop inside the stored range).

            Examples:
              vigil tsdb analyze ./data
              vigil tsdb analyze --limit 50 /var/lib/vigil/metrics
            """
    )

    @Argument(help: ArgumentHelp("The data or metrics directory.", valueName: "dir"))
    var directory: String

    @Option(help: "Rows per top list.")
    var limit = 20

    func run() throws {
        let snapshot = try TSDBCommand.snapshot(directory)
        let analysis: TSDBAnalysis
        do {
            analysis = try TSDBAnalysis(querier: snapshot.querier(), limit: limit)
        } catch {
            StandardError.write("vigil: analysing \(directory): \(error)\n")
            throw VigilExit.failure
        }
        print("Blocks: \(snapshot.blocks.count)")
        for block in snapshot.blocks {
            print("  \(block.ulid)  \(RFC3339.format(milliseconds: block.minTime)) .. \(RFC3339.format(milliseconds: block.maxTime))"
                + "  series \(block.stats.numSeries)  samples \(block.stats.numSamples)")
        }
        for unreadable in snapshot.unreadableBlocks {
            print("  unreadable: \(unreadable.path): \(unreadable.reason)")
        }
        let wal = snapshot.walReport
        print("WAL: \(wal.segmentsRead) segments, \(wal.series) series records, \(wal.samples) samples"
            + (wal.damage.isEmpty ? "" : ", \(wal.damage.count) damaged places (not repaired by analyze)"))
        print("")
        print("Series: \(analysis.seriesCount)")
        print("Samples: \(analysis.sampleCount)")
        if let range = analysis.timeRange {
            print("Time range: \(RFC3339.format(milliseconds: range.lowerBound)) .. \(RFC3339.format(milliseconds: range.upperBound))")
        }
        print("Churned series (start or stop inside the range): \(analysis.churnedSeriesCount)")
        table("Metric names with the most series", analysis.cardinality.seriesCountByMetricName)
        table("Label names with the most values", analysis.cardinality.labelValueCountByLabelName)
        table("Label names using the most bytes (value length x series)", analysis.cardinality.memoryInBytesByLabelName)
        table("Label pairs with the most series", analysis.cardinality.seriesCountByLabelValuePair)
        table("Label pairs most involved in churn", analysis.churnByLabelPair)
    }

    private func table(_ title: String, _ rows: [CardinalityStats.Entry]) {
        print("")
        print("\(title):")
        for row in rows {
            let count = String(row.value)
            print(String(repeating: " ", count: max(1, 10 - count.count)) + count + "  " + row.name)
        }
    }
}

/// `vigil tsdb dump DIR`: every sample of the matching series, one per line.
struct TSDBDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Print the samples of matching series, one per line.",
        discussion: """
            Each line is: {labels} value timestamp_ms — the format promtool tsdb dump
            prints. Times take RFC 3339 or Unix milliseconds.

            Examples:
              vigil tsdb dump ./data
              vigil tsdb dump ./data --match '{__name__=~"node_cpu.*", mode="idle"}'
              vigil tsdb dump ./data --match up --min-time 1700000000000 --max-time 1700003600000
            """
    )

    @Argument(help: ArgumentHelp("The data or metrics directory.", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("Series selector (repeatable); default all series.", valueName: "selector"))
    var match: [String] = []

    @Option(name: .customLong("min-time"), help: "First millisecond to print (RFC 3339 or Unix ms).")
    var minTime: String?

    @Option(name: .customLong("max-time"), help: "Last millisecond to print (RFC 3339 or Unix ms).")
    var maxTime: String?

    func run() throws {
        let selectors: [[LabelMatcher]]
        do {
            selectors = try (match.isEmpty ? ["{__name__=~\".+\"}"] : match).map { try PromQL.parseMetricSelector($0) }
        } catch {
            StandardError.write("vigil: --match: \(error)\n")
            throw VigilExit.badInput
        }
        let mint = try parseTime(minTime, flag: "--min-time") ?? .min
        let maxt = try parseTime(maxTime, flag: "--max-time") ?? .max
        let snapshot = try TSDBCommand.snapshot(directory)
        var seen = Set<Labels>()
        var output = ""
        do {
            for matchers in selectors {
                for series in try snapshot.querier().select(matchers, mint: mint, maxt: maxt) where seen.insert(series.labels).inserted {
                    let name = series.labels.description
                    var iterator = series.makeIterator()
                    while iterator.next() {
                        output += name + " " + GoFloat.format(iterator.value) + " " + String(iterator.timestamp) + "\n"
                    }
                    if output.utf8.count > 1 << 20 {
                        print(output, terminator: "")
                        output = ""
                    }
                }
            }
        } catch {
            StandardError.write("vigil: reading \(directory): \(error)\n")
            throw VigilExit.failure
        }
        print(output, terminator: "")
    }

    private func parseTime(_ text: String?, flag: String) throws -> Int64? {
        guard let text else { return nil }
        if let milliseconds = Int64(text) { return milliseconds }
        guard let parsed = RFC3339.parse(text) else {
            StandardError.write("vigil: \(flag): \"\(text)\" is neither RFC 3339 nor Unix milliseconds\n")
            throw VigilExit.badInput
        }
        return parsed
    }
}
