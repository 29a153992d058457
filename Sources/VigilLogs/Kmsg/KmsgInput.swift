#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging
import VigilModel
import VigilConfig

/// A `type: kmsg` input: reads the kernel log from `/dev/kmsg` (or any file or fifo in its
/// format), labels each record with `facility` and `level`, stamps it with boot time + its
/// microseconds, and checkpoints the newest sequence number buffered together with the boot id.
///
/// After a restart in the same boot, records up to the checkpoint are skipped, so none is
/// repeated and none lost (unless the ring buffer overwrote it meanwhile: counted as
/// `reason="overwritten"`). In a new boot everything the ring buffer holds is read.
struct KmsgInput: PushedInput {
    let config: KmsgInputConfig
    let context: InputContext
    /// Where the pipeline's checkpoint says reading got to.
    let checkpoint: (bootID: String, sequence: UInt64)?
    /// Wall-clock nanoseconds at boot; computed from the clocks unless a test gives it.
    let bootTime: Int64?

    /// How long to wait when nothing is there to read.
    static let pollInterval = Duration.milliseconds(200)
    /// A batch this large is written without waiting to catch up.
    static let flushBytes = 1 << 20

    init(config: KmsgInputConfig, context: InputContext, checkpoint: InputCheckpoint?, bootTime: Int64? = nil) {
        self.config = config
        self.context = context
        if case .kmsg(_, let bootID, let sequence) = checkpoint {
            self.checkpoint = (bootID, sequence)
        } else {
            self.checkpoint = nil
        }
        self.bootTime = bootTime
    }

    /// Wall-clock time minus time since boot.
    static func currentBootTime() -> Int64 {
        var monotonic = timespec()
        clock_gettime(CLOCK_MONOTONIC, &monotonic)
        return WallClock.nanoseconds() - (Int64(monotonic.tv_sec) * 1_000_000_000 + Int64(monotonic.tv_nsec))
    }

    func run() async throws {
        guard let bootIDBytes = PosixFile.contents(config.bootIDPath) else {
            throw LogsError("kmsg input \(config.name): cannot read the boot id from \(config.bootIDPath): \(PosixFile.errorText())")
        }
        let bootID = String(decoding: bootIDBytes, as: UTF8.self).filter { !$0.isWhitespace }
        let descriptor = open(config.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let reason = PosixFile.errorText()
            throw LogsError(
                "kmsg input \(config.name): cannot open \(config.path): \(reason)"
                    + (errno == EACCES || errno == EPERM ? " (reading the kernel log needs root or CAP_SYSLOG)" : ""))
        }
        defer { PosixFile.close(descriptor) }
        let bootTime = bootTime ?? Self.currentBootTime()
        var skipThrough: UInt64? = checkpoint.flatMap { $0.bootID == bootID ? $0.sequence : nil }
        var lastSequence = skipThrough
        context.logger.info("Kernel log input started", metadata: [
            "input": "\(config.name)", "path": "\(config.path)",
            "resume_after": "\(skipThrough.map(String.init) ?? "start of the ring buffer")",
        ])
        var pending: [UInt8] = []
        var batch = RecordBatch(baseLabels: config.labels, ordered: true, chain: context.chain)
        var readBuffer = [UInt8](repeating: 0, count: 16 << 10)
        while !Task.isCancelled {
            let count = readBuffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                switch errno {
                case EINTR:
                    continue
                case EPIPE:
                    // The ring buffer overwrote records before they were read: the next read resumes.
                    context.reject("overwritten", "\(config.path): records were overwritten before being read")
                    continue
                case EAGAIN:
                    break
                default:
                    throw LogsError("kmsg input \(config.name): reading \(config.path): \(PosixFile.errorText())")
                }
            } else if count > 0 {
                pending.append(contentsOf: readBuffer[0..<count])
                var lineStart = 0
                while let newline = pending[lineStart...].firstIndex(of: 0x0a) {
                    let line = pending[lineStart..<newline]
                    lineStart = newline + 1
                    // Dictionary lines (` KEY=value`) belong to the record before them.
                    guard let first = line.first, first != 0x20 else { continue }
                    do {
                        let record = try KmsgRecord.parse(line)
                        if let skip = skipThrough {
                            if record.sequence <= skip { continue }
                            skipThrough = nil
                        }
                        if let last = lastSequence, record.sequence > last + 1 {
                            context.metrics.rejected("overwritten")?.increment(by: Double(record.sequence - last - 1))
                        }
                        lastSequence = record.sequence
                        context.metrics.linesRead.increment()
                        let timestamp = bootTime + Int64(clamping: record.microseconds) * 1000
                        batch.add(
                            LogRecord(timestamp: timestamp, line: record.message),
                            labels: ["facility": record.priority.facilityName, "level": record.priority.severityName],
                            checkpoint: .kmsg(input: config.name, bootID: bootID, sequence: record.sequence))
                    } catch {
                        context.reject("malformed", "\(config.path): \(error)")
                    }
                }
                pending.removeFirst(lineStart)
                // A record is at most a few KiB; a megabyte without a newline is not this format.
                if pending.count > 1 << 20 {
                    context.reject("malformed", "\(config.path): 1 MiB without a newline; skipped")
                    pending.removeAll()
                }
                if batch.bytes < Self.flushBytes { continue }
            }
            if !batch.isEmpty {
                await context.waitUntilWritable()
                try context.writer.append(batch.take())
            }
            if count <= 0 { try? await Task.sleep(for: Self.pollInterval) }
        }
        if !batch.isEmpty { try context.writer.append(batch.take()) }
    }
}
