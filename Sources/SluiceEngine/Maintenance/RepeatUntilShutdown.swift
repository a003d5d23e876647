import Logging
import ServiceLifecycle

/// Runs `body` every `interval` on `clock` until graceful shutdown or cancellation; failures are logged (as
/// "`label` failed") and retried next time. The loop of every periodic Sluice service.
public func repeatUntilShutdown(
    every interval: Duration, on clock: MonotonicClock = .continuous, logger: Logger, label: String,
    _ body: @escaping @Sendable () async throws -> Void
) async {
    await cancelWhenGracefulShutdown {
        while !Task.isCancelled {
            do {
                try await body()
            } catch {
                if Task.isCancelled { return }
                logger.warning("\(label) failed", metadata: ["error": "\(error)"])
            }
            try? await clock.sleep(for: interval)
        }
    }
}
