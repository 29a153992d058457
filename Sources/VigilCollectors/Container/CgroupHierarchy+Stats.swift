extension CgroupHierarchy {
    /// The statistics of the cgroup at `cgroup` (a path from the root).
    ///
    /// Every file is optional: one that is missing, unreadable or malformed leaves its fields
    /// nil and is passed to `skipped`, so a cgroup that vanishes mid-read or a file the agent may
    /// not read costs only those fields.
    /// `controllers` are the v1 hierarchies holding the cgroup (see ``members(limit:skipped:)``);
    /// by default all are tried.
    public func stats(
        of cgroup: String, controllers members: UInt8 = 0xFF, reader: inout FileReader, skipped: (String, CollectorError) -> Void
    ) -> CgroupStats {
        withoutActuallyEscaping(skipped) { skipped in
            var stats = CgroupStats()
            var files = CgroupFiles(reader: reader, skipped: skipped)
            // Hand the buffer over rather than share it, so reading does not copy it.
            reader = FileReader(capacity: 1)
            switch self {
            case .v2(let root):
                files.readV2(directory: cgroup == "/" ? root : root + cgroup, isRoot: cgroup == "/", into: &stats)
            case .v1(let controllers):
                files.readV1(controllers: controllers, members: members, cgroup: cgroup, into: &stats)
            }
            reader = files.reader
            return stats
        }
    }
}

/// Reading one cgroup's files, reporting what could not be read.
struct CgroupFiles {
    var reader: FileReader
    let skipped: (String, CollectorError) -> Void

    mutating func readV1(controllers: [String: String], members: UInt8, cgroup: String, into stats: inout CgroupStats) {
        func directory(_ controller: String) -> String? {
            guard let root = controllers[controller],
                let bit = CgroupHierarchy.v1Controllers.firstIndex(of: controller), members & (1 << bit) != 0
            else { return nil }
            return cgroup == "/" ? root : root + cgroup
        }
        if let cpuacct = directory("cpuacct") {
            stats.cpuUsageNanoseconds = uint(cpuacct + "/cpuacct.usage")
            keyValues(cpuacct + "/cpuacct.stat") { key, value in
                // USER_HZ is 100 on every Linux architecture.
                if ByteText.equals(key, "user") { stats.cpuUserNanoseconds = value &* 10_000_000 }
                if ByteText.equals(key, "system") { stats.cpuSystemNanoseconds = value &* 10_000_000 }
            }
        }
        if let cpu = directory("cpu") {
            keyValues(cpu + "/cpu.stat") { key, value in
                if ByteText.equals(key, "nr_periods") { stats.cfsPeriods = value }
                if ByteText.equals(key, "nr_throttled") { stats.cfsThrottledPeriods = value }
                if ByteText.equals(key, "throttled_time") { stats.cfsThrottledNanoseconds = value }
            }
            if cgroup != "/" {
                stats.cpuPeriod = uint(cpu + "/cpu.cfs_period_us")
                stats.cpuQuota = int(cpu + "/cpu.cfs_quota_us").map { $0 > 0 ? UInt64($0) : 0 }
                stats.cpuShares = uint(cpu + "/cpu.shares")
            }
        }
        if let memory = directory("memory") {
            stats.memoryUsage = uint(memory + "/memory.usage_in_bytes")
            stats.memoryMaxUsage = uint(memory + "/memory.max_usage_in_bytes")
            stats.memoryFailcnt = uint(memory + "/memory.failcnt")
            stats.memoryLimit = uint(memory + "/memory.limit_in_bytes")
            stats.memorySwapLimit = uint(memory + "/memory.memsw.limit_in_bytes", optional: true)
            stats.memoryReservation = uint(memory + "/memory.soft_limit_in_bytes")
            keyValues(memory + "/memory.stat") { key, value in
                // The hierarchical totals, as cAdvisor reads them (a parent counts its children).
                if ByteText.equals(key, "total_cache") { stats.memoryCache = value }
                if ByteText.equals(key, "total_rss") { stats.memoryRSS = value }
                if ByteText.equals(key, "total_mapped_file") { stats.memoryMappedFile = value }
                if ByteText.equals(key, "total_swap") { stats.memorySwap = value }
                if ByteText.equals(key, "total_inactive_file") { stats.memoryInactiveFile = value }
                if ByteText.equals(key, "pgfault") { stats.pageFaults = value }
                if ByteText.equals(key, "pgmajfault") { stats.majorPageFaults = value }
                if ByteText.equals(key, "total_pgfault") { stats.hierarchyPageFaults = value }
                if ByteText.equals(key, "total_pgmajfault") { stats.hierarchyMajorPageFaults = value }
            }
            keyValues(memory + "/memory.oom_control", optional: true) { key, value in
                if ByteText.equals(key, "oom_kill") { stats.oomKills = value }
            }
        }
        if let blkio = directory("blkio") {
            var devices: [String: CgroupStats.IO] = [:]
            blkioLines(blkio + "/blkio.throttle.io_service_bytes_recursive") { device, operation, value in
                if ByteText.equals(operation, "Read") { devices[device, default: .init(device: device)].readBytes = value }
                if ByteText.equals(operation, "Write") { devices[device, default: .init(device: device)].writeBytes = value }
            }
            blkioLines(blkio + "/blkio.throttle.io_serviced_recursive") { device, operation, value in
                if ByteText.equals(operation, "Read") { devices[device, default: .init(device: device)].reads = value }
                if ByteText.equals(operation, "Write") { devices[device, default: .init(device: device)].writes = value }
            }
            stats.io = devices.values.sorted { $0.device < $1.device }
        }
        if let pids = directory("pids"), cgroup != "/" {
            stats.threads = uint(pids + "/pids.current")
            stats.threadsMax = limit(pids + "/pids.max").map { $0 == UInt64.max ? 0 : $0 }
        }
        for controller in ["memory", "pids", "cpu", "cpuacct", "blkio"] {
            guard let path = directory(controller) else { continue }
            if readProcesses(path + "/cgroup.procs", into: &stats) { break }
        }
        var earliest: Double?
        for controller in CgroupHierarchy.v1Controllers {
            guard let path = directory(controller), let time = try? Directory.modificationTime(path) else { continue }
            earliest = min(earliest ?? time, time)
        }
        stats.startTime = earliest
    }

