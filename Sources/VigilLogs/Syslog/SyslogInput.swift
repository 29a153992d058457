import Logging
import VigilModel
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import VigilConfig

/// A `type: syslog` input: listens on UDP, TCP or a unix socket, parses each message
/// (``SyslogParser``) and writes them to the buffers in batches (``SyslogCollector``).
///
/// A refused message (malformed, too large) is counted in `vigil_logs_input_errors_total` and the
/// rest carry on; a framing error on a stream closes that connection only.
struct SyslogInput: PushedInput {
    let config: SyslogInputConfig
    let context: InputContext
    /// TLS on the tcp mode (RFC 5425), loaded once when the pipeline starts; nil for plain TCP.
    let tls: NIOSSLContext?
    /// Told the bound address once listening (tests bind port 0).
    let onListening: @Sendable (SocketAddress?) -> Void

    init(
        config: SyslogInputConfig, context: InputContext, tls: NIOSSLContext? = nil,
        onListening: @escaping @Sendable (SocketAddress?) -> Void = { _ in }
    ) {
        self.config = config
        self.context = context
        self.tls = tls
        self.onListening = onListening
    }

    func run() async throws {
        let collector = SyslogCollector(config: config, context: context)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await collector.runFlushLoop() }
            group.addTask {
                if config.mode.isStream {
                    try await runStream(collector)
                } else {
                    try await runDatagram(collector)
                }
            }
            do {
                try await group.next()
            } catch {
                group.cancelAll()
                throw error
            }
            group.cancelAll()
        }
    }

    private var maxMessageSize: Int { Int(config.maxMessageSize.bytes) }

    private func runDatagram(_ collector: SyslogCollector) async throws {
        if config.mode == .unixDatagram { return try await runUnixDatagram(collector) }
        let bootstrap = DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: maxMessageSize + 1))
        let channel: NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
        do {
            if config.mode.isUnix {
                channel = try await bootstrap.bind(unixDomainSocketPath: config.path, cleanupExistingSocketFile: true) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel(wrappingChannelSynchronously: channel) }
                }
            } else {
                channel = try await bootstrap.bind(host: config.address.host, port: config.address.port) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel(wrappingChannelSynchronously: channel) }
                }
            }
        } catch {
            throw LogsError("syslog input \(config.name): cannot listen on \(listenDescription): \(error)")
        }
        onListening(channel.channel.localAddress)
        context.logger.info("Syslog input listening", metadata: ["input": "\(config.name)", "address": "\(listenDescription)"])
        try await withTaskCancellationHandler {
            try await channel.executeThenClose { inbound, _ in
                for try await envelope in inbound {
                    var buffer = envelope.data
                    guard buffer.readableBytes <= maxMessageSize else {
                        context.reject("too_large", "a datagram is larger than max_message_size (\(maxMessageSize))")
                        continue
                    }
                    let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
                    await collector.add([bytes])
                }
            }
        } onCancel: {
            channel.channel.close(promise: nil)
        }
    }

    private func runUnixDatagram(_ collector: SyslogCollector) async throws {
        let receiver: UnixDatagramReceiver
        do {
            receiver = try UnixDatagramReceiver(path: config.path, maxMessageSize: maxMessageSize)
        } catch {
            throw LogsError("syslog input \(config.name): cannot listen on \(listenDescription): \(error)")
        }
        onListening(try? SocketAddress(unixDomainSocketPath: config.path))
        context.logger.info("Syslog input listening", metadata: ["input": "\(config.name)", "address": "\(listenDescription)"])
        let datagrams = receiver.datagrams()
        await withTaskCancellationHandler {
            for await datagram in datagrams {
                guard datagram.count <= maxMessageSize else {
                    context.reject("too_large", "a datagram is larger than max_message_size (\(maxMessageSize))")
                    continue
                }
                await collector.add([datagram])
            }
        } onCancel: {
            receiver.stop()
        }
    }

    private func runStream(_ collector: SyslogCollector) async throws {
        let idle = TimeAmount.milliseconds(config.idleTimeout.milliseconds)
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
        let tls = self.tls
        let initializer: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, Never>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                try channel.pipeline.syncOperations.addHandler(CloseOnIdleHandler())
                return try NIOAsyncChannel<ByteBuffer, Never>(wrappingChannelSynchronously: channel)
            }
        }
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, Never>, Never>
        do {
            if config.mode.isUnix {
                server = try await bootstrap.bind(
                    unixDomainSocketPath: config.path, cleanupExistingSocketFile: true, childChannelInitializer: initializer)
            } else {
                server = try await bootstrap.bind(
                    host: config.address.host, port: config.address.port, childChannelInitializer: initializer)
            }
        } catch {
            throw LogsError("syslog input \(config.name): cannot listen on \(listenDescription): \(error)")
        }
        onListening(server.channel.localAddress)
        context.logger.info("Syslog input listening", metadata: ["input": "\(config.name)", "address": "\(listenDescription)"])
        let active = ConnectionCount()
        try await withTaskCancellationHandler {
            try await server.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        guard active.value.add(1, ordering: .relaxed).newValue <= config.maxConnections else {
                            active.value.subtract(1, ordering: .relaxed)
                            context.reject("too_many_connections", "more than max_connections (\(config.maxConnections)) streams")
                            try? await connection.channel.close()
                            continue
                        }
                        group.addTask {
                            defer { active.value.subtract(1, ordering: .relaxed) }
                            await serve(connection, collector)
                        }
                    }
                }
            }
        } onCancel: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, Never>, _ collector: SyslogCollector) async {
        var decoder = SyslogFrameDecoder(framing: config.framing, maxMessageSize: maxMessageSize)
        let peer = connection.channel.remoteAddress.map { "\($0)" } ?? config.path
        do {
            try await connection.executeThenClose { inbound in
                for try await var chunk in inbound {
                    decoder.append(chunk.readBytes(length: chunk.readableBytes) ?? [])
                    var messages: [[UInt8]] = []
                    do {
                        while let message = try decoder.next() { messages.append(message) }
                    } catch {
                        await collector.add(messages)
                        context.reject("framing", "\(peer): \(error); closing the connection")
                        return
                    }
                    await collector.add(messages)
                }
                if let last = decoder.finish() { await collector.add([last]) }
            }
        } catch {
            context.logger.debug("Syslog connection ended", metadata: ["peer": "\(peer)", "err": "\(error)"])
        }
    }

    private var listenDescription: String { config.mode.isUnix ? config.path : "\(config.mode.rawValue)://\(config.address)" }
}

