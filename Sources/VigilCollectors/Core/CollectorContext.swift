/// What a collector works with during one scrape: where the file systems are, a reader with a
/// reusable buffer, and the sink that gathers samples.
public struct CollectorContext: Sendable {
    /// The procfs, sysfs, rootfs and udev roots.
    public let paths: NodePaths
    /// Reads files into one buffer reused across the scrape.
    public var reader: FileReader
    /// The samples gathered so far.
    public var sink: MetricSink

    /// A context for one scrape.
    public init(paths: NodePaths, reader: FileReader = FileReader(), sink: MetricSink = MetricSink()) {
        self.paths = paths
        self.reader = reader
        self.sink = sink
    }

    /// Reads a procfs file (`stat`, `net/dev`) into the reusable buffer.
    public mutating func readProc(_ relative: String) throws(CollectorError) -> ArraySlice<UInt8> {
        try reader.read(paths.proc(relative))
    }

    /// Reads a sysfs file (`class/thermal/thermal_zone0/temp`) into the reusable buffer.
    public mutating func readSys(_ relative: String) throws(CollectorError) -> ArraySlice<UInt8> {
        try reader.read(paths.sys(relative))
    }
}
