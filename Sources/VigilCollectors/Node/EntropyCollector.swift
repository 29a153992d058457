/// `entropy`: the kernel's available entropy and pool size, in bits.
struct EntropyCollector: Collector {
    let name = "entropy"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let available = try context.reader.readUInt(context.paths.proc("sys/kernel/random/entropy_avail"))
        context.sink.gauge("node_entropy_available_bits", "Bits of available entropy.", Double(available))
        let pool = try context.reader.readUInt(context.paths.proc("sys/kernel/random/poolsize"))
        context.sink.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.", Double(pool))
    }
}
