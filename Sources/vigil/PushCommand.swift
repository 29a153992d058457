import VigilModel
import VigilNodeAgent
import ArgumentParser
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import VigilScrape
import VigilServer

/// `vigil push`: push an exposition to a Pushgateway API (Vigil's, or a Pushgateway's), like
/// client_golang's `push` package or `curl --data-binary @file`.
struct PushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Push metrics to a Vigil (or Prometheus Pushgateway) push API.",
        discussion: """
            Sends FILE (text format 0.0.4; '-' or omitted: standard input) to
            /metrics/job/JOB{/LABEL/VALUE} on --url. --method put (the default)
            replaces the whole group; post replaces only the metric families the
            body names. --delete removes the group instead (no body). Values with
            a '/' and empty values are sent in the @base64 form.

            The body is checked before it is sent: it must parse, and samples must
            not carry timestamps (the Pushgateway refuses them).

            Examples:
              echo 'backup_last_success_seconds 1.7e9' | vigil push --job backup
              vigil push --job batch --label instance=db1 --label shard=a metrics.prom
              vigil push --job batch --method post --url http://pushgateway:9091 extra.prom
              vigil push --job batch --label instance=db1 --delete

            Exit codes: 0 accepted, 1 network or server failure (5xx), 2 bad usage,
            a body that does not parse, or a push the server refused (4xx).
            """
    )

    @Argument(help: ArgumentHelp("The exposition to push ('-' or omitted: standard input).", valueName: "file"))
    var file: String?

    @Option(help: "The job label of the group.")
    var job: String

    @Option(name: .customLong("label"), help: ArgumentHelp("A grouping label, NAME=VALUE (repeatable).", valueName: "name=value"))
    var labels: [String] = []

    @Option(help: "The server's base URL.")
    var url = "http://127.0.0.1:9470"

    @Option(help: "put (replace the group) or post (replace the families pushed).")
    var method: Method = .put

    @Flag(help: "Delete the group instead of pushing.")
    var delete = false

    @Option(help: "Give up after this many seconds.")
    var timeout: Int64 = 30

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case put, post
    }

    func validate() throws {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ValidationError("--url must be an http:// or https:// URL")
        }
        if delete && file != nil {
            throw ValidationError("--delete takes no file")
        }
        _ = try groupingKey()
    }

    /// The group named by `--job` and `--label`.
    func groupingKey() throws -> GroupingKey {
        var pairs = ["job": job]
        for label in labels {
            guard let equals = label.firstIndex(of: "="), equals != label.startIndex else {
                throw ValidationError("--label must be NAME=VALUE, got \(label)")
            }
            let name = String(label[..<equals])
            guard name != "job" else { throw ValidationError("set the job with --job, not --label job=...") }
            pairs[name] = String(label[label.index(after: equals)...])
        }
        do {
            return try GroupingKey(labels: pairs)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let key = try groupingKey()
        var request = HTTPClientRequest(url: url.trimmingSuffix("/") + key.path)
        request.headers.add(name: "User-Agent", value: "vigil/\(BuildInfo.version)")
        if delete {
            request.method = .DELETE
        } else {
            let name = file ?? "-"
            let bytes: [UInt8]
            do {
                bytes = try InputFile.read(name)
                let body = try PushBody.decode(bytes)
                if body.hasTimestamps {
                    StandardError.write("vigil: \(name == "-" ? "<stdin>" : name): samples must not carry timestamps when pushed\n")
                    throw VigilExit.badInput
                }
            } catch let error as PushgatewayError {
                StandardError.write("vigil: \(name == "-" ? "<stdin>" : name): \(error.message)\n")
                throw VigilExit.badInput
            } catch let error as InputFile.ReadError {
                StandardError.write("vigil: \(error)\n")
                throw VigilExit.badInput
            }
            request.method = method == .put ? .PUT : .POST
            request.headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        // Its own client: a refused connection should fail within seconds, not be retried until
        // the whole timeout has passed.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(min(timeout, 5)), read: .seconds(timeout))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let result: Result<(Int, String), any Error>
        do {
            let response = try await client.execute(request, timeout: .seconds(timeout))
            result = .success((Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 20))))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        guard case .success(let (status, answer)) = result else {
            if case .failure(let error) = result { StandardError.write("vigil: push to \(url) failed: \(error)\n") }
            throw VigilExit.failure
        }
        guard status >= 300 else { return }
        let message = answer.hasSuffix("\n") ? String(answer.dropLast()) : answer
        StandardError.write("vigil: \(url) answered HTTP \(status): \(message)\n")
        throw status < 500 ? VigilExit.badInput : VigilExit.failure
    }
}
