/// `filefd`: allocated and maximum file handles from `/proc/sys/fs/file-nr`.
struct FilefdCollector: Collector {
    let name = "filefd"

    func collect(_ context: inout CollectorContext) throws(CollectorError) {
        let path = context.paths.proc("sys/fs/file-nr")
        let fields = ByteText.fields(try context.reader.read(path))
        guard fields.count >= 3, let allocated = ByteText.double(fields[0]), let maximum = ByteText.double(fields[2]) else {
            throw .malformed(path, "expected three numbers")
        }
        context.sink.gauge("node_filefd_allocated", "File descriptor statistics: allocated.", allocated)
        context.sink.gauge("node_filefd_maximum", "File descriptor statistics: maximum.", maximum)
    }
}
