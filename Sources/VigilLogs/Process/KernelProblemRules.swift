/// A problem node-problem-detector's kernel monitor would report, found in a kernel log line.
public struct KernelProblem: Sendable, Hashable {
    /// Whether the problem is a one-off event or sets a node condition.
    public enum Severity: String, Sendable, Hashable {
        /// An event (`problem_counter`).
        case temporary
        /// A node condition (`problem_gauge` set to 1 for `conditionType`).
        case permanent
    }

    /// NPD's reason, e.g. `OOMKilling`, `TaskHung`, `Ext4Error`.
    public var reason: String
    /// The node condition a permanent problem sets (`KernelDeadlock`, `ReadonlyFilesystem`); empty for temporary ones.
    public var conditionType: String
    /// Temporary or permanent.
    public var severity: Severity
    /// The kernel line (the event's message).
    public var message: String
    /// The node it happened on.
    public var nodeName: String
    /// When (ns since the epoch).
    public var timestamp: Int64

    /// A problem found in `message`.
    public init(
        reason: String, conditionType: String, severity: Severity, message: String, nodeName: String, timestamp: Int64
    ) {
        self.reason = reason
        self.conditionType = conditionType
        self.severity = severity
        self.message = message
        self.nodeName = nodeName
        self.timestamp = timestamp
    }
}

/// Built-in kernel-log rules in the spirit of node-problem-detector's `kernel-monitor.json`
/// (patterns written for Vigil): each matches a whole kernel message.
struct KernelProblemRules: Sendable {
    struct Rule: Sendable {
        var reason: String
        var conditionType: String
        var regex: ProcessorRegex
    }

    let rules: [Rule]

    static let definitions: [(reason: String, condition: String, pattern: String)] = [
        ("OOMKilling", "", #"(?:Killed process \d+ \(.+\)|Memory cgroup out of memory: Killed process \d+|Out of memory: Killed process \d+)"#),
        ("TaskHung", "", #"task [\S ]+:\d+ blocked for more than \d+ seconds\."#),
        ("KernelOops", "", #"(?:BUG: unable to handle (?:kernel )?(?:NULL pointer dereference|page fault)|divide error: 0000 \[#\d+\]|Oops: [0-9a-fx]+ \[#\d+\])"#),
        ("KernelBug", "", #"(?:kernel BUG at \S+|BUG: (?:soft lockup|scheduling while atomic|kernel NULL pointer))"#),
        ("Ext4Error", "", #"EXT4-fs error \(device [^)]+\)"#),
        ("Ext4Warning", "", #"EXT4-fs warning \(device [^)]+\)"#),
        ("XFSError", "", #"XFS \([^)]+\): (?:Corruption|metadata I/O error|Internal error|log I/O error|Filesystem has been shut down)"#),
        ("IOError", "", #"Buffer I/O error on dev(?:ice)? \S+"#),
        ("NFSTimeout", "", #"nfs: server \S+ not responding"#),
        ("UnregisterNetDevice", "", #"unregister_netdevice: waiting for \w+ to become free"#),
        ("DockerHung", "KernelDeadlock", #"task (?:docker|dockerd|containerd):\w+ blocked for more than \d+ seconds\."#),
        ("FilesystemIsReadOnly", "ReadonlyFilesystem", #"Remounting filesystem read-only"#),
    ]

    init() {
        // The definitions are constants checked by the tests: a bad one is a programming error.
        rules = Self.definitions.map { definition in
            Rule(reason: definition.reason, conditionType: definition.condition, regex: try! ProcessorRegex(definition.pattern))
        }
    }

    /// The first rule the line matches, as (reason, condition type).
    func match(_ line: String) -> (reason: String, conditionType: String)? {
        // DockerHung is the more specific TaskHung: check permanent rules first.
        for rule in rules where !rule.conditionType.isEmpty && rule.regex.matches(line) {
            return (rule.reason, rule.conditionType)
        }
        for rule in rules where rule.conditionType.isEmpty && rule.regex.matches(line) {
            return (rule.reason, "")
        }
        return nil
    }
}
