import VigilModel
import Logging
import VigilConfig
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tails the files one `type: file` input matches: discovers them by glob, follows them across
/// rename and copytruncate rotation, and reads whole lines in chunks (see docs/LOGS.md).
///
/// Not thread-safe: one task owns it and calls ``discover(now:)`` and ``read(now:frameBytes:budget:)``.
final class FileTailer {
    let config: FileInputConfig
    let logger: Logger
    let metrics: LogsMetrics.Input
    /// The input's processors; nil when it has none.
    let chain: LogProcessorChain?
    /// Open files by device and inode.
    private(set) var files: [InodeKey: TailedFile] = [:]
    /// Where every known file was read up to (open ones and recently released ones).
    private(set) var checkpoints: [InodeKey: FileCheckpoint] = [:]
    /// Released files' checkpoints, and when they were released (kept a minute, then forgotten).
    private var released: [InodeKey: ContinuousClock.Instant] = [:]
    /// Fingerprints of truncated files and where they had been read to, for finding their copies.
    private var ghosts: [(fingerprint: UInt64, offset: Int64, labelPath: String, at: ContinuousClock.Instant)] = []
    private var generation = 0
    /// Whether the next discovery is the first one ever for this input (no positions existed).
    private var isInitialScan: Bool
    private var recovered = false
    private var buffer: [UInt8] = []

    /// A tailer for `config`, resuming from `checkpoints` (of this input); `isFirstStart` when no
    /// positions file existed, so `read_from_head: false` applies to the files found now.
    init(
        config: FileInputConfig, checkpoints: [FileCheckpoint], isFirstStart: Bool, metrics: LogsMetrics.Input,
        chain: LogProcessorChain? = nil, logger: Logger
    ) {
        self.config = config
        self.chain = chain.flatMap { $0.isEmpty ? nil : $0 }
        self.logger = logger
        self.metrics = metrics
        self.isInitialScan = isFirstStart
        for checkpoint in checkpoints { self.checkpoints[checkpoint.identity.inodeKey] = checkpoint }
    }

    private func makeAssembler() -> LineAssembler {
        LineAssembler(format: config.format, maxLineSize: Int(config.maxLineSize.bytes))
    }

    // MARK: Discovery

    /// The paths the input's globs match now, minus excluded and compressed files.
    func matchedPaths() -> [String] {
        var excluded: Set<String> = []
        for pattern in config.exclude { excluded.formUnion((try? Glob.expand(pattern)) ?? []) }
        var seen: Set<String> = []
        var paths: [String] = []
        for pattern in config.paths {
            for path in (try? Glob.expand(pattern)) ?? [] where !excluded.contains(path) && seen.insert(path).inserted {
                if !PosixFile.isCompressed(path) { paths.append(path) }
            }
        }
        return paths
    }

    /// Finds new files, notices renamed and deleted ones, lets go of drained rotated ones.
    func discover(now: ContinuousClock.Instant) {
        let paths = matchedPaths()
        let isFirstDiscovery = !recovered
        if isFirstDiscovery {
            recovered = true
            recover(matched: Set(paths))
        }
        var seen: Set<InodeKey> = []
        for path in paths {
            guard let status = PosixFile.status(path: path), status.isRegular else { continue }
            if let file = files[status.key] {
                seen.insert(status.key)
                file.path = path
                file.isRotated = false
                file.idleSince = nil
                continue
            }
            if seen.contains(status.key) { continue }
            if open(path: path, status: status, rotated: false) { seen.insert(status.key) }
        }
        isInitialScan = false
        for (key, file) in files where !seen.contains(key) && !file.isRotated {
            file.isRotated = true
            logger.debug("File rotated or removed; draining it", metadata: ["path": "\(file.path)"])
        }
        if isFirstDiscovery {
            // Checkpoints of files that are gone (or no longer matched) are forgotten.
            for key in checkpoints.keys where files[key] == nil { checkpoints[key] = nil }
        }
        releaseDrained(now: now)
        ghosts.removeAll { now - $0.at > .seconds(60) }
        for (key, at) in released where now - at > .seconds(60) {
            released[key] = nil
            if files[key] == nil { checkpoints[key] = nil }
        }
        metrics.files.set(Double(files.count))
    }

