#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import VigilModel

/// `gpu`: NVIDIA GPUs through `nvidia-smi`, with the DCGM exporter's metric names, HELP texts
/// and labels (`gpu`, `UUID`, `device`, `modelName`, `pci_bus_id`, `Hostname`), so GPU
/// dashboards built for dcgm-exporter work.
///
/// NVML is not linked (a fresh machine lacks its C library); `nvidia-smi` is run each scrape
/// with a deadline. Where it is not installed there are no series and no error: a host without
/// NVIDIA GPUs is not a failure.
public struct GPUCollector: Collector {
    /// `gpu`.
    public let name = "gpu"
    /// The program, found in `PATH` when nil.
    public let executable: String?
    /// How long one nvidia-smi run may take.
    public let timeoutSeconds: Double

    /// A collector running `executable` (or `nvidia-smi` from `PATH`).
    public init(executable: String? = nil, timeoutSeconds: Double = 5) {
        self.executable = executable
        self.timeoutSeconds = timeoutSeconds
    }

    /// DCGM field, HELP, and the nvidia-smi query field it comes from.
    static let families: [(String, String, String)] = [
        ("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", "clocks.sm"),
        ("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", "clocks.mem"),
        ("DCGM_FI_DEV_MEMORY_TEMP", "Memory temperature (in C).", "temperature.memory"),
        ("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", "temperature.gpu"),
        ("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", "power.draw"),
        ("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", "utilization.gpu"),
        ("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", "utilization.memory"),
        ("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", "memory.free"),
        ("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", "memory.used"),
    ]

    public func collect(_ context: inout CollectorContext) throws(CollectorError) {
        guard let program = executable.flatMap({ Subprocess.find($0) }) ?? (executable == nil ? Subprocess.find("nvidia-smi") : nil)
        else { return }
        let output = try Subprocess.output(
            program, ["--query-gpu=" + NvidiaSMIReport.fields.joined(separator: ","), "--format=csv,noheader,nounits"],
            timeoutSeconds: timeoutSeconds)
        let report = try NvidiaSMIReport(parsing: output[...], source: program)
        GPUCollector.emit(report, hostname: GPUCollector.hostname(), into: &context.sink)
    }

    /// Adds `report`'s GPUs to `sink` with DCGM's labels.
    static func emit(_ report: NvidiaSMIReport, hostname: String, into sink: inout MetricSink) {
        for gpu in report.gpus {
            var builder = LabelsBuilder()
            builder.set("gpu", gpu.index)
            builder.set("UUID", gpu.uuid)
            builder.set("device", "nvidia" + gpu.index)
            builder.set("modelName", gpu.modelName)
            builder.set("pci_bus_id", gpu.pciBusID)
            builder.set("Hostname", hostname)
            let labels = builder.build()
            for (name, help, field) in families {
                guard let value = gpu.values[field] else { continue }
                sink.append(name, help, .gauge, .init(name: name, labels: labels, value: value))
            }
        }
    }

    static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
