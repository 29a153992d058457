#if canImport(Glibc)
import Glibc
import Testing
import VigilPromQL

/// The depth limit must keep parsing, checking and printing within a modest thread stack:
/// 4 MiB in debug builds (frames there are several times larger), 512 KiB in release.
struct StackDepthTests {
    final class Box: @unchecked Sendable {
        var queries: [String] = []
        var results: [Bool] = []
    }

    @Test func deepestAllowedQueriesFitInASmallStack() {
        let depth = PromQL.ParseOptions().maximumDepth
        let box = Box()
        box.queries = [
            String(repeating: "(", count: depth - 1) + "1" + String(repeating: ")", count: depth - 1),
            String(repeating: "abs(", count: depth - 1) + "foo" + String(repeating: ")", count: depth - 1),
            String(repeating: "sum(", count: depth - 1) + "foo" + String(repeating: ")", count: depth - 1),
            String(repeating: "-(", count: depth / 2 - 1) + "foo" + String(repeating: ")", count: depth / 2 - 1),
            "2" + String(repeating: " ^ 2", count: depth - 1),
            String(repeating: "(", count: depth + 5) + "1" + String(repeating: ")", count: depth + 5),
        ]
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        #if DEBUG
        pthread_attr_setstacksize(&attributes, 4 * 1024 * 1024)
        #else
        pthread_attr_setstacksize(&attributes, 512 * 1024)
        #endif
        var thread = pthread_t()
        let context = Unmanaged.passRetained(box).toOpaque()
        let status = pthread_create(&thread, &attributes, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            for query in box.queries {
                print("q \(query.prefix(8)) \(query.count)")
                if let expr = try? PromQL.parse(query) {
                    box.results.append((try? PromQL.parse(expr.description)) == expr)
                } else {
                    box.results.append(false)
                }
            }
            return nil
        }, context)
        #expect(status == 0)
        pthread_join(thread, nil)
        #expect(box.results == [true, true, true, true, true, false])
    }
}
#endif