    /// The root cgroup has only `cpu.stat`, `memory.stat`, `io.stat` and `cgroup.procs`.
    mutating func readV2(directory: String, isRoot: Bool, into stats: inout CgroupStats) {
        keyValues(directory + "/cpu.stat") { key, value in
            if ByteText.equals(key, "usage_usec") { stats.cpuUsageNanoseconds = value &* 1000 }
            if ByteText.equals(key, "user_usec") { stats.cpuUserNanoseconds = value &* 1000 }
            if ByteText.equals(key, "system_usec") { stats.cpuSystemNanoseconds = value &* 1000 }
            if ByteText.equals(key, "nr_periods") { stats.cfsPeriods = value }
            if ByteText.equals(key, "nr_throttled") { stats.cfsThrottledPeriods = value }
            if ByteText.equals(key, "throttled_usec") { stats.cfsThrottledNanoseconds = value &* 1000 }
        }
        if !isRoot {
            if let fields = text(directory + "/cpu.max", optional: true).map(ByteText.fields), fields.count == 2 {
                stats.cpuQuota = ByteText.uint64(fields[0]) ?? 0
                stats.cpuPeriod = ByteText.uint64(fields[1])
            }
            if let weight = uint(directory + "/cpu.weight", optional: true), weight >= 1 {
                // cAdvisor's inverse of the kubelet's shares → weight mapping.
                stats.cpuShares = 2 + ((weight - 1) * 262_142) / 9_999
            }
            stats.memoryUsage = uint(directory + "/memory.current", optional: true)
            stats.memoryMaxUsage = uint(directory + "/memory.peak", optional: true)
            stats.memoryLimit = limit(directory + "/memory.max", optional: true)
            stats.memorySwapLimit = limit(directory + "/memory.swap.max", optional: true)
            stats.memoryReservation = limit(directory + "/memory.low", optional: true)
            stats.memorySwap = uint(directory + "/memory.swap.current", optional: true)
            keyValues(directory + "/memory.events", optional: true) { key, value in
                if ByteText.equals(key, "max") { stats.memoryFailcnt = value }
                if ByteText.equals(key, "oom_kill") { stats.oomKills = value }
            }
            stats.threads = uint(directory + "/pids.current", optional: true)
            stats.threadsMax = limit(directory + "/pids.max", optional: true).map { $0 == UInt64.max ? 0 : $0 }
        }
        keyValues(directory + "/memory.stat", optional: true) { key, value in
            if ByteText.equals(key, "file") { stats.memoryCache = value }
            if ByteText.equals(key, "anon") { stats.memoryRSS = value }
            if ByteText.equals(key, "file_mapped") { stats.memoryMappedFile = value }
            if ByteText.equals(key, "inactive_file") { stats.memoryInactiveFile = value }
            if ByteText.equals(key, "pgfault") { stats.pageFaults = value }
            if ByteText.equals(key, "pgmajfault") { stats.majorPageFaults = value }
        }
        if let text = text(directory + "/io.stat", optional: true) {
            for line in ByteText.lines(text) {
                let fields = ByteText.fields(line)
                guard let device = fields.first, fields.count > 1 else { continue }
                var io = CgroupStats.IO(device: ByteText.string(device))
                for field in fields.dropFirst() {
                    guard let equals = field.firstIndex(of: UInt8(ascii: "=")),
                        let value = ByteText.uint64(field[(equals + 1)...])
                    else { continue }
                    let key = field[..<equals]
                    if ByteText.equals(key, "rbytes") { io.readBytes = value }
                    if ByteText.equals(key, "wbytes") { io.writeBytes = value }
                    if ByteText.equals(key, "rios") { io.reads = value }
                    if ByteText.equals(key, "wios") { io.writes = value }
                }
                stats.io.append(io)
            }
        }
        _ = readProcesses(directory + "/cgroup.procs", into: &stats)
        stats.startTime = try? Directory.modificationTime(directory)
    }

