import Foundation
import VigilConfig
import VigilModel
@testable import VigilLogs

/// Fixture logs under Tests/VigilLogsTests/Fixtures, and a processor chain to run lines through.
enum ProcessingFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path

    /// The lines of a fixture file, without their newlines.
    static func lines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func chain(_ yaml: String, services: LogProcessingServices = LogProcessingServices(), registry: MetricsRegistry = MetricsRegistry())
        throws -> LogProcessorChain
    {
        let processors = try ConfigDecoder.decode([LogProcessorConfig].self, fromYAML: yaml, fileName: "test.yml")
        return try LogProcessorChain(processors, services: services, metrics: try ProcessingMetrics(registry: registry, input: "t"))
    }

    /// Runs `lines` through `chain` as one file at `path`, then flushes what is held.
    static func run(_ lines: [String], _ chain: LogProcessorChain, path: String = "/var/log/app.log") -> [LogRecord] {
        var state = chain.fileState(path: path)
        var out: [LogRecord] = []
        let start = ContinuousClock.now
        for (index, line) in lines.enumerated() {
            state.take(LogRecord(timestamp: Int64(index), line: Array(line.utf8)), resumeOffset: 0, now: start, into: &out)
        }
        state.flushExpired(now: start + .seconds(3600), into: &out)
        return out
    }
}

extension LogRecord {
    var text: String { String(decoding: line, as: UTF8.self) }
    func label(_ name: String) -> String? { labels.first { $0.name == name }?.value }
    func meta(_ name: String) -> String? { metadata.first { $0.name == name }?.value }
}
