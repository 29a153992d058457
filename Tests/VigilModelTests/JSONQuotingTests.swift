import Foundation
import Testing
import VigilModel
import VigilTestSupport

/// The byte-level JSON string writer (log lines at output speed) against the String one, and
/// against a real JSON decoder.
@Suite struct JSONQuotingTests {
    static func viaString(_ bytes: [UInt8]) -> [UInt8] {
        var text = ""
        JSONQuoting.append(String(decoding: bytes, as: UTF8.self), to: &text)
        return Array(text.utf8)
    }

    @Test func bytesAreQuotedExactlyAsTheStringWriterQuotesThem() throws {
        let samples: [[UInt8]] = [
            [], Array(#"{"level":"info","msg":"a \"quoted\" \\ word"}"#.utf8), Array("tab\there\nnew\r\u{8}\u{c}".utf8),
            [0x00, 0x1f, 0x7f, 0x20], Array("héllo wörld ✓ 🚀".utf8), [0xff, 0xfe, 0x41], [0xe2, 0x82], [0xc3, 0x28, 0x41],
        ]
        var random = SplitMix64(seed: 11)
        var fuzzed = samples
        for round in 0..<2000 {
            // Some long enough to cross the escaper's 1,024-byte blocks, with escapes at the seams.
            let length = round % 50 == 0 ? 1000 + Int(random.next() % 3000) : Int(random.next() % 40)
            fuzzed.append((0..<length).map { _ in
                // Mostly ASCII with controls and quotes, sometimes any byte.
                let roll = random.next() % 10
                return roll < 7 ? UInt8(random.next() % 0x80) : UInt8(truncatingIfNeeded: random.next())
            })
        }
        for bytes in fuzzed {
            var out: [UInt8] = [0x2a]
            JSONQuoting.append(utf8: bytes, to: &out)
            #expect(Array(out.dropFirst()) == Self.viaString(bytes), "\(bytes)")
            let decoded = try JSONSerialization.jsonObject(with: Data(out.dropFirst()), options: [.fragmentsAllowed]) as? String
            #expect(decoded == String(decoding: bytes, as: UTF8.self))
        }
        var named: [UInt8] = []
        JSONQuoting.append("pod_label_app.kubernetes.io/name", to: &named)
        #expect(String(decoding: named, as: UTF8.self) == #""pod_label_app.kubernetes.io/name""#)
    }
}
