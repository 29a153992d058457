import ArgumentParser
import VigilExposition
import VigilModel
import VigilTSDB

/// `vigil import FILE…`: backfill historical samples from exposition files into blocks.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Backfill samples from Prometheus text or OpenMetrics files into the store.",
        discussion: """
            Every sample must carry a timestamp (text format: milliseconds; OpenMetrics:
            seconds). Samples are written straight into blocks under DATA-DIR/metrics, one
            per 2h range they touch; a running server loads them within a minute and
            compaction merges them with what it already holds. Safe beside a running server.

            Examples:
              vigil import --data-dir ./data history.om
              vigil import --format text --data-dir /var/lib/vigil export-2025-*.prom
            """
    )

    @Argument(help: ArgumentHelp("Exposition files to import.", valueName: "file"))
    var files: [String]

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The server's data directory.", valueName: "path"))
    var dataDirectory = "./data"

    @Option(help: "The files' format: text or openmetrics (default: by extension, .om/.openmetrics = OpenMetrics).")
    var format: CheckMetricsCommand.FormatArgument?

    func run() throws {
        var importer = BlockImporter()
        var seriesSeen = Set<Labels>()
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(file)
            } catch {
                StandardError.write("vigil: \(error)\n")
                throw VigilExit.badInput
            }
            let chosen: ExpositionFormat = switch format {
            case .text: .text
            case .openmetrics: .openMetrics
            case nil: file.hasSuffix(".om") || file.hasSuffix(".openmetrics") ? .openMetrics : .text
            }
            let families: [MetricFamily]
            do {
                families = try chosen.decodeFamilies(bytes)
            } catch {
                StandardError.write("\(file):\(error.line):\(error.column): \(error.message)\n")
                throw VigilExit.badInput
            }
            for family in families {
                for sample in family.samples {
                    var builder = LabelsBuilder(sample.labels)
                    builder.set("__name__", sample.name)
                    let labels = builder.build()
                    guard let timestamp = sample.timestamp else {
                        StandardError.write("vigil: \(file): sample \(labels.seriesDescription) has no timestamp; backfill needs one on every sample\n")
                        throw VigilExit.badInput
                    }
                    seriesSeen.insert(labels)
                    importer.add(labels, timestamp: timestamp, value: sample.value)
                }
            }
        }
        let samples = importer.sampleCount
        let directory = dataDirectory + "/metrics"
        let metas: [BlockMeta]
        do {
            guard InputFile.isDirectory(dataDirectory) || InputFile.makeDirectory(dataDirectory) else {
                StandardError.write("vigil: cannot create \(dataDirectory)\n")
                throw VigilExit.failure
            }
            _ = InputFile.makeDirectory(directory)
            metas = try importer.write(into: directory)
        } catch let error as TSDBError {
            StandardError.write("vigil: writing blocks into \(directory): \(error)\n")
            throw VigilExit.failure
        }
        print("Imported \(samples - importer.duplicates) samples of \(seriesSeen.count) series into \(metas.count) blocks under \(directory)"
            + (importer.duplicates > 0 ? " (\(importer.duplicates) duplicate timestamps skipped)" : ""))
        for meta in metas {
            print("  \(meta.ulid)  \(RFC3339.format(milliseconds: meta.minTime)) .. \(RFC3339.format(milliseconds: meta.maxTime))")
        }
    }
}
