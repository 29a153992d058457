// `vigil-agent`: node_exporter's and cAdvisor's metrics of this host, and the kubelet's resource
// metrics, from a process that holds nothing else. `vigil agent` without `--config` runs it when
// it sits beside `vigil`. Exit codes as swift-argument-parser's: 64 for a usage error.
import Logging
import VigilCollectors
import VigilLogging
import VigilModel
import VigilNodeAgent
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

func fail(_ message: String, code: Int32) -> Never {
    LogOutput.standardError.write("Error: \(message)\nUsage: vigil-agent [--listen <host:port>] [<collector flags>] (see --help)\n")
    exit(code)
}

let arguments: NodeAgentArguments
do {
    arguments = try NodeAgentArguments.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    fail(error.description, code: 64)
}
if arguments.help {
    print(NodeAgentArguments.usage, terminator: "")
    exit(0)
}
let options: NodeCollectorOptions
do {
    options = try NodeCollectorOptions(flags: arguments.collector)
} catch {
    fail(error.message, code: 64)
}

arguments.logFormat.bootstrap(level: arguments.logLevel)
let logger = Logger(label: "vigil-agent")
ProcessMemory.limitArenasToCores()
let exporter: NodeExporter
do {
    exporter = try NodeExporter(options: options, logger: logger)
} catch {
    logger.error("Cannot start", metadata: ["err": "\(error)"])
    fail("node collector: \(error)", code: 64)
}
logger.info("Node collector enabled", metadata: ["collectors": "\(exporter.collectors.map(\.name).joined(separator: ","))"])
let registry = MetricsRegistry()
ProcessMetrics.register(on: registry)
do {
    try BuildInfoMetric.register(on: registry)
    let server = NodeAgentServer(listen: arguments.listen, exporter: exporter, registry: registry, logger: logger)
    try await server.run(until: { await TerminationSignal.wait() })
} catch {
    logger.error("Cannot start", metadata: ["err": "\(error)"])
    LogOutput.standardError.write("vigil-agent: \(error)\n")
    exit(1)
}
logger.info("See you next time!")
