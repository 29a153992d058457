/// When the WAL forces written records to stable storage.
public enum SyncPolicy: Sendable, Equatable {
    /// `log(_:)` returns after fdatasync: an acknowledged batch survives SIGKILL and power loss.
    /// Concurrent callers share one fdatasync (group commit). The default.
    case always
    /// `log(_:)` returns after write(2), which survives SIGKILL of the process but not power loss;
    /// a background thread fdatasyncs written bytes every `interval`.
    case interval(Duration)
    /// Never fdatasync except on `close()`; the kernel writes back when it chooses.
    case never
}
