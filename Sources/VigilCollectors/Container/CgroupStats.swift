/// One cgroup's statistics as cAdvisor reports them, read from either cgroup version; a field
/// is nil when its file is missing or unreadable here.
public struct CgroupStats: Sendable, Equatable {
    /// Total CPU time, nanoseconds (`cpuacct.usage`, `cpu.stat usage_usec`).
    public var cpuUsageNanoseconds: UInt64?
    /// User CPU time, nanoseconds.
    public var cpuUserNanoseconds: UInt64?
    /// System CPU time, nanoseconds.
    public var cpuSystemNanoseconds: UInt64?
    /// CFS enforcement periods elapsed.
    public var cfsPeriods: UInt64?
    /// CFS periods throttled.
    public var cfsThrottledPeriods: UInt64?
    /// Time throttled, nanoseconds.
    public var cfsThrottledNanoseconds: UInt64?
    /// CFS period, microseconds; 0 when unset.
    public var cpuPeriod: UInt64?
    /// CFS quota, microseconds; 0 when unlimited.
    public var cpuQuota: UInt64?
    /// CPU shares (v2's weight converted as cAdvisor converts it).
    public var cpuShares: UInt64?

    /// Memory in use, bytes (`memory.usage_in_bytes`, `memory.current`).
    public var memoryUsage: UInt64?
    /// Highest memory use recorded, bytes.
    public var memoryMaxUsage: UInt64?
    /// Page cache, bytes.
    public var memoryCache: UInt64?
    /// Anonymous memory, bytes.
    public var memoryRSS: UInt64?
    /// Memory-mapped files, bytes.
    public var memoryMappedFile: UInt64?
    /// Swap in use, bytes.
    public var memorySwap: UInt64?
    /// Inactive file cache, bytes: the part of usage the working set leaves out.
    public var memoryInactiveFile: UInt64?
    /// Times usage hit the limit (`memory.failcnt`, v2's `memory.events max`).
    public var memoryFailcnt: UInt64?
    /// Page faults of this cgroup (`pgfault`).
    public var pageFaults: UInt64?
    /// Major page faults of this cgroup (`pgmajfault`).
    public var majorPageFaults: UInt64?
    /// Page faults of the cgroup and its descendants (v1's `total_pgfault`).
    public var hierarchyPageFaults: UInt64?
    /// Major page faults of the cgroup and its descendants (v1's `total_pgmajfault`).
    public var hierarchyMajorPageFaults: UInt64?
    /// OOM kills inside the cgroup.
    public var oomKills: UInt64?
    /// Memory limit, bytes, as read (v2's `max` is `UInt64.max`).
    public var memoryLimit: UInt64?
    /// Memory plus swap limit (v1) or swap limit (v2), bytes.
    public var memorySwapLimit: UInt64?
    /// Soft limit (v1) or `memory.low` (v2), bytes.
    public var memoryReservation: UInt64?

    /// Block I/O per device (`major:minor`): bytes and operations read and written.
    public var io: [IO] = []
    /// Tasks (threads) in the cgroup (`pids.current`).
    public var threads: UInt64?
    /// The task limit (`pids.max`), 0 when unlimited.
    public var threadsMax: UInt64?
    /// Processes listed in the cgroup's own `cgroup.procs`.
    public var processes: UInt64?
    /// The first of them, for the network namespace.
    public var firstPID: Int32?
    /// When the cgroup was created, seconds since the epoch (its directory's modification time,
    /// the earliest across v1 hierarchies, as cAdvisor takes it).
    public var startTime: Double?

    /// One device's block I/O.
    public struct IO: Sendable, Equatable {
        /// `major:minor`.
        public var device: String
        /// Bytes read.
        public var readBytes: UInt64 = 0
        /// Bytes written.
        public var writeBytes: UInt64 = 0
        /// Read operations.
        public var reads: UInt64 = 0
        /// Write operations.
        public var writes: UInt64 = 0
    }

    /// No statistics.
    public init() {}

    /// Usage minus inactive file cache, never below zero: cAdvisor's and the kubelet's working set.
    public var workingSet: UInt64? {
        guard let usage = memoryUsage else { return nil }
        let inactive = memoryInactiveFile ?? 0
        return usage > inactive ? usage - inactive : 0
    }
}
