#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program and collects its standard output, with a deadline and a size limit: what a
/// collector needs to ask a vendor tool (`nvidia-smi`) without hanging a scrape.
///
/// No shell is involved; standard input and error are `/dev/null`. A program still running at
/// the deadline is killed (`SIGKILL`) and reaped.
public enum Subprocess {
    /// The absolute path of `program` in the `PATH` directories, or nil when none has it executable.
    public static func find(_ program: String, path: String? = nil) -> String? {
        if program.contains("/") { return access(program, X_OK) == 0 ? program : nil }
        let search = path ?? (getenv("PATH").map { String(cString: $0) } ?? "/usr/local/bin:/usr/bin:/bin")
        for directory in search.split(separator: ":") where !directory.isEmpty {
            let candidate = directory + "/" + program
            if access(candidate, X_OK) == 0 && !Directory.isDirectory(candidate) { return candidate }
        }
        return nil
    }

    /// The standard output of `executable` run with `arguments`.
    ///
    /// - Throws: ``CollectorError`` when it cannot start, exits non-zero or by a signal, runs
    ///   past `timeoutSeconds`, or writes more than `limit` bytes.
    public static func output(
        _ executable: String, _ arguments: [String], timeoutSeconds: Double, limit: Int = 1 << 20
    ) throws(CollectorError) -> [UInt8] {
        // Both ends close on exec: a program another thread starts meanwhile must not inherit
        // the write end, or this read would wait for that program's exit instead of ours.
        // The dup2 below clears the flag on the child's standard output only. (Glibc's pipe2
        // is not imported into Swift.)
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw .system(errno, path: executable, operation: "pipe") }
        let (readEnd, writeEnd) = (pipeEnds[0], pipeEnds[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        _ = fcntl(writeEnd, F_SETFD, FD_CLOEXEC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        var spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        // ETXTBSY: a process forked while the program file was open for writing (an update in
        // place, a test fixture) still holds it; that ends within moments, so try a little longer.
        var attempts = 1
        while spawned == ETXTBSY && attempts < 40 {
            usleep(25_000)
            spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
            attempts += 1
        }
        close(writeEnd)
        guard spawned == 0 else {
            close(readEnd)
            throw .system(spawned, path: executable, operation: "posix_spawn")
        }

        var output: [UInt8] = []
        var failure: CollectorError?
        let deadline = monotonicSeconds() + timeoutSeconds
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        reading: while true {
            let remaining = deadline - monotonicSeconds()
            if remaining <= 0 {
                failure = .malformed(executable, "timed out after \(timeoutSeconds)s")
                break
            }
            var descriptor = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining * 1000, 60_000)) + 1)
            if ready < 0 {
                if errno == EINTR { continue }
                failure = .system(errno, path: executable, operation: "poll")
                break
            }
            if ready == 0 { continue }
            let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress!, $0.count) }
            switch count {
            case 0: break reading
            case ..<0:
                if errno == EINTR { continue }
                failure = .system(errno, path: executable, operation: "read")
                break reading
            default:
                output.append(contentsOf: chunk[0..<count])
                if output.count > limit {
                    failure = .malformed(executable, "wrote more than \(limit) bytes")
                    break reading
                }
            }
        }
        close(readEnd)
        if failure != nil { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if let failure { throw failure }
        // WIFEXITED / WEXITSTATUS, spelled out: the macros are not imported.
        let signal = status & 0x7f
        let code = (status >> 8) & 0xff
        guard signal == 0 else { throw .malformed(executable, "killed by signal \(signal)") }
        guard code == 0 else { throw .malformed(executable, "exited with status \(code)") }
        return output
    }

    private static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
