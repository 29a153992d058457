// Remote-write sending throughput: how many samples the sender moves per CPU second.
// Run from Benchmarks/: `swift run -c release RemoteWriteSend [--series N] [--samples-per-series K]
// [--max-samples-per-send B] [--shards S]`.
//
// The store is filled first (every commit also lands in the remote-write queue on disk, as in
// production), with the sender not yet running. Then the sender starts and drains the backlog to
// a receiver in a child process (this executable again, `receive PORT`) that reads each request
// and answers 204 without decoding, so the measured process is the sender alone. Printed:
// samples, wall seconds, CPU seconds of this process while draining, samples per CPU second and
// bytes sent per sample. Nothing is asserted.
import Foundation
import Glibc
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import VigilConfig
import VigilModel
import VigilRemoteWrite
import VigilTSDB

func cpuSeconds() -> Double {
    ProcessStats.current().cpuSeconds ?? 0
}

/// The receiver child: answers every request with 204 once its body is read.
final class DiscardHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "0")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .noContent, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}

func receive(port: Int) throws -> Never {
    let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(DiscardHandler()) }
        }
        .bind(host: "127.0.0.1", port: port).wait()
    try channel.closeFuture.wait()
    exit(0)
}

let arguments = CommandLine.arguments
if arguments.count == 3 && arguments[1] == "receive" {
    try receive(port: Int(arguments[2])!)
}

func option(_ name: String, _ fallback: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else {
        return fallback
    }
    return value
}
let seriesCount = option("--series", 10_000)
let perSeries = option("--samples-per-series", 200)
let maxSamplesPerSend = option("--max-samples-per-send", 2000)
let shards = option("--shards", 4)
let port = option("--port", 19690)

let receiver = Process()
receiver.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
receiver.arguments = ["receive", String(port)]
try receiver.run()
defer { receiver.terminate() }
try await Task.sleep(for: .milliseconds(500))

let directory = NSTemporaryDirectory() + "rw-send-\(getpid())"
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
var options = TSDBOptions()
options.walSync = .never
let tsdb = try TSDB.open(directory: directory + "/metrics", options: options)
let config = try PrometheusConfig.parse(
    yaml: """
        remote_write:
          - url: http://127.0.0.1:\(port)/api/v1/write
            queue_config:
              max_samples_per_send: \(maxSamplesPerSend)
              max_shards: \(shards)
              batch_send_deadline: 100ms
        """
).remoteWrite[0]
var logger = Logger(label: "rw-send")
logger.logLevel = .error
let queue = try RemoteWriteQueue(
    config: config, externalLabels: ["cluster": "bench"], directory: directory + "/queue", registry: MetricsRegistry(), logger: logger)
let token = tsdb.addCommitObserver(queue)

let start = Timestamps.now() - Int64(perSeries) * 15_000
var refs = [SeriesRef?](repeating: nil, count: seriesCount)
let labels: [Labels] = (0..<seriesCount).map { index in
    ["__name__": "node_bench_metric_\(index % 50)", "instance": "host-\(index / 50):9100", "job": "node", "cpu": String(index % 8)]
}
for step in 0..<perSeries {
    var appender = tsdb.appender()
    for index in 0..<seriesCount {
        refs[index] = try appender.append(
            ref: refs[index], labels: labels[index], timestamp: start + Int64(step) * 15_000, value: Double(step * 7 + index % 13))
    }
    try appender.commit()
}
let total = seriesCount * perSeries
print("queued \(total) samples (\(seriesCount) series x \(perSeries))")

let cpuBefore = cpuSeconds()
let wallBefore = ContinuousClock.now
let sender = Task { await queue.run() }
let registry = MetricsRegistry()
_ = registry
while queue.sentSamples < total {
    try await Task.sleep(for: .milliseconds(20))
}
let wall = ContinuousClock.now - wallBefore
let cpu = cpuSeconds() - cpuBefore
sender.cancel()
await sender.value
tsdb.removeCommitObserver(token)
queue.close()
let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
print("sent \(queue.sentSamples) samples in \(String(format: "%.2f", wallSeconds)) s wall, \(String(format: "%.2f", cpu)) s CPU")
print("throughput: \(String(format: "%.2f", Double(total) / cpu / 1e6)) M samples per CPU second, \(String(format: "%.2f", Double(total) / wallSeconds / 1e6)) M samples/s wall")
print("bytes sent per sample: \(String(format: "%.2f", Double(queue.sentBytes) / Double(total)))")
try tsdb.close()
