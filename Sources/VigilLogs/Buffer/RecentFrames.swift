/// The newest frames appended to a ``DiskBuffer``, still decoded, by position: a sender that keeps
/// up takes each frame from here instead of reading it back from the segment, checksumming and
/// decoding it again. The disk stays the source of truth: a frame dropped from here (the sender
/// fell behind, or the process restarted) is read from its segment as before.
struct RecentFrames {
    private var frames: [(position: DiskBuffer.Position, size: Int, frame: BufferFrame)] = []
    private var bytes = 0
    /// Encoded bytes held at most; the oldest frames are let go beyond it.
    let capacity: Int
    /// Four batches of the default size.
    static let defaultCapacity = 4 << 20

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Holds `frame`, written at `position` in `size` bytes.
    mutating func add(_ frame: BufferFrame, at position: DiskBuffer.Position, size: Int) {
        frames.append((position, size, frame))
        bytes += size
        while bytes > capacity, let first = frames.first {
            bytes -= first.size
            frames.removeFirst()
        }
    }

    /// The frame written at `position`, removed with every older one; nil when it is not held.
    mutating func take(at position: DiskBuffer.Position) -> (frame: BufferFrame, size: Int)? {
        var passed = 0
        while passed < frames.count, frames[passed].position < position {
            bytes -= frames[passed].size
            passed += 1
        }
        if passed > 0 { frames.removeFirst(passed) }
        guard let first = frames.first, first.position == position else { return nil }
        frames.removeFirst()
        bytes -= first.size
        return (first.frame, first.size)
    }

    /// Lets go of the frames of a deleted segment.
    mutating func forget(segment: Int) {
        frames.removeAll { $0.position.segment == segment }
        bytes = frames.reduce(0) { $0 + $1.size }
    }
}
