public import Logging
public import ServiceLifecycle
public import VigilModel
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import VigilConfig
import NIOSSL
import VigilHTTPClient

/// The log pipeline as a `Service`: reads the `logs:` inputs (files, the kernel log, syslog, the
/// journal, HTTP) into every output's on-disk buffer and ships each buffer to its destination,
/// delivering every line at least once.
///
/// Add it to the process's `ServiceGroup` (after storage, before HTTP); `run()` returns on
/// graceful shutdown, after syncing the buffers and writing the positions. State lives under
/// `dataDirectory`: `positions/positions` and `queues/logs-<output>/`.
///
/// **Delivery rule.** Each chunk of lines read from a file is appended, as one frame carrying
/// the file's new checkpoint, to every output's buffer; the positions file is rewritten (after
/// syncing the buffers) at most every second and names the newest frame it covers. After a
/// crash, the checkpoints are the positions file's, updated by every frame after it that all
/// outputs hold — so a line is read again only if it never reached every buffer. A sender marks
/// frames sent only after the receiver accepted them, so at most the one batch in flight at the
/// crash is sent twice.
public final class LogPipeline: Service, Sendable {
    let config: LogsConfig
    let dataDirectory: String
    let logger: Logger
    let metrics: LogsMetrics
    let services: LogProcessingServices
    let kernelProblems: KernelProblemReporter

    /// A pipeline for `config`, storing its state under `dataDirectory`, its self-metrics on `registry`.
    ///
    /// `services` are what the `kubernetes` and `kernel_problems` processors use: the pod cache,
    /// the node's name, and the closure that reports a kernel problem (as an Event on the Node);
    /// NPD's `problem_counter`/`problem_gauge` go to `registry`.
    ///
    /// - Throws: ``LogsError`` when a metric cannot be registered.
    public init(
        config: LogsConfig, dataDirectory: String, registry: MetricsRegistry, services: LogProcessingServices = LogProcessingServices(),
        logger: Logger
    ) throws {
        self.config = config
        var services = services
        if services.nodeName.isEmpty, let node = getenv("NODE_NAME") { services.nodeName = String(cString: node) }
        services.registry = registry
        kernelProblems = KernelProblemReporter(registry: registry)
        services.reporter = kernelProblems
        self.services = services
        self.dataDirectory = dataDirectory
        self.logger = logger
        do {
            metrics = try LogsMetrics(registry: registry)
        } catch {
            throw LogsError("cannot register the log pipeline's metrics: \(error)")
        }
    }

    /// Runs until cancelled or a graceful shutdown; throws when its state cannot be opened or a
    /// buffer cannot be written (the lines are read again after a restart).
    public func run() async throws {
        guard !config.inputs.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        let state = try PipelineState.open(config: config, dataDirectory: dataDirectory, metrics: metrics, logger: logger)
        var senders: [OutputFactory.Built] = []
        do {
            for (output, buffer) in zip(config.outputs, state.buffers) {
                senders.append(try OutputFactory.build(output, buffer: buffer, metrics: try metrics.output(output.name), logger: logger))
            }
        } catch {
            state.close()
            for sender in senders { await sender.client?.shutdown() }
            throw LogsError("cannot set up a logs output: \(error)")
        }
        let writer = FrameWriter(
            buffers: state.buffers, positionsPath: state.positionsPath, sequence: state.sequence,
            checkpoints: state.checkpoints)
        let pushed: [(supervisor: InputSupervisor, make: @Sendable (InputCheckpoint?) -> any PushedInput)]
        do {
            pushed = try pushedInputs(state: state, writer: writer)
        } catch {
            state.close()
            for sender in senders { await sender.client?.shutdown() }
            throw error
        }
        logger.info("Log pipeline started", metadata: [
            "inputs": "\(config.inputs.count)", "outputs": "\(config.outputs.count)",
        ])
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>.self) { group in
            for sender in senders {
                group.addTask {
                    await cancelWhenGracefulShutdown { await sender.run() }
                    return .success(())
                }
            }
            for (supervisor, make) in pushed {
                group.addTask {
                    do {
                        try await cancelWhenGracefulShutdown {
                            try await supervisor.run(make)
                            // An input with nothing to do (no journalctl) must not end the pipeline.
                            while !Task.isCancelled { try await Task.sleep(for: .seconds(3600)) }
                        }
                        return .success(())
                    } catch is CancellationError {
                        return .success(())
                    } catch {
                        return .failure(error)
                    }
                }
            }
            group.addTask {
                do {
                    try await cancelWhenGracefulShutdown {
                        try await TailLoop(state: state, writer: writer, services: self.services).run()
                    }
                    return .success(())
                } catch {
                    return .failure(error)
                }
            }
            if let report = services.kernelProblems {
                let problems = kernelProblems.stream
                group.addTask {
                    await cancelWhenGracefulShutdown {
                        for await problem in problems { await report(problem) }
                    }
                    return .success(())
                }
            }
            let first = await group.next() ?? .success(())
            group.cancelAll()
            for await _ in group {}
            return first
        }
        state.close()
        for sender in senders { await sender.client?.shutdown() }
        logger.info("Log pipeline stopped")
        try outcome.get()
    }

    /// The inputs other than files: each one's supervisor, and how to make it from its
    /// checkpoint with the writer, its metrics and its processors.
    func pushedInputs(
        state: PipelineState, writer: FrameWriter
    ) throws -> [(supervisor: InputSupervisor, make: @Sendable (InputCheckpoint?) -> any PushedInput)] {
        let blocking = config.outputs.map { $0.whenFull == .block }
        var inputs: [(supervisor: InputSupervisor, make: @Sendable (InputCheckpoint?) -> any PushedInput)] = []
        for input in config.inputs {
            if case .file = input { continue }
            var context = InputContext(
                writer: writer, blockingOutputs: blocking, metrics: try metrics.input(input.name), logger: logger)
            if !input.processors.isEmpty {
                context.chain = try LogProcessorChain(
                    input.processors, services: services,
                    metrics: try ProcessingMetrics(registry: metrics.registry, input: input.name))
            }
            let make: @Sendable (InputCheckpoint?) -> any PushedInput
            switch input {
            case .file: continue
            case .kmsg(let config): make = { [context] in KmsgInput(config: config, context: context, checkpoint: $0) }
            case .syslog(let config):
                let tls = try config.tls.map { try Self.serverTLS($0, input: config.name) }
                make = { [context] _ in SyslogInput(config: config, context: context, tls: tls) }
            case .journal(let config): make = { [context] in JournalInput(config: config, context: context, checkpoint: $0) }
            case .http(let config):
                var tls: TLSConfiguration? = nil
                if let server = config.tls {
                    _ = try Self.serverTLS(server, input: config.name)  // loads and checks the files, naming the input
                    tls = try ServerTLS.configuration(server)
                }
                make = { [context, tls] _ in HTTPInput(config: config, context: context, tls: tls) }
            }
            let supervisor = InputSupervisor(
                name: input.name, writer: writer, restarts: try metrics.inputRestarts(input.name), logger: logger)
            inputs.append((supervisor, make))
        }
        return inputs
    }

    /// An input's serving TLS, loaded now so a missing or bad certificate stops the start with
    /// the input's name rather than failing every restart.
    static func serverTLS(_ config: ServerTLSConfig, input: String) throws -> NIOSSLContext {
        do {
            return try NIOSSLContext(configuration: try ServerTLS.configuration(config))
        } catch {
            throw LogsError("input \(input): tls_server_config: \(error)")
        }
    }
}
