import Logging
import VigilModel

/// Keeps a pushed input (kernel log, syslog, journal, HTTP) running for the pipeline's lifetime:
/// when it fails — a port taken, a socket error, journalctl dying — the failure is logged and
/// counted and the input is made again after a backoff (doubling up to ``maximumDelay``, reset
/// by a run that lasted a minute), resuming from its newest buffered checkpoint. One bad input
/// never stops the others or the file inputs.
///
/// The one failure it does not retry is the buffers' own: once an append to them failed, the
/// pipeline stops (its lines are read again after a restart), as before.
struct InputSupervisor: Sendable {
    /// The input's name, as in its metrics and checkpoints.
    let name: String
    let writer: FrameWriter
    let restarts: Counter
    let logger: Logger
    var initialDelay: Duration = .seconds(1)
    var maximumDelay: Duration = .seconds(60)

    /// Runs `make(checkpoint)`'s input until cancelled; an input that returns (nothing to do, no
    /// journalctl) is left stopped. Throws only when the buffers failed.
    func run(_ make: @Sendable (InputCheckpoint?) -> any PushedInput) async throws {
        var backoff = Backoff(initial: initialDelay, maximum: maximumDelay)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await make(writer.checkpoint(input: name)).run()
                return
            } catch is CancellationError {
                return
            } catch {
                if writer.hasFailed { throw error }
                if Task.isCancelled { return }
                if ContinuousClock.now - started >= .seconds(60) { backoff.reset() }
                let delay = backoff.next()
                restarts.increment()
                logger.error(
                    "Log input failed; starting it again",
                    metadata: ["input": "\(name)", "err": "\(error)", "in": "\(delay)"])
                try? await Task.sleep(for: delay)
            }
        }
    }
}
