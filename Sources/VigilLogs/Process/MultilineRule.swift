import VigilConfig

/// Decides whether a line continues the event being held or starts a new one.
///
/// Built-in rules see the event so far (Go and Python only continue inside a panic or a
/// traceback); the custom form holds only events whose first line matches `start`.
struct MultilineRule: Sendable {
    enum Kind: Sendable {
        case java, go, python, ruby
        case custom(start: ProcessorRegex, continuation: ProcessorRegex)
    }

    let kind: Kind

    init(_ rule: LogProcessorConfig.Multiline.Rule) throws(LogsError) {
        switch rule {
        case .java: kind = .java
        case .go: kind = .go
        case .python: kind = .python
        case .ruby: kind = .ruby
        case .custom(let start, let continuation):
            kind = .custom(start: try ProcessorRegex(start), continuation: try ProcessorRegex(continuation))
        }
    }

    /// What a line does to the event held so far.
    enum Decision: Equatable {
        /// Join the held event.
        case continues
        /// Start (and hold) a new event.
        case starts
        /// A line of its own, not held (custom rule: neither `start` nor `continue`).
        case single
    }

    /// Python tracebacks end at the exception line; the state says where in one an event is.
    struct EventState: Sendable {
        var firstLine: String
        var inTraceback: Bool
        var pythonClosed = false

        init(firstLine: String) {
            self.firstLine = firstLine
            inTraceback = firstLine == MultilineRule.pythonHeader
        }
    }

    func decide(_ line: String, event: inout EventState?) -> Decision {
        switch kind {
        case .java: return event != nil && Self.javaContinues(line) ? .continues : .starts
        case .ruby: return event != nil && Self.rubyContinues(line) ? .continues : .starts
        case .go:
            guard let held = event, Self.goStarts(held.firstLine) else { return .starts }
            return Self.goContinues(line) ? .continues : .starts
        case .python:
            guard var held = event else { return .starts }
            let decision = Self.pythonDecide(line, state: &held)
            event = held
            return decision
        case .custom(let start, let continuation):
            if event != nil, continuation.matches(line) { return .continues }
            return start.matches(line) ? .starts : .single
        }
    }

    // MARK: Java

    static func javaContinues(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        let indented = trimmed.count < line.count
        if indented && trimmed.hasPrefix("at ") { return true }
        if trimmed.hasPrefix("Caused by: ") || trimmed.hasPrefix("Suppressed: ") { return true }
        if indented && trimmed.hasPrefix("... "), trimmed.hasSuffix(" more") || trimmed.hasSuffix("common frames omitted") {
            return true
        }
        return isJavaExceptionHeader(trimmed)
    }

    /// `java.lang.IllegalStateException: message` or `com.example.MyError` — a dotted class name
    /// ending in Exception, Error or Throwable, maybe followed by `: message`.
    static func isJavaExceptionHeader(_ line: Substring) -> Bool {
        let name = line.prefix { $0 != ":" && $0 != " " }
        guard name.contains("."), name.first.map({ $0.isLetter }) == true,
              name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "$" })
        else { return false }
        guard name.hasSuffix("Exception") || name.hasSuffix("Error") || name.hasSuffix("Throwable") else { return false }
        let rest = line.dropFirst(name.count)
        return rest.isEmpty || rest.hasPrefix(": ") || rest == ":"
    }

    // MARK: Go

    static func goStarts(_ line: String) -> Bool {
        line.hasPrefix("panic: ") || line.hasPrefix("fatal error: ") || isGoroutineHeader(line)
    }

    /// `goroutine 1 [running]:`
    static func isGoroutineHeader(_ line: String) -> Bool {
        guard line.hasPrefix("goroutine "), line.hasSuffix("]:") else { return false }
        let rest = line.dropFirst("goroutine ".count)
        let number = rest.prefix { $0.isNumber }
        return !number.isEmpty && rest.dropFirst(number.count).hasPrefix(" [")
    }

    static func goContinues(_ line: String) -> Bool {
        if line.isEmpty || line.hasPrefix("\t") || isGoroutineHeader(line) { return true }
        if line.hasPrefix("created by ") || line.hasPrefix("[signal ") || line.hasPrefix("panic: ") { return true }
        if line.hasPrefix("exit status ") { return true }
        // A frame's function line: `main.main()`, `net/http.(*conn).serve(0xc000)`, `panic({0x4b, 0xc0})`.
        guard line.hasSuffix(")"), let open = line.firstIndex(of: "(") else { return false }
        let function = line[..<open]
        return !function.isEmpty && !function.contains(" ")
    }

    // MARK: Python

    static let pythonHeader = "Traceback (most recent call last):"

    static func pythonDecide(_ line: String, state: inout EventState) -> Decision {
        if line == pythonHeader {
            // A traceback right after its log line (logging.exception), or chained after "During handling…".
            state.inTraceback = true
            state.pythonClosed = false
            return .continues
        }
        guard state.inTraceback else { return .starts }
        if state.pythonClosed {
            if line.isEmpty || line.hasPrefix("During handling of the above exception")
                || line.hasPrefix("The above exception was the direct cause")
            {
                return .continues
            }
            return .starts
        }
        if line.hasPrefix(" ") || line.hasPrefix("\t") { return .continues }
        // The exception line (`ValueError: bad`, `KeyboardInterrupt`) closes the traceback.
        let name = line.prefix { $0 != ":" }
        if !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }) {
            state.pythonClosed = true
            return .continues
        }
        return .starts
    }

    // MARK: Ruby

    /// `\tfrom /app/x.rb:7:in 'block in run'` and bare `  /app/x.rb:7:in `m'` frames.
    static func rubyContinues(_ line: String) -> Bool {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.count < line.count else { return false }
        if trimmed.hasPrefix("from ") { return true }
        return trimmed.contains(":in `") || trimmed.contains(":in '")
    }
}
