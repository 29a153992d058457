/// Admits at most `limit` queries at once (`--query.max-concurrency`, Prometheus's default 20);
/// later ones wait their turn in arrival order, so a burst of dashboard refreshes cannot take every
/// core and all the memory at once.
actor QueryGate {
    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a slot is free; `body` runs outside the actor, in parallel with other
    /// admitted queries.
    nonisolated func run<T: Sendable>(_ body: @Sendable () throws(APIError) -> T) async throws(APIError) -> T {
        await acquire()
        let result = Result { () throws(APIError) -> T in try body() }
        await release()
        return try result.get()
    }

    private func acquire() async {
        if running >= limit {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            running += 1
        }
    }

    private func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            // The slot passes straight to the next waiter; `running` stays the same.
            waiting.removeFirst().resume()
        }
    }
}
