public import Logging
public import VigilCollectors
public import VigilLogging

/// `vigil-agent`'s command line, parsed without swift-argument-parser (which would bring
/// FoundationEssentials into the process): the flags `vigil agent` takes without `--config`,
/// spelled the same way, `--name value` or `--name=value`.
public struct NodeAgentArguments: Sendable {
    /// `--listen` (default `127.0.0.1:9471`).
    public var listen = ListenAddress(host: "127.0.0.1", port: 9471)
    /// node_exporter's flags.
    public var collector = NodeCollectorFlagValues()
    /// `--log.level`: trace, debug, info (default), warn, error.
    public var logLevel: Logger.Level = .info
    /// `--log.format`: logfmt (default) or json.
    public var logFormat: LogFormat = .logfmt
    /// `-h` or `--help` was given.
    public var help = false

    /// A command line that does not parse, saying which argument and why.
    public struct ParseError: Error, CustomStringConvertible {
        /// The message.
        public let description: String
    }

    /// Defaults.
    public init() {}

    static let levels: [String: Logger.Level] = ["trace": .trace, "debug": .debug, "info": .info, "warn": .warning, "error": .error]

    /// Parses `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws(ParseError) -> NodeAgentArguments {
        var parsed = NodeAgentArguments()
        let valueNames = Set(["listen", "log.level", "log.format"] + NodeCollectorOptions.valueFlags.map(\.name))
        let collectors = Set(NodeCollectorOptions.available.map(\.name))
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "-h" || argument == "--help" {
                parsed.help = true
                continue
            }
            guard argument.hasPrefix("--"), argument.count > 2 else {
                throw ParseError(description: "unexpected argument '\(argument)'")
            }
            var name = String(argument.dropFirst(2))
            var value: String? = nil
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if valueNames.contains(name) {
                if value == nil {
                    guard index < arguments.count else { throw ParseError(description: "missing value for '--\(name) <value>'") }
                    value = arguments[index]
                    index += 1
                }
                try parsed.set(name, value!)
                continue
            }
            guard value == nil else { throw ParseError(description: "'--\(name)' takes no value") }
            let negated = name.hasPrefix("no-")
            let flag = negated ? String(name.dropFirst(3)) : name
            if flag == "collector.disable-defaults" && !negated {
                parsed.collector.disableDefaults = true
            } else if flag == "collector.cpu.guest" {
                parsed.collector.cpuGuest = !negated
            } else if flag.hasPrefix("collector."), collectors.contains(String(flag.dropFirst(10))) {
                parsed.collector.collectors[String(flag.dropFirst(10))] = !negated
            } else {
                throw ParseError(description: "unknown option '\(argument)' (vigil-agent --help lists them)")
            }
        }
        return parsed
    }

    private mutating func set(_ name: String, _ value: String) throws(ParseError) {
        switch name {
        case "listen":
            do {
                listen = try ListenAddress(parsing: value)
            } catch {
                throw ParseError(description: error.description)
            }
        case "log.level":
            guard let level = Self.levels[value] else {
                throw ParseError(description: "the value '\(value)' is invalid for '--log.level' (trace, debug, info, warn, error)")
            }
            logLevel = level
        case "log.format":
            guard let format = LogFormat(rawValue: value) else {
                throw ParseError(description: "the value '\(value)' is invalid for '--log.format' (logfmt, json)")
            }
            logFormat = format
        case "collector.container.kubeconfig":
            throw ParseError(
                description: "--collector.container.kubeconfig needs `vigil agent`: this lean process has no Kubernetes client")
        default:
            collector.values[name] = value
        }
    }

    /// What `--help` prints.
    public static var usage: String {
        var text = """
            OVERVIEW: Serve this host's node and container metrics at /metrics, and nothing else, in a small process.

            `vigil agent` without --config runs this program when it sits beside `vigil` (and the
            container collector needs no API server). Routes: /metrics (with Vigil's process
            metrics), /metrics/resource (the kubelet's, for metrics-server), /-/healthy, /-/ready.

            USAGE: vigil-agent [--listen <host:port>] [<collector flags>] [--log.level <level>] [--log.format <format>]

            OPTIONS:
              --listen <host:port>    Address to listen on for HTTP. (default: 127.0.0.1:9471)
              --log.level <level>     Only log messages with this severity or above: trace, debug, info, warn, error. (default: info)
              --log.format <format>   Output format of log messages: logfmt or json. (default: logfmt)
              -h, --help              Show help information.

            NODE COLLECTOR:
              --collector.disable-defaults
                                      Disable every collector not enabled explicitly with --collector.<name>.
              --[no-]collector.<name> Enable or disable a collector; all are on by default:

            """
        var lines: [[String]] = [[]]
        for name in NodeCollectorOptions.available.map(\.name) {
            if (lines[lines.count - 1] + [name]).joined(separator: ", ").count > 70 { lines.append([]) }
            lines[lines.count - 1].append(name)
        }
        text += lines.map { "                          " + $0.joined(separator: ", ") }.joined(separator: ",\n") + "\n"
        text += "  --[no-]collector.cpu.guest\n                          Expose node_cpu_guest_seconds_total. (default: on)\n"
        for flag in NodeCollectorOptions.valueFlags where flag.name != "collector.container.kubeconfig" {
            text += "  --\(flag.name) <\(flag.valueName)>\n                          \(flag.help)\n"
        }
        text += """

            EXAMPLES:
              vigil-agent
              vigil-agent --listen 0.0.0.0:9100 --collector.textfile.directory /var/lib/ne
              vigil-agent --no-collector.container --no-collector.gpu

            """
        return text
    }
}
