#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The pushed groups on disk (docs/formats/pushgateway.md): `groups.json`, a snapshot written
/// atomically (temp file, fsync, rename, fsync of the directory), and `groups.journal`, one JSON
/// line per change since, fdatasync'ed before the change is acknowledged.
///
/// A push costs one journal line the size of its group, not a rewrite of every group. When the
/// journal outgrows the snapshot (and 4 MiB) it is folded into a new snapshot and emptied. Used by
/// ``PushgatewayStore`` only, from its isolation.
final class PushgatewayFiles {
    /// What ``load()`` found.
    struct Loaded {
        var groups: [GroupingKey: PushedGroup] = [:]
        /// Damage found and what was done about it, for the log.
        var problems: [String] = []
        /// Files renamed out of the way because they could not be read.
        var movedAside: [String] = []
    }

    let directory: String
    private var snapshotPath: String { directory + "/groups.json" }
    private var journalPath: String { directory + "/groups.journal" }
    private var journal: Int32 = -1
    private var journalBytes = 0
    private var snapshotBytes = 0
    private let minimumCompaction: Int

    /// Files in `directory`, which must exist. The journal is opened by ``load()``.
    init(directory: String, minimumCompaction: Int = 4 << 20) {
        self.directory = directory
        self.minimumCompaction = minimumCompaction
    }

    deinit {
        if journal >= 0 { close(journal) }
    }

    /// Reads the snapshot and replays the journal; then writes a fresh snapshot if the journal held
    /// anything and opens an empty journal. Unreadable files are moved aside (`.corrupt-<time>`),
    /// never fatal: what could be read is kept. A journal line cut short by a crash (no newline) is
    /// dropped; it was never acknowledged.
    func load() -> Loaded {
        var loaded = Loaded()
        if let bytes = readIfPresent(snapshotPath, into: &loaded) {
            do {
                let snapshot = try JSONDecoder().decode(PushgatewayRecords.Snapshot.self, from: Data(bytes))
                guard snapshot.version == PushgatewayRecords.version else {
                    throw PushgatewayRecords.Invalid(description: "unsupported version \(snapshot.version)")
                }
                for record in snapshot.groups {
                    let group = try PushgatewayRecords.group(record)
                    loaded.groups[group.key] = group
                }
                snapshotBytes = bytes.count
            } catch {
                loaded.groups = [:]
                moveAside(snapshotPath, because: "\(error)", into: &loaded)
            }
        }
        var replayed = 0
        if let bytes = readIfPresent(journalPath, into: &loaded) {
            var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            if let torn = lines.popLast(), !torn.isEmpty {
                loaded.problems.append("\(journalPath): dropped an incomplete last line of \(torn.count) bytes (a write cut short)")
            }
            for (number, line) in lines.enumerated() where !line.isEmpty {
                do {
                    let entry = try JSONDecoder().decode(PushgatewayRecords.JournalEntry.self, from: Data(line))
                    switch (entry.group, entry.delete) {
                    case (let record?, nil):
                        let group = try PushgatewayRecords.group(record)
                        loaded.groups[group.key] = group
                    case (nil, let labels?):
                        loaded.groups[try GroupingKey(labels: labels)] = nil
                    default:
                        throw PushgatewayRecords.Invalid(description: "a line must hold exactly one of group and delete")
                    }
                    replayed += 1
                } catch {
                    moveAside(journalPath, because: "line \(number + 1): \(error)", into: &loaded)
                    break
                }
            }
        }
        if replayed > 0 || !loaded.movedAside.isEmpty {
            do {
                try writeSnapshot(loaded.groups.values)
            } catch {
                loaded.problems.append(error.message)
            }
        }
        do {
            try openJournal()
        } catch {
            loaded.problems.append(error.message)
        }
        return loaded
    }

