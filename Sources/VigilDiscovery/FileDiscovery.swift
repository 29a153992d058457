import Foundation
public import Logging
public import VigilConfig
public import VigilModel

/// `file_sd_configs`: target groups read from JSON or YAML files matching the configured patterns.
///
/// Files are checked for changes every second (modification time and size) and read again in
/// full every `refresh_interval`. A file that fails to read or parse keeps its last good groups;
/// the error is logged with its position and counted, as Prometheus does. A file that disappears
/// takes its groups with it. Each group's labels gain `__meta_filepath`.
public struct FileDiscovery: DiscoveryProvider {
    /// The config this provider follows.
    public let config: FileSDConfig
    let logger: Logger
    let readErrors: Counter?
    let pollInterval: Duration

    /// A provider for `config`; `readErrors` counts files that failed to read or parse.
    public init(_ config: FileSDConfig, logger: Logger, readErrors: Counter? = nil, pollInterval: Duration = .seconds(1)) {
        self.config = config
        self.logger = logger
        self.readErrors = readErrors
        self.pollInterval = pollInterval
    }

    /// Always `file`.
    public var mechanism: String { "file" }

    /// Watches and reads the files until cancelled.
    public func run(send: @escaping @Sendable ([TargetGroup]) async -> Void) async {
        var lastGood: [String: [TargetGroup]] = [:]
        var fingerprints: [String: FileFingerprint] = [:]
        var lastFullRead = ContinuousClock.now
        var first = true
        while !Task.isCancelled {
            let fullRead = first || ContinuousClock.now - lastFullRead >= config.refreshInterval.duration
            if fullRead { lastFullRead = .now }
            var paths: [String] = []
            for pattern in config.files {
                paths.append(contentsOf: (try? Glob.expand(pattern)) ?? [])
            }
            var changed = first
            var current: [String: FileFingerprint] = [:]
            for path in paths { current[path] = FileFingerprint(path: path) }
            if Set(current.keys) != Set(fingerprints.keys) { changed = true }
            for path in paths where fullRead || current[path] != fingerprints[path] {
                switch Self.read(path) {
                case .success(let groups):
                    if lastGood[path] != groups { changed = true }
                    lastGood[path] = groups
                case .failure(let error):
                    readErrors?.increment()
                    logger.error("Error reading file", metadata: ["path": "\(path)", "err": "\(error)"])
                }
            }
            for path in lastGood.keys where current[path] == nil {
                lastGood[path] = nil
                changed = true
            }
            fingerprints = current
            if changed {
                await send(lastGood.keys.sorted().flatMap { lastGood[$0]! })
            }
            first = false
            try? await Task.sleep(for: pollInterval)
        }
    }

    /// The groups of one file, or why it could not be used.
    static func read(_ path: String) -> Result<[TargetGroup], DiscoveryError> {
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(DiscoveryError(message: "\(path): cannot be read"))
        }
        let text = String(decoding: data, as: UTF8.self)
        let configs: [StaticConfig]
        do {
            if text.allSatisfy(\.isWhitespace) {
                configs = []
            } else {
                configs = try ConfigDecoder.decode([StaticConfig].self, fromYAML: text, fileName: path)
            }
        } catch {
            return .failure(DiscoveryError(message: "\(error)"))
        }
        return .success(
            configs.enumerated().map { index, config in
                var labels = LabelsBuilder()
                for (name, value) in config.labels { labels.set(name, value) }
                labels.set("__meta_filepath", path)
                return TargetGroup(
                    targets: config.targets.map { Labels(dictionaryLiteral: ("__address__", $0)) },
                    labels: labels.build(),
                    source: "\(path):\(index)"
                )
            })
    }
}

/// What the poller compares to notice a file changed without reading it.
struct FileFingerprint: Equatable {
    let modified: Date?
    let size: Int?

    init(path: String) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        modified = attributes?[.modificationDate] as? Date
        size = (attributes?[.size] as? NSNumber)?.intValue
    }
}
