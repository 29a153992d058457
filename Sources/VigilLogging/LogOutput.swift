#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where log lines go: a file descriptor written with one `write(2)` per line, so lines from
/// concurrent tasks never interleave.
public struct LogOutput: Sendable {
    let fileDescriptor: Int32

    /// The process's standard error, where Prometheus logs too.
    public static let standardError = LogOutput(fileDescriptor: 2)
    /// The process's standard output.
    public static let standardOutput = LogOutput(fileDescriptor: 1)

    /// Writes `line` (its own newline included) whole, retrying interrupted writes.
    public func write(_ line: String) {
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = sysWrite(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

#if canImport(Darwin)
private let sysWrite = Darwin.write
#elseif canImport(Musl)
private let sysWrite = Musl.write
#else
private let sysWrite = Glibc.write
#endif