    /// Opens `path`; false when its first line is not complete yet (it is looked at again next scan).
    @discardableResult
    private func open(path: String, status: PosixFile.Status, rotated: Bool, continuing: FileCheckpoint? = nil) -> Bool {
        guard let descriptor = PosixFile.openForReading(path) else {
            logger.warning("Cannot open a log file", metadata: ["path": "\(path)"])
            return false
        }
        guard let identity = PosixFile.identity(of: descriptor, key: status.key) else {
            PosixFile.close(descriptor)
            return false
        }
        var offset: Int64 = 0
        var labelPath = path
        if let known = checkpoints[status.key], known.identity == identity {
            offset = known.offset <= status.size ? known.offset : 0
            labelPath = known.labelPath
        } else if let continuing {
            offset = min(continuing.offset, status.size)
            labelPath = continuing.labelPath
        } else if let copy = copySource(of: identity) {
            // A copy made by copytruncate: its head was read from the original already.
            offset = min(copy.offset, status.size)
            labelPath = copy.labelPath
        } else if isInitialScan && !config.readFromHead {
            offset = PosixFile.lastLineEnd(descriptor, size: status.size)
        }
        generation += 1
        let file = TailedFile(
            descriptor: descriptor, identity: identity, key: status.key, path: path, labelPath: labelPath, offset: offset,
            assembler: makeAssembler(), generation: generation)
        file.processing = chain?.fileState(path: labelPath)
        file.isRotated = rotated
        files[status.key] = file
        released[status.key] = nil
        checkpoints[status.key] = FileCheckpoint(
            input: config.name, identity: identity, offset: offset, path: path, labelPath: labelPath)
        logger.debug("Tailing a file", metadata: ["path": "\(path)", "offset": "\(offset)"])
        return true
    }

    /// The read state of another file with the same first line: an open original or a truncated one.
    private func copySource(of identity: FileIdentity) -> (offset: Int64, labelPath: String)? {
        for file in files.values where file.key != identity.inodeKey && file.identity?.fingerprint == identity.fingerprint {
            return (file.committedOffset, file.labelPath)
        }
        if let ghost = ghosts.last(where: { $0.fingerprint == identity.fingerprint }) {
            return (ghost.offset, ghost.labelPath)
        }
        return nil
    }

    /// At start, for each checkpoint: a file still at its path is left to discovery (or drained,
    /// when no glob matches it any more); a file renamed while Vigil was down, or the copy
    /// copytruncate left of it, is found in the same directory by inode or first line and drained
    /// from the checkpoint's offset.
    private func recover(matched: Set<String>) {
        for (key, checkpoint) in checkpoints where files[key] == nil {
            if let status = PosixFile.status(path: checkpoint.path), status.key == key,
               let descriptor = PosixFile.openForReading(checkpoint.path)
            {
                let identity = PosixFile.identity(of: descriptor, key: key)
                PosixFile.close(descriptor)
                if identity == checkpoint.identity {
                    if !matched.contains(checkpoint.path) {
                        open(path: checkpoint.path, status: status, rotated: true, continuing: checkpoint)
                        openUnseenGenerations(of: checkpoint, newerThan: status, matched: matched)
                    }
                    continue
                }
            }
            if let file = findInDirectory(checkpoint) {
                logger.info("Draining a file rotated while stopped", metadata: [
                    "path": "\(file.path)", "was": "\(checkpoint.path)", "offset": "\(checkpoint.offset)",
                ])
                open(path: file.path, status: file.status, rotated: true, continuing: checkpoint)
                openUnseenGenerations(of: checkpoint, newerThan: file.status, matched: matched)
            }
        }
    }

    /// Rotated generations of a file that were created and rotated away while Vigil was down: files
    /// beside its original path named `<name>.<suffix>`, no glob matches, never seen, and written after the
    /// generation the checkpoint names stopped changing. Read from their start, oldest first, under
    /// the same `filename`, before the current file.
    private func openUnseenGenerations(of checkpoint: FileCheckpoint, newerThan anchor: PosixFile.Status, matched: Set<String>) {
        // Generations are named after the file's original name, the one its `filename` label keeps.
        let original = checkpoint.labelPath
        let slash = original.lastIndex(of: "/")
        let directory = slash.map { String(original[..<$0]) } ?? "."
        let base = slash.map { String(original[original.index(after: $0)...]) } ?? original
        var found: [(path: String, status: PosixFile.Status)] = []
        let knownFingerprints = Set(checkpoints.values.map(\.identity.fingerprint))
            .union(files.values.compactMap { $0.identity?.fingerprint })
        for name in PosixFile.names(in: directory.isEmpty ? "/" : directory) where name.hasPrefix(base + ".") {
            let path = (directory.isEmpty ? "" : directory) + "/" + name
            guard !matched.contains(path), let status = PosixFile.status(path: path), status.isRegular,
                  status.modified > anchor.modified, files[status.key] == nil, checkpoints[status.key] == nil,
                  !PosixFile.isCompressed(path), let descriptor = PosixFile.openForReading(path)
            else { continue }
            let identity = PosixFile.identity(of: descriptor, key: status.key)
            PosixFile.close(descriptor)
            // A copy (copytruncate) of content a checkpoint already covers is resumed from that
            // checkpoint, by its own recovery, not read again from its start.
            guard let identity, !knownFingerprints.contains(identity.fingerprint) else { continue }
            found.append((path, status))
        }
        for file in found.sorted(by: { $0.status.modified < $1.status.modified }) {
            logger.info("Reading a generation rotated away while stopped", metadata: ["path": "\(file.path)"])
            var start = checkpoint
            start.offset = 0
            open(path: file.path, status: file.status, rotated: true, continuing: start)
        }
    }

