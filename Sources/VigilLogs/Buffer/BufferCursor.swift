import Logging

/// The sender's read position in a ``DiskBuffer``: follows segments in order, waits at the end
/// of the one being written, skips a crash's torn tail and segments dropped at the cap.
struct BufferCursor {
    let buffer: DiskBuffer
    let logger: Logger
    private(set) var position: DiskBuffer.Position
    private var descriptor: Int32?

    init(buffer: DiskBuffer, logger: Logger) {
        self.buffer = buffer
        self.logger = logger
        position = buffer.sentPosition
    }

    /// The next frame, or nil when nothing more is written yet.
    mutating func next() -> BufferFrame? {
        while true {
            let (all, writing) = buffer.segmentNumbers()
            if !all.contains(position.segment) {
                // Dropped at the cap, or deleted: continue with the oldest segment left after it.
                guard let next = all.first(where: { $0 > position.segment }) ?? all.first else { return nil }
                move(to: next)
                continue
            }
            if let (frame, size) = buffer.recentFrame(at: position) {
                position.offset += Int64(size)
                return frame
            }
            if descriptor == nil {
                descriptor = PosixFile.openForReading(DiskBuffer.path(buffer.directory, position.segment))
                guard descriptor != nil else { return nil }
            }
            switch DiskBuffer.readFrame(descriptor!, at: position.offset) {
            case .frame(let frame, let size):
                position.offset += Int64(size)
                return frame
            case .corrupt where position.segment < writing:
                logger.warning("Corrupt frame in a log buffer; skipping the rest of its segment", metadata: [
                    "segment": "\(DiskBuffer.path(buffer.directory, position.segment))", "offset": "\(position.offset)",
                ])
                fallthrough
            case .end, .corrupt:
                guard position.segment < writing, let next = all.first(where: { $0 > position.segment }) else { return nil }
                move(to: next)
            }
        }
    }

    private mutating func move(to segment: Int) {
        if let descriptor { PosixFile.close(descriptor) }
        descriptor = nil
        position = DiskBuffer.Position(segment: segment, offset: 0)
    }

    /// Closes the open segment.
    mutating func close() {
        if let descriptor { PosixFile.close(descriptor) }
        descriptor = nil
    }
}
