import ArgumentParser
import VigilExposition
import VigilModel

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `vigil check metrics [FILE]`: parse an exposition as the scraper would and report the first error
/// with its line and column, like `promtool check metrics`.
struct CheckMetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Check a metrics exposition (Prometheus text 0.0.4 or OpenMetrics 1.0).",
        discussion: """
            Reads FILE, or standard input when FILE is omitted or '-'. The format
            is taken from --format, else from the file name (.om or .openmetrics
            means OpenMetrics), else text. Exits 0 when the exposition parses, 2
            otherwise, printing FILE:LINE:COLUMN: message.

            With --print, writes every sample as the scraper would store it, one
            per line: name{label="value",...} value. Labels are sorted, empty-valued
            labels dropped, label values JSON-quoted, and values spelled as the
            Prometheus HTTP API spells them.

            Examples:
              curl -s localhost:9100/metrics | vigil check metrics
              vigil check metrics --format openmetrics scrape.txt
              vigil check metrics --print node.prom | sort
            """
    )

    @Argument(help: ArgumentHelp("The exposition to check ('-' or omitted: standard input).", valueName: "file"))
    var file: String?

    @Option(help: "The format: text or openmetrics.")
    var format: FormatArgument?

    @Flag(help: "Print every sample in a canonical one-line form.")
    var print = false

    enum FormatArgument: String, ExpressibleByArgument, CaseIterable {
        case text, openmetrics
    }

    func run() throws {
        let name = file ?? "-"
        let bytes: [UInt8]
        do {
            bytes = try InputFile.read(name)
        } catch {
            StandardError.write("vigil: \(error)\n")
            throw VigilExit.badInput
        }
        let chosen: ExpositionFormat
        switch format {
        case .text: chosen = .text
        case .openmetrics: chosen = .openMetrics
        case nil: chosen = name.hasSuffix(".om") || name.hasSuffix(".openmetrics") ? .openMetrics : .text
        }
        let families: [MetricFamily]
        do {
            families = try chosen.decodeFamilies(bytes)
        } catch {
            StandardError.write("\(name == "-" ? "<stdin>" : name):\(error.line):\(error.column): \(error.message)\n")
            throw VigilExit.badInput
        }
        guard print else { return }
        var output = ""
        for family in families {
            for sample in family.samples {
                output += Self.canonicalLine(sample)
                output += "\n"
            }
        }
        Swift.print(output, terminator: "")
    }

    /// `name{a="x",b="y"} value` with the stored label set and the API's value spelling.
    static func canonicalLine(_ sample: MetricFamily.Sample) -> String {
        let labels = sample.labels.filter { !$0.value.isEmpty && $0.name != "__name__" }
            .map { "\($0.name)=\(JSONQuoting.quote($0.value))" }
            .joined(separator: ",")
        return "\(sample.name){\(labels)} \(GoFloat.formatAPI(sample.value))"
    }
}

/// Reads a whole file or standard input without Foundation.
enum InputFile {
    struct ReadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Creates the directory `path` (one level); true if it exists afterwards.
    static func makeDirectory(_ path: String) -> Bool {
        mkdir(path, 0o755) == 0 || errno == EEXIST
    }

    /// Whether `path` names a directory.
    static func isDirectory(_ path: String) -> Bool {
        // opendir rather than stat: NIO's C shims re-export `struct stat` (see ProcessMetrics).
        guard let directory = opendir(path) else { return false }
        closedir(directory)
        return true
    }

    /// The bytes of `path`, or of standard input for `-`; at most `limit` bytes.
    static func read(_ path: String, limit: Int = 1 << 30) throws -> [UInt8] {
        let descriptor = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ReadError(description: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { if descriptor != 0 { close(descriptor) } }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(description: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit {
                throw ReadError(description: "\(path) is larger than \(limit) bytes")
            }
        }
    }
}
