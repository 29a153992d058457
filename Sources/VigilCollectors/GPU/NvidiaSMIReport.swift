/// The GPUs `nvidia-smi --query-gpu=<fields> --format=csv,noheader,nounits` describes: one
/// line per GPU, comma-separated, in ``fields`` order.
///
/// Values nvidia-smi cannot give (`[N/A]`, `[Not Supported]`, `N/A`) are nil; a line with the
/// wrong number of columns or a GPU without an index or UUID is an error naming its line.
public struct NvidiaSMIReport: Sendable, Equatable {
    /// The `--query-gpu` fields Vigil asks for, in order.
    public static let fields = [
        "index", "uuid", "name", "pci.bus_id", "utilization.gpu", "utilization.memory", "memory.used", "memory.free",
        "memory.total", "temperature.gpu", "temperature.memory", "power.draw", "clocks.sm", "clocks.mem",
    ]

    /// One GPU.
    public struct GPU: Sendable, Equatable {
        /// nvidia-smi's index (DCGM's `gpu` label).
        public var index: String
        /// `GPU-…` (DCGM's `UUID` label).
        public var uuid: String
        /// The product name (DCGM's `modelName` label).
        public var modelName: String
        /// The PCI bus ID (DCGM's `pci_bus_id` label).
        public var pciBusID: String
        /// Numeric fields by query name (`utilization.gpu` …), nil when not available.
        public var values: [String: Double]
    }

    /// The GPUs in output order.
    public var gpus: [GPU]

    /// Parses nvidia-smi's CSV output.
    ///
    /// - Throws: ``CollectorError`` naming the line and what is wrong with it.
    public init(parsing bytes: ArraySlice<UInt8>, source: String = "nvidia-smi") throws(CollectorError) {
        var gpus: [GPU] = []
        var lineNumber = 0
        for line in ByteText.lines(bytes) {
            lineNumber += 1
            let trimmedLine = ByteText.trimmed(line)
            if trimmedLine.isEmpty { continue }
            let columns = trimmedLine.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map {
                ByteText.string(ByteText.trimmed($0))
            }
            guard columns.count == NvidiaSMIReport.fields.count else {
                throw .malformed(
                    "\(source):\(lineNumber)", "expected \(NvidiaSMIReport.fields.count) columns, found \(columns.count)")
            }
            let index = columns[0]
            guard !index.isEmpty, index.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw .malformed("\(source):\(lineNumber)", "GPU index \"\(index.prefix(40))\" is not a number")
            }
            guard columns[1].hasPrefix("GPU-") || columns[1].hasPrefix("MIG-") else {
                throw .malformed("\(source):\(lineNumber)", "UUID \"\(columns[1].prefix(60))\" does not start with GPU-")
            }
            var values: [String: Double] = [:]
            for (field, column) in zip(NvidiaSMIReport.fields, columns).dropFirst(4) {
                if let value = ByteText.double(ArraySlice(column.utf8)), value.isFinite { values[field] = value }
            }
            gpus.append(GPU(index: index, uuid: columns[1], modelName: columns[2], pciBusID: columns[3], values: values))
        }
        self.gpus = gpus
    }
}