    private func findInDirectory(_ checkpoint: FileCheckpoint) -> (path: String, status: PosixFile.Status)? {
        let directory = checkpoint.path.lastIndex(of: "/").map { String(checkpoint.path[..<$0]) } ?? "."
        var byFingerprint: (String, PosixFile.Status)?
        for name in PosixFile.names(in: directory.isEmpty ? "/" : directory) {
            let path = (directory.isEmpty ? "" : directory) + "/" + name
            guard let status = PosixFile.status(path: path), status.isRegular, files[status.key] == nil,
                  !PosixFile.isCompressed(path)
            else { continue }
            guard let descriptor = PosixFile.openForReading(path) else { continue }
            let identity = PosixFile.identity(of: descriptor, key: status.key)
            PosixFile.close(descriptor)
            guard identity?.fingerprint == checkpoint.identity.fingerprint else { continue }
            if status.key == checkpoint.identity.inodeKey { return (path, status) }
            byFingerprint = byFingerprint ?? (path, status)
        }
        return byFingerprint
    }

    private func releaseDrained(now: ContinuousClock.Instant) {
        for (key, file) in files where file.isRotated {
            guard let idle = file.idleSince, now - idle >= config.rotateWait.duration else { continue }
            // Held multiline lines are sent (flush timeout) before the file is let go.
            guard file.processing?.heldResumeOffset == nil else { continue }
            logger.debug("Released a drained rotated file", metadata: ["path": "\(file.path)"])
            files[key] = nil
            released[key] = now
        }
    }

    // MARK: Reading

    /// Reads what the open files hold, oldest file of each label first, as chunks of at most
    /// about `frameBytes` bytes, stopping after `budget` bytes. Returns whether data is left.
    func read(now: ContinuousClock.Instant, frameBytes: Int, budget: Int, into chunks: inout [TailChunk]) -> Bool {
        let size = max(frameBytes, Int(config.maxLineSize.bytes) + 1)
        if buffer.count != size { buffer = [UInt8](repeating: 0, count: size) }
        var remaining = budget
        var undrained: Set<String> = []
        var more = false
        let wallNow = WallClock.nanoseconds()
        for file in files.values.sorted(by: { $0.generation < $1.generation }) {
            if undrained.contains(file.labelPath) || remaining <= 0 {
                more = true
                continue
            }
            let atEnd = readFile(file, now: now, wallNow: wallNow, budget: &remaining, into: &chunks)
            if !atEnd {
                undrained.insert(file.labelPath)
                more = true
            }
        }
        flushExpired(now: now, into: &chunks)
        return more
    }

    /// Sends the multiline events whose flush timeout passed, with the checkpoints they release.
    private func flushExpired(now: ContinuousClock.Instant, into chunks: inout [TailChunk]) {
        for file in files.values.sorted(by: { $0.generation < $1.generation }) where file.identity != nil {
            guard var processing = file.processing, processing.heldResumeOffset != nil else { continue }
            var records: [LogRecord] = []
            let before = file.committedOffset
            processing.flushExpired(now: now, into: &records)
            file.processing = processing
            file.committedOffset = min(file.assembledOffset, processing.heldResumeOffset ?? .max)
            if !records.isEmpty || file.committedOffset != before {
                chunks.append(TailChunk(checkpoint: checkpoint(of: file), records: records))
            }
        }
    }

