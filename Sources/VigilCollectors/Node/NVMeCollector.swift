/// `nvme`: `node_nvme_info` for each controller in `/sys/class/nvme`, labelled with its
/// firmware revision, model, serial number and state. No such directory means no NVMe: no data.
struct NVMeCollector: Collector {
    let name = "nvme"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let base = context.paths.sys("class/nvme")
        let entries = try Directory.classEntries(base, absent: "no NVMe devices")
        for device in entries {
            let directory = base + "/" + device
            func attribute(_ file: String) -> String { (try? context.reader.readString(directory + "/" + file)) ?? "" }
            context.sink.gauge(
                "node_nvme_info", "Non-numeric data from /sys/class/nvme/<device>, value is always 1.", 1,
                [
                    "device": device, "firmware_revision": attribute("firmware_rev"), "model": attribute("model"),
                    "serial": attribute("serial"), "state": attribute("state"),
                ])
        }
    }
}
