import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import VigilTestSupport

/// A real HTTP server on an ephemeral loopback port whose answers a test sets per path:
/// the in-process exporter the scrape tests scrape.
final class TestExporter: Sendable {
    struct Reply: Sendable {
        var status: HTTPResponse.Status = .ok
        var body: [UInt8] = []
        var contentType = "text/plain; version=0.0.4"
        var headers: [(String, String)] = []
        var delay: Duration? = nil

        static func text(_ text: String) -> Reply { Reply(body: Array(text.utf8)) }
    }

    struct Seen: Sendable {
        let path: String
        let query: String
        let headers: [String: String]
    }

    private let replies = Mutex<[String: Reply]>([:])
    private let seen = Mutex<[Seen]>([])
    let port: Int

    private init(port: Int) {
        self.port = port
    }

    /// Sets what `path` answers.
    func set(_ path: String, _ reply: Reply) {
        replies.withLock { $0[path] = reply }
    }

    /// The requests received so far.
    var requests: [Seen] { seen.withLock { $0 } }

    var address: String { "127.0.0.1:\(port)" }

    /// Runs an exporter for the duration of `body`.
    static func with<T>(_ body: (TestExporter) async throws -> T) async throws -> T {
        let holder = Mutex<TestExporter?>(nil)
        let router = Router()
        router.get("**") { request, _ -> Response in
            guard let exporter = holder.withLock({ $0 }) else { return Response(status: .serviceUnavailable) }
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            exporter.seen.withLock {
                $0.append(Seen(path: request.uri.path, query: request.uri.query ?? "", headers: headers))
            }
            guard let reply = exporter.replies.withLock({ $0[request.uri.path] }) else {
                return Response(status: .notFound)
            }
            if let delay = reply.delay { try await Task.sleep(for: delay) }
            var fields = HTTPFields()
            fields[.contentType] = reply.contentType
            for (name, value) in reply.headers { fields[HTTPField.Name(name)!] = value }
            return Response(status: reply.status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: reply.body)))
        }
        return try await LoopbackHTTPServer.run(router) { port in
            let exporter = TestExporter(port: port)
            holder.withLock { $0 = exporter }
            return try await body(exporter)
        }
    }


}

/// A gzip member holding `bytes` in stored (uncompressed) deflate blocks: valid gzip any
/// decompressor must accept, built without a compressor.
func gzipStored(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
    var offset = 0
    repeat {
        let count = min(65535, bytes.count - offset)
        let final: UInt8 = offset + count == bytes.count ? 1 : 0
        out.append(final)
        out.append(UInt8(count & 0xff))
        out.append(UInt8(count >> 8))
        out.append(UInt8(~count & 0xff))
        out.append(UInt8((~count >> 8) & 0xff))
        out.append(contentsOf: bytes[offset..<(offset + count)])
        offset += count
    } while offset < bytes.count
    var crc: UInt32 = 0xffff_ffff
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xedb8_8320 : crc >> 1 }
    }
    crc ^= 0xffff_ffff
    for value in [crc, UInt32(truncatingIfNeeded: bytes.count)] {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    return out
}
