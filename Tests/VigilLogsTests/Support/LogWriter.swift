import Foundation

/// Writes numbered lines to a log file the way applications and log rotators do: appends,
/// half-written lines completed later, rotation by rename and by copytruncate, and CRI records
/// split into `P` pieces.
final class LogWriter {
    let path: String
    let name: String
    let isCRI: Bool
    private(set) var written = 0
    private var descriptor: Int32
    private var rotations = 0
    /// The second half of a line whose first half is already in the file.
    private var pendingTail: String?

    init(path: String, name: String, isCRI: Bool) {
        self.path = path
        self.name = name
        self.isCRI = isCRI
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    }

    /// The text of line `number`.
    func text(_ number: Int) -> String {
        "\(name) \(String(format: "%06d", number)) " + String(repeating: "x", count: 20 + number % 40)
    }

    private func write(_ text: String) {
        let bytes = Array(text.utf8)
        var done = 0
        while done < bytes.count {
            let result = bytes[done...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            precondition(result > 0, "write to \(path) failed")
            done += result
        }
    }

    private func criTimestamp() -> String {
        let now = Date().timeIntervalSince1970
        let seconds = Int(now)
        let nanos = Int((now - Double(seconds)) * 1e9)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds))) + "." + String(format: "%09d", nanos) + "Z"
    }

    /// Appends `count` lines; with `leavePartial`, the last one only half (finished by the next call).
    func append(_ count: Int, leavePartial: Bool = false) {
        if let tail = pendingTail {
            write(tail)
            pendingTail = nil
        }
        for index in 0..<count {
            written += 1
            let line = text(written)
            if isCRI {
                let stamp = criTimestamp()
                if written % 3 == 0 {
                    // Split into pieces as containerd does for long lines.
                    let cut1 = line.index(line.startIndex, offsetBy: 4)
                    let cut2 = line.index(line.startIndex, offsetBy: 11)
                    write("\(stamp) stdout P \(line[..<cut1])\n\(stamp) stdout P \(line[cut1..<cut2])\n\(stamp) stdout F \(line[cut2...])\n")
                } else {
                    write("\(stamp) stdout F \(line)\n")
                }
            } else if leavePartial && index == count - 1 {
                let cut = line.index(line.startIndex, offsetBy: line.count / 2)
                write(String(line[..<cut]))
                pendingTail = String(line[cut...]) + "\n"
            } else {
                write(line + "\n")
            }
        }
    }

    /// Finishes a half-written line.
    func completePartial() {
        if let tail = pendingTail {
            write(tail)
            pendingTail = nil
        }
    }

    /// Rotation by rename: the file moves to `<path>.<n>`, writing continues in a new file.
    func rotateByRename() {
        completePartial()
        rotations += 1
        close(descriptor)
        rename(path, "\(path).\(rotations)")
        descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
    }

    /// Rotation by copytruncate: the content is copied to `<path>.<n>`, then the file truncated.
    func rotateByCopyTruncate() {
        completePartial()
        rotations += 1
        let content = FileManager.default.contents(atPath: path) ?? Data()
        _ = FileManager.default.createFile(atPath: "\(path).\(rotations)", contents: content)
        ftruncate(descriptor, 0)
    }

    deinit {
        close(descriptor)
    }
}
