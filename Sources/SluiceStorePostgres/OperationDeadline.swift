import Synchronization

/// Awaits a task's value without waiting for the task itself to end: for at most a deadline, and never past the
/// caller's cancellation. A PostgresNIO statement written to a connection that has just closed is never answered
/// and does not heed cancellation; the caller must be able to walk away from it.
enum OperationDeadline {
    /// The deadline passed first.
    struct Expired: Error {}

    /// The value of `operation`; ``Expired`` when `timeout` passes first, `CancellationError` when the caller is
    /// cancelled first, and the error `abandonWhen` hands its trigger when it pulls it first. Whichever comes first,
    /// `operation` is cancelled and left to end on its own.
    ///
    /// - Parameter abandonWhen: Called once with a trigger to pull, from any thread, when the operation can no
    ///   longer succeed (its connection closed, say).
    static func await<T: Sendable>(
        _ operation: Task<T, any Error>, timeout: Duration?,
        abandonWhen: (@escaping @Sendable (any Error) -> Void) -> Void = { _ in }
    ) async throws -> T {
        let answer = Answer<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                answer.wait(with: continuation)
                abandonWhen { reason in
                    if answer.resume(with: .failure(reason)) { operation.cancel() }
                }
                let timer = timeout.map { timeout in
                    Task {
                        try await Task.sleep(for: timeout)
                        if answer.resume(with: .failure(Expired())) { operation.cancel() }
                    }
                }
                Task {
                    let result = await operation.result
                    timer?.cancel()
                    _ = answer.resume(with: result)
                }
            }
        } onCancel: {
            if answer.resume(with: .failure(CancellationError())) { operation.cancel() }
        }
    }

    /// Resumes a continuation once, with whichever result comes first, including one that comes before the
    /// continuation is known (a cancellation).
    private final class Answer<T: Sendable>: Sendable {
        private enum State {
            case waiting(CheckedContinuation<T, any Error>?)
            case answered(Result<T, any Error>)
            case resumed
        }

        private let state = Mutex<State>(.waiting(nil))

        /// Registers the continuation; resumes it at once if the answer came first.
        func wait(with continuation: CheckedContinuation<T, any Error>) {
            let early: Result<T, any Error>? = state.withLock { state in
                guard case .answered(let result) = state else {
                    state = .waiting(continuation)
                    return nil
                }
                state = .resumed
                return result
            }
            if let early { continuation.resume(with: early) }
        }

        /// Answers with `result` unless already answered; true when this call answered.
        func resume(with result: Result<T, any Error>) -> Bool {
            let continuation: CheckedContinuation<T, any Error>?? = state.withLock { state in
                switch state {
                case .waiting(let continuation?):
                    state = .resumed
                    return .some(continuation)
                case .waiting(nil):
                    state = .answered(result)
                    return .some(nil)
                case .answered, .resumed:
                    return .none
                }
            }
            guard let continuation else { return false }
            continuation?.resume(with: result)
            return true
        }
    }
}
