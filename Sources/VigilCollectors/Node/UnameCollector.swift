#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `uname`: `node_uname_info` labelled with the fields of `uname(2)`.
struct UnameCollector: Collector {
    let name = "uname"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        var names = utsname()
        guard uname(&names) == 0 else { throw .system(errno, path: "uname", operation: "uname") }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        #if os(Linux)
        let domain = text(names.__domainname)
        #else
        let domain = ""
        #endif
        context.sink.gauge(
            "node_uname_info", "Labeled system information as provided by the uname system call.", 1,
            [
                "sysname": text(names.sysname), "release": text(names.release), "version": text(names.version),
                "machine": text(names.machine), "nodename": text(names.nodename), "domainname": domain,
            ])
    }
}
