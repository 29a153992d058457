#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilExposition
import VigilModel

/// `textfile`: the metrics of every `*.prom` file in `--collector.textfile.directory` (a glob
/// pattern is expanded), for batch jobs and cron scripts to publish through the node exporter.
///
/// Each file is parsed as text format 0.0.4; a file that does not parse, or whose samples carry
/// timestamps, is skipped and sets `node_textfile_scrape_error` to 1. Families without HELP get
/// `Metric read from <files>`. `node_textfile_mtime_seconds{file}` tells when each file that was
/// read last changed. The collector itself never fails: problems are in the error gauge.
struct TextfileCollector: Collector {
    let name = "textfile"
    let directory: String

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        var errored = false
        var families: [(family: MetricFamily, file: String)] = []
        var mtimes: [(String, Double)] = []
        for directory in TextfileCollector.expand(directory) {
            let names: [String]
            do throws(CollectorError) {
                names = try Directory.entries(directory)
            } catch {
                errored = true
                continue
            }
            for name in names where name.hasSuffix(".prom") {
                let path = NodePaths.join(directory, name)
                do throws(CollectorError) {
                    let parsed = try TextfileCollector.parse(Array(context.reader.read(path)), path: path)
                    mtimes.append((path, (try Directory.modificationTime(path)).rounded(.down)))
                    families += parsed.map { ($0, path) }
                } catch {
                    errored = true
                }
            }
        }
        var files: [String: [String]] = [:]
        for (family, file) in families { files[family.name, default: []].append(file) }
        for (family, _) in families {
            let help = family.help.isEmpty ? "Metric read from " + (files[family.name] ?? []).joined(separator: ", ") : family.help
            for sample in family.samples { context.sink.append(family.name, help, family.type, sample) }
        }
        for (path, mtime) in mtimes {
            context.sink.gauge(
                "node_textfile_mtime_seconds", "Unixtime mtime of textfiles successfully read.", mtime, ["file": path])
        }
        context.sink.gauge(
            "node_textfile_scrape_error", "1 if there was an error opening or reading a file, 0 otherwise", errored ? 1 : 0)
    }

    /// The families of one file, or an error naming it.
    static func parse(_ bytes: [UInt8], path: String) throws(CollectorError) -> [MetricFamily] {
        let families: [MetricFamily]
        do {
            families = try ExpositionFormat.text.decodeFamilies(bytes)
        } catch {
            throw .malformed(path, "failed to parse textfile data: \(error)")
        }
        for family in families where family.samples.contains(where: { $0.timestamp != nil }) {
            throw .malformed(path, "contains unsupported client-side timestamps, skipping entire file")
        }
        return families
    }

    /// The directories a `--collector.textfile.directory` value names: its glob matches, or itself.
    static func expand(_ pattern: String) -> [String] {
        guard !pattern.isEmpty else { return [] }
        guard pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else { return [pattern] }
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [pattern] }
        var result: [String] = []
        for index in 0..<Int(matches.gl_pathc) {
            if let path = matches.gl_pathv[index] { result.append(String(cString: path)) }
        }
        return result.isEmpty ? [pattern] : result
    }
}