    /// Appends one change and waits until it is on disk.
    func append(_ entry: PushgatewayRecords.JournalEntry) throws(PushgatewayError) {
        if journal < 0 { try openJournal() }
        var line: [UInt8]
        do {
            line = Array(try JSONEncoder().encode(entry))
        } catch {
            throw .storage("encoding a journal line: \(error)")
        }
        line.append(UInt8(ascii: "\n"))
        let written = line.withUnsafeBytes { writeAll(journal, $0) }
        guard written == 0, fdatasync(journal) == 0 else {
            let reason = String(cString: strerror(written != 0 ? written : errno))
            // Cut a partial line away so the next one starts on a line of its own.
            _ = ftruncate(journal, off_t(journalBytes))
            throw .storage("writing \(journalPath): \(reason)")
        }
        journalBytes += line.count
    }

    /// Whether the journal has outgrown the snapshot (and the minimum) and should be folded in.
    var needsCompaction: Bool { journalBytes > max(minimumCompaction, snapshotBytes) }

    /// Replaces the snapshot with `groups` and empties the journal.
    func writeSnapshot(_ groups: some Collection<PushedGroup>) throws(PushgatewayError) {
        let snapshot = PushgatewayRecords.Snapshot(
            version: PushgatewayRecords.version,
            groups: groups.sorted { $0.key < $1.key }.map(PushgatewayRecords.record)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(snapshot))
        } catch {
            throw .storage("encoding \(snapshotPath): \(error)")
        }
        let temporary = snapshotPath + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("creating", temporary) }
        let written = bytes.withUnsafeBytes { writeAll(descriptor, $0) }
        if written != 0 || fsync(descriptor) != 0 {
            let error = failure("writing", temporary, code: written != 0 ? written : errno)
            close(descriptor)
            unlink(temporary)
            throw error
        }
        close(descriptor)
        guard rename(temporary, snapshotPath) == 0 else { throw failure("renaming \(temporary) to", snapshotPath) }
        try syncDirectory()
        snapshotBytes = bytes.count
        if journal >= 0 {
            guard ftruncate(journal, 0) == 0, fsync(journal) == 0 else { throw failure("emptying", journalPath) }
        } else {
            unlink(journalPath)
        }
        journalBytes = 0
    }

    private func openJournal() throws(PushgatewayError) {
        let descriptor = open(journalPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("opening", journalPath) }
        let size = lseek(descriptor, 0, SEEK_END)
        guard size >= 0 else {
            close(descriptor)
            throw failure("reading the size of", journalPath)
        }
        journal = descriptor
        journalBytes = Int(size)
        try syncDirectory()
    }

    private func syncDirectory() throws(PushgatewayError) {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("opening", directory) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("syncing", directory) }
    }

    /// The whole file, or nil when it does not exist; an unreadable file is moved aside.
    private func readIfPresent(_ path: String, into loaded: inout Loaded) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno != ENOENT {
                loaded.problems.append("\(path): cannot open: \(String(cString: strerror(errno)))")
            }
            return nil
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                moveAside(path, because: "cannot read: \(String(cString: strerror(errno)))", into: &loaded)
                return nil
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private func moveAside(_ path: String, because reason: String, into loaded: inout Loaded) {
        var target = path + ".corrupt-\(Int64(Date().timeIntervalSince1970))"
        var attempt = 1
        while access(target, F_OK) == 0 {
            attempt += 1
            target = path + ".corrupt-\(Int64(Date().timeIntervalSince1970))-\(attempt)"
        }
        if rename(path, target) == 0 {
            loaded.movedAside.append(target)
            loaded.problems.append("\(path) is unreadable (\(reason)); moved it to \(target)")
        } else {
            loaded.problems.append("\(path) is unreadable (\(reason)) and could not be moved aside: \(String(cString: strerror(errno)))")
        }
    }

    /// Writes all of `bytes`; 0, or the errno that stopped it.
    private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
        var done = 0
        while done < bytes.count {
            let count = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if count < 0 {
                if errno == EINTR { continue }
                return errno
            }
            done += count
        }
        return 0
    }

    private func failure(_ action: String, _ path: String, code: Int32 = errno) -> PushgatewayError {
        .storage("\(action) \(path): \(String(cString: strerror(code)))")
    }
}