/// Stream connections open now (shared by the accept loop and the connection tasks).
private final class ConnectionCount: Sendable {
    let value = Atomic<Int>(0)
}

/// Closes a connection when `IdleStateHandler` reports it idle.
private final class CloseOnIdleHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Gathers parsed syslog messages from every connection and writes them as one batch every
/// `batch_wait` (or at once when the batch reaches ``flushBytes``).
///
/// A message is acknowledged to nobody, so this is where it becomes durable: once written
/// (`write(2)`) it survives SIGKILL; the buffers are `fdatasync`ed with the positions every second.
final class SyslogCollector: Sendable {
    let config: SyslogInputConfig
    let context: InputContext
    private let batch: Mutex<RecordBatch>
    /// A batch this large is written at once rather than waiting for `batch_wait`.
    static let flushBytes = 1 << 20

    init(config: SyslogInputConfig, context: InputContext) {
        self.config = config
        self.context = context
        batch = Mutex(RecordBatch(baseLabels: config.labels, ordered: false, chain: context.chain))
    }

    /// Parses `messages` into the batch; writes the batch when it is large. Waits (holding the
    /// sender back) while a `when_full: block` output is full.
    func add(_ messages: [[UInt8]]) async {
        guard !messages.isEmpty else { return }
        let now = WallClock.nanoseconds()
        let parser = SyslogParser(now: now)
        var records: [(LogRecord, [String: String])] = []
        for bytes in messages {
            do {
                let message = try parser.parse(bytes)
                records.append(Self.record(message, receivedAt: now))
            } catch {
                context.reject("malformed", "\(config.name): \(error)")
            }
        }
        context.metrics.linesRead.increment(by: Double(records.count))
        await context.waitUntilWritable()
        let full = batch.withLock { batch in
            for (record, labels) in records { batch.add(record, labels: labels, checkpoint: .none(input: config.name)) }
            return batch.bytes >= Self.flushBytes
        }
        if full { try? flush() }
    }

    /// The record and labels a message becomes: `facility`, `severity`, `hostname`, `app_name` and
    /// `msgid` labels; the line is the structured data (if any) and the message.
    static func record(_ message: SyslogMessage, receivedAt now: Int64) -> (LogRecord, [String: String]) {
        var line: [UInt8] = []
        if let structuredData = message.structuredData {
            line.append(contentsOf: structuredData.utf8)
            if !message.message.isEmpty { line.append(0x20) }
        }
        line.append(contentsOf: message.message)
        var labels = [
            "facility": message.priority.facilityName, "severity": message.priority.severityName,
        ]
        if let hostname = message.hostname { labels["hostname"] = hostname }
        if let appName = message.appName { labels["app_name"] = appName }
        if let msgID = message.msgID { labels["msgid"] = msgID }
        return (LogRecord(timestamp: message.timestamp ?? now, line: line), labels)
    }

    /// Writes whatever the batch holds.
    func flush() throws(LogsError) {
        // Take and write under one lock so batches reach the buffers in the order they were taken.
        try batch.withLock { (batch) throws(LogsError) in
            guard !batch.isEmpty else { return }
            try context.writer.append(batch.take())
        }
    }

    func runFlushLoop() async throws {
        let wait = Duration.milliseconds(config.batchWait.milliseconds)
        do {
            while !Task.isCancelled {
                try? await Task.sleep(for: wait)
                if !context.isBlocked { try flush() }
            }
            try flush()
        } catch {
            context.logger.error("Cannot write to a log buffer; stopping", metadata: ["input": "\(config.name)", "err": "\(error)"])
            throw error
        }
    }
}
