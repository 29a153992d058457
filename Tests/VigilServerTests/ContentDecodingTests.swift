import Testing
import VigilHTTPClient

/// Request bodies compressed as Go clients send them: decoded exactly, bounded, never a crash.
@Suite struct ContentDecodingTests {
    static let text = String(repeating: "GET /orders 200 12ms user=alice\n", count: 200)

    static func compressed(_ format: Zlib.Format, _ text: String = text) -> [UInt8] {
        Zlib.deflate(Array(text.utf8), format: format)
    }

    /// `gzip.compress(b"hello from python gzip\n" * 3, mtime=0)` and the same as raw DEFLATE,
    /// written by CPython's zlib: an encoder other than the one under test.
    static let pythonGzip: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 87, 72, 43, 202, 207, 85, 40, 168, 44, 201, 200, 207,
        83, 72, 175, 202, 44, 224, 202, 32, 73, 24, 0, 142, 3, 218, 39, 69, 0, 0, 0,
    ]
    static let pythonRawDeflate: [UInt8] = [
        203, 72, 205, 201, 201, 87, 72, 43, 202, 207, 85, 40, 168, 44, 201, 200, 207, 83, 72, 175, 202, 44, 224, 202,
        32, 73, 24, 0,
    ]
    static let pythonText = String(repeating: "hello from python gzip\n", count: 3)

    @Test func bodiesFromAnotherEncoderDecode() throws {
        let gzip = try ContentDecoding.decode(Self.pythonGzip, contentEncoding: "gzip", maxBytes: 100)
        #expect(String(decoding: gzip, as: UTF8.self) == Self.pythonText)
        let raw = try ContentDecoding.decode(Self.pythonRawDeflate, contentEncoding: "deflate", maxBytes: 100)
        #expect(String(decoding: raw, as: UTF8.self) == Self.pythonText)
        // Two gzip members back to back read as one body, as Go's gzip reader does.
        let twice = try ContentDecoding.decode(Self.pythonGzip + Self.pythonGzip, contentEncoding: "gzip", maxBytes: 200)
        #expect(String(decoding: twice, as: UTF8.self) == Self.pythonText + Self.pythonText)
    }

    @Test func gzipDeflateAndZlibBodiesDecodeToTheOriginal() throws {
        let gzip = Self.compressed(.gzip)
        let raw = Self.compressed(.raw)
        let zlib = Self.compressed(.zlib)
        #expect(gzip.count < Self.text.utf8.count / 10)
        for (body, encoding) in [(gzip, "gzip"), (gzip, " X-GZIP "), (raw, "deflate"), (zlib, "Deflate")] {
            let decoded = try ContentDecoding.decode(body, contentEncoding: encoding, maxBytes: 1 << 20)
            #expect(String(decoding: decoded, as: UTF8.self) == Self.text, "\(encoding)")
        }
        let plain = Array("as is".utf8)
        #expect(try ContentDecoding.decode(plain, contentEncoding: "", maxBytes: 1) == plain)
        #expect(try ContentDecoding.decode(plain, contentEncoding: "identity", maxBytes: 1) == plain)
    }

    @Test func aBodyThatDecodesPastTheLimitIsRefused() throws {
        // 1 MiB of zeros compresses to about a kilobyte: the limit applies to the decoded size.
        let bomb = Self.compressed(.gzip, String(repeating: "\0", count: 1 << 20))
        #expect(bomb.count < 4096)
        #expect(throws: ContentDecoding.Failure.tooLarge(limit: 65536)) {
            try ContentDecoding.decode(bomb, contentEncoding: "gzip", maxBytes: 65536)
        }
        let exact = Self.compressed(.gzip, String(repeating: "a", count: 1000))
        #expect(try ContentDecoding.decode(exact, contentEncoding: "gzip", maxBytes: 1000).count == 1000)
    }

    @Test func unknownEncodingsAndCorruptBodiesAreTypedErrors() throws {
        #expect(throws: ContentDecoding.Failure.unsupported("br")) {
            try ContentDecoding.decode(Array("x".utf8), contentEncoding: "br", maxBytes: 10)
        }
        #expect(!ContentDecoding.isSupported("zstd"))
        #expect(ContentDecoding.isSupported("GZIP"))
        var thrown: [ContentDecoding.Failure] = []
        let truncated = Array(Self.pythonGzip.dropLast(9))
        for body in [[], Array("not gzip at all".utf8), truncated] {
            do {
                _ = try ContentDecoding.decode(body, contentEncoding: "gzip", maxBytes: 1 << 20)
            } catch {
                thrown.append(error)
            }
        }
        #expect(thrown.count == 3)
        for failure in thrown {
            guard case .corrupt(let encoding, _) = failure else {
                Issue.record("expected .corrupt, got \(failure)")
                continue
            }
            #expect(encoding == "gzip")
        }
    }

    /// Truncated, bit-flipped and random bodies: each decodes to something bounded or throws.
    @Test func mutatedAndRandomBodiesNeverCrash() throws {
        var generator = SystemRandomNumberGenerator()
        let original = Self.compressed(.gzip)
        var truncatedAccepted = 0
        for round in 0..<2000 {
            var bytes = original
            switch round % 4 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &generator)))
            case 1:
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                }
            case 2: bytes = (0..<Int.random(in: 0..<300, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            default: bytes = Array(bytes.prefix(10)) + (0..<50).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            for encoding in ["gzip", "deflate"] {
                if let decoded = try? ContentDecoding.decode(bytes, contentEncoding: encoding, maxBytes: 1 << 16) {
                    #expect(decoded.count <= 1 << 16)
                    if round % 4 == 0 && encoding == "gzip" { truncatedAccepted += 1 }
                    _ = decoded
                }
            }
        }
        // A cut gzip body lacks its CRC and length trailer: it is an error, never a silent partial body.
        #expect(truncatedAccepted == 0)
    }
}