    // MARK: Files

    /// The file's bytes, or nil (reported unless `optional` and simply absent).
    private mutating func text(_ path: String, optional: Bool = false) -> ArraySlice<UInt8>? {
        do throws(CollectorError) {
            return try reader.read(path)
        } catch {
            if !(optional && error.isNotFound) { skipped(path, error) }
            return nil
        }
    }

    private mutating func uint(_ path: String, optional: Bool = false) -> UInt64? {
        guard let bytes = text(path, optional: optional) else { return nil }
        guard let value = ByteText.uint64(ByteText.trimmed(bytes)) else {
            skipped(path, .malformed(path, "expected an unsigned integer"))
            return nil
        }
        return value
    }

    private mutating func int(_ path: String) -> Int64? {
        guard let bytes = text(path) else { return nil }
        guard let value = ByteText.int64(ByteText.trimmed(bytes)) else {
            skipped(path, .malformed(path, "expected an integer"))
            return nil
        }
        return value
    }

    /// A limit file: a number, or `max` for none (`UInt64.max`).
    private mutating func limit(_ path: String, optional: Bool = false) -> UInt64? {
        guard let bytes = text(path, optional: optional) else { return nil }
        let trimmed = ByteText.trimmed(bytes)
        if ByteText.equals(trimmed, "max") { return UInt64.max }
        guard let value = ByteText.uint64(trimmed) else {
            skipped(path, .malformed(path, "expected a number or max"))
            return nil
        }
        return value
    }

    /// Calls `body` with each `key value` line whose value is an unsigned integer.
    private mutating func keyValues(_ path: String, optional: Bool = false, _ body: (ArraySlice<UInt8>, UInt64) -> Void) {
        guard let text = text(path, optional: optional) else { return }
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard fields.count == 2, let value = ByteText.uint64(fields[1]) else { continue }
            body(fields[0], value)
        }
    }

    /// Calls `body` with each `major:minor Operation value` line of a v1 blkio file.
    private mutating func blkioLines(_ path: String, _ body: (String, ArraySlice<UInt8>, UInt64) -> Void) {
        guard let text = text(path) else { return }
        for line in ByteText.lines(text) {
            let fields = ByteText.fields(line)
            guard fields.count == 3, let value = ByteText.uint64(fields[2]) else { continue }
            body(ByteText.string(fields[0]), fields[1], value)
        }
    }

    /// Counts the processes in a `cgroup.procs`; false when it could not be read.
    private mutating func readProcesses(_ path: String, into stats: inout CgroupStats) -> Bool {
        guard let text = text(path, optional: true) else { return false }
        var count: UInt64 = 0
        var first: Int32?
        for line in ByteText.lines(text) {
            guard let pid = ByteText.uint64(ByteText.trimmed(line)), pid <= UInt64(Int32.max) else { continue }
            if first == nil { first = Int32(pid) }
            count += 1
        }
        stats.processes = count
        stats.firstPID = first
        return true
    }
}