    /// Reads one file; true when it is at its end (nothing more to read now).
    private func readFile(
        _ file: TailedFile, now: ContinuousClock.Instant, wallNow: Int64, budget: inout Int, into chunks: inout [TailChunk]
    ) -> Bool {
        guard let status = PosixFile.status(descriptor: file.descriptor) else { return true }
        if file.identity == nil {
            file.identity = PosixFile.identity(of: file.descriptor, key: file.key)
            guard file.identity != nil else { return true }
        }
        if status.size < file.readOffset || !PosixFile.stillMatches(file.descriptor, file.identity!) {
            truncated(file, now: now)
            return false
        }
        guard status.size > file.readOffset else {
            if file.isRotated && file.idleSince == nil { file.idleSince = now }
            return true
        }
        file.idleSince = nil
        while budget > 0 {
            let count = buffer.withUnsafeMutableBytes { PosixFile.read(file.descriptor, into: $0, offset: file.readOffset) }
            if count < 0 {
                logger.warning("Cannot read a log file", metadata: ["path": "\(file.path)", "offset": "\(file.readOffset)"])
                return true
            }
            if count == 0 { return true }
            let before = file.committedOffset
            var records: [LogRecord] = []
            let consumed = buffer.withUnsafeBytes { bytes in
                split(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), file: file, now: now, wallNow: wallNow, into: &records)
            }
            budget -= max(consumed, 1)
            metrics.linesRead.increment(by: Double(records.count))
            if !records.isEmpty || file.committedOffset != before {
                chunks.append(TailChunk(checkpoint: checkpoint(of: file), records: records))
            }
            if count < buffer.count || consumed == 0 { return true }
        }
        return false
    }

    /// Splits whole lines off `bytes` (read at the file's offset) and advances the offsets.
    /// Returns how many bytes were consumed.
    private func split(
        _ bytes: UnsafeRawBufferPointer, file: TailedFile, now: ContinuousClock.Instant, wallNow: Int64,
        into records: inout [LogRecord]
    ) -> Int {
        var start = 0
        let newline = UInt8(ascii: "\n")
        let maxLine = Int(config.maxLineSize.bytes)
        let base = file.readOffset
        var assembler = file.assembler
        var processing = file.processing
        var assembled: [LogRecord] = []
        let errorsBefore = assembler.parseErrors
        let truncatedBefore = assembler.truncated
        defer {
            metrics.parseErrors.increment(by: Double(assembler.parseErrors - errorsBefore))
            metrics.linesTruncated.increment(by: Double(assembler.truncated - truncatedBefore))
            file.assembler = assembler
            file.processing = processing
            file.readOffset = base + Int64(start)
        }
        while start < bytes.count {
            guard let end = Self.index(of: newline, in: bytes, from: start) else {
                // No newline yet: hold the partial line, unless it is already too long.
                guard bytes.count - start > maxLine else { break }
                if !file.skippingLongLine {
                    records.append(LogRecord(timestamp: wallNow, line: Array(bytes[start..<(start + maxLine)])))
                    metrics.linesTruncated.increment()
                    file.skippingLongLine = true
                }
                start = bytes.count
                break
            }
            if file.skippingLongLine {
                file.skippingLongLine = false
            } else {
                if processing == nil {
                    assembler.take(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), now: wallNow, into: &records)
                } else {
                    // Reading again from where the assembler last held nothing yields these records again.
                    let resume = file.assembledOffset
                    assembler.take(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), now: wallNow, into: &assembled)
                    for record in assembled { processing!.take(record, resumeOffset: resume, now: now, into: &records) }
                    assembled.removeAll(keepingCapacity: true)
                }
            }
            start = end + 1
            if assembler.isEmpty { file.assembledOffset = base + Int64(start) }
            file.committedOffset = min(file.assembledOffset, processing?.heldResumeOffset ?? .max)
        }
        return start
    }

    /// The first position of `byte` in `bytes` at or after `start`, by `memchr` (which compares
    /// many bytes per instruction; a byte-by-byte search was most of the line split's time).
    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    private func checkpoint(of file: TailedFile) -> FileCheckpoint {
        let checkpoint = FileCheckpoint(
            input: config.name, identity: file.identity!, offset: file.committedOffset, path: file.path,
            labelPath: file.labelPath)
        checkpoints[file.key] = checkpoint
        return checkpoint
    }

    /// The file shrank below what was read, or its first line changed: it was truncated
    /// (copytruncate). Its copy, if one sits beside it, is read from where this file was; this
    /// file is read again from its start.
    private func truncated(_ file: TailedFile, now: ContinuousClock.Instant) {
        logger.info("File truncated; reading it from its start", metadata: ["path": "\(file.path)", "offset": "\(file.committedOffset)"])
        if let identity = file.identity {
            ghosts.append((identity.fingerprint, file.committedOffset, file.labelPath, now))
            let state = FileCheckpoint(
                input: config.name, identity: identity, offset: file.committedOffset, path: file.path, labelPath: file.labelPath)
            if let copy = findInDirectory(state) {
                open(path: copy.path, status: copy.status, rotated: true, continuing: state)
                // The copy holds the older lines: read it before what is written anew here.
                if let opened = files[copy.status.key] {
                    swap(&opened.generation, &file.generation)
                }
            }
        }
        file.identity = nil
        file.readOffset = 0
        file.committedOffset = 0
        file.skippingLongLine = false
        file.assembledOffset = 0
        file.assembler.reset()
        file.processing?.reset()
        checkpoints[file.key] = nil
    }
}
