public import VigilExposition

/// Generates a node_exporter-like exposition of about `series` samples, deterministically.
///
/// Shared by the tests and Benchmarks/: the families, label shapes and value spellings mirror a real
/// node_exporter 1.x page (HELP/TYPE per family, `cpu`/`mode`, `device`/`fstype`/`mountpoint`
/// labels, a Go summary, a histogram with `le` buckets, large integral counters in `e+` form,
/// small fractions, some timestamps-free gauges). OpenMetrics output adds `# EOF` and uses
/// `_total` counter naming rules.
public func nodeExporterPayload(series: Int, format: ExpositionFormat = .text, seed: UInt64 = 42) -> [UInt8] {
    var random = SplitMix64(seed: seed)
    var out = ""
    out.reserveCapacity(series * 100)
    var written = 0
    let openMetrics = format == .openMetrics

    func number(_ random: inout SplitMix64) -> String {
        switch random.next() % 6 {
        case 0: return String(random.next() % 1000)
        case 1: return "\(Double(random.next() % 10_000_000) / 100)"
        case 2: return "\(random.next() % 9 + 1).\(random.next() % 1_000_000)e+\(String(format2: Int(random.next() % 12)))"
        case 3: return "\(random.next() % 9 + 1).\(random.next() % 10_000)e-0\(random.next() % 9 + 1)"
        case 4: return "0.\(random.next() % 1_000_000_000)"
        default: return String(random.next() % 100_000_000_000)
        }
    }
    func family(_ name: String, _ help: String, _ type: String) {
        let familyName = openMetrics && type == "counter" && name.hasSuffix("_total") ? String(name.dropLast(6)) : name
        out += "# HELP \(familyName) \(help)\n# TYPE \(familyName) \(openMetrics && type == "untyped" ? "unknown" : type)\n"
    }

    var round = 0
    while written < series {
        let suffix = round == 0 ? "" : "_\(round)"
        family("node\(suffix)_cpu_seconds_total", "Seconds the CPUs spent in each mode.", "counter")
        let modes = ["idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"]
        for cpu in 0..<16 where written < series {
            for mode in modes where written < series {
                out += "node\(suffix)_cpu_seconds_total{cpu=\"\(cpu)\",mode=\"\(mode)\"} \(number(&random))\n"
                written += 1
            }
        }
        let filesystems = [("/dev/sda1", "ext4", "/"), ("/dev/sda2", "ext4", "/home"), ("tmpfs", "tmpfs", "/run"),
                           ("/dev/nvme0n1p1", "vfat", "/boot/efi"), ("overlay", "overlay", "/var/lib/docker/overlay2/abc/merged")]
        for metric in ["avail_bytes", "free_bytes", "size_bytes", "files", "files_free", "readonly", "device_error"] {
            family("node\(suffix)_filesystem_\(metric)", "Filesystem \(metric) as reported by statfs.", "gauge")
            for (device, fstype, mount) in filesystems where written < series {
                out += "node\(suffix)_filesystem_\(metric){device=\"\(device)\",fstype=\"\(fstype)\",mountpoint=\"\(mount)\"} \(number(&random))\n"
                written += 1
            }
        }
        let devices = ["eth0", "eth1", "lo", "docker0", "veth1a2b3c", "wlan0"]
        for metric in ["receive_bytes_total", "transmit_bytes_total", "receive_packets_total", "transmit_packets_total",
                       "receive_errs_total", "transmit_drop_total"] {
            family("node\(suffix)_network_\(metric)", "Network device statistic \(metric).", "counter")
            for device in devices where written < series {
                out += "node\(suffix)_network_\(metric){device=\"\(device)\"} \(number(&random))\n"
                written += 1
            }
        }
        family("go\(suffix)_gc_duration_seconds", "A summary of the pause duration of garbage collection cycles.", "summary")
        for quantile in ["0", "0.25", "0.5", "0.75", "1"] where written < series {
            out += "go\(suffix)_gc_duration_seconds{quantile=\"\(quantile)\"} \(number(&random))\n"
            written += 1
        }
        out += "go\(suffix)_gc_duration_seconds_sum \(number(&random))\ngo\(suffix)_gc_duration_seconds_count \(random.next() % 100_000)\n"
        written += 2
        family("node\(suffix)_scrape_collector_duration_seconds", "node_exporter: Duration of a collector scrape.", "histogram")
        for collector in ["cpu", "diskstats", "filesystem", "meminfo", "netdev"] where written < series {
            var cumulative = 0
            for bound in ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"] {
                cumulative += Int(random.next() % 50)
                out += "node\(suffix)_scrape_collector_duration_seconds_bucket{collector=\"\(collector)\",le=\"\(bound)\"} \(cumulative)\n"
            }
            out += "node\(suffix)_scrape_collector_duration_seconds_sum{collector=\"\(collector)\"} \(number(&random))\n"
            out += "node\(suffix)_scrape_collector_duration_seconds_count{collector=\"\(collector)\"} \(cumulative)\n"
            written += 14
        }
        for metric in ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree", "Dirty"] where written < series {
            family("node\(suffix)_memory_\(metric)_bytes", "Memory information field \(metric)_bytes.", "gauge")
            out += "node\(suffix)_memory_\(metric)_bytes \(number(&random))\n"
            written += 1
        }
        family("node\(suffix)_textfile_untyped", "An untyped metric with an escaped \\\\ help and \\n newline.", "untyped")
        out += "node\(suffix)_textfile_untyped{path=\"C:\\\\temp\",quote=\"say \\\"hi\\\"\"} NaN\n"
        written += 1
        round += 1
    }
    if openMetrics { out += "# EOF\n" }
    return Array(out.utf8)
}

private extension String {
    /// Two-digit exponent, as Go writes `e+06`.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
