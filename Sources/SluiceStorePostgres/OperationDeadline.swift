import Synchronization

/// Awaits a task's value for at most a deadline, without waiting for the task itself to end.
enum OperationDeadline {
    /// The deadline passed first.
    struct Expired: Error {}

    /// The value of `operation`, or ``Expired`` when `timeout` passes first; then `operation` is cancelled and left
    /// to end on its own. Cancelling the caller cancels `operation`.
    static func await<T: Sendable>(_ operation: Task<T, any Error>, timeout: Duration) async throws -> T {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let answer = Answer(continuation)
                let timer = Task {
                    try await Task.sleep(for: timeout)
                    if answer.resume(with: .failure(Expired())) { operation.cancel() }
                }
                Task {
                    let result = await operation.result
                    timer.cancel()
                    _ = answer.resume(with: result)
                }
            }
        } onCancel: {
            operation.cancel()
        }
    }

    /// Resumes a continuation once, with whichever result comes first.
    private final class Answer<T: Sendable>: Sendable {
        private let continuation: Mutex<CheckedContinuation<T, any Error>?>

        init(_ continuation: CheckedContinuation<T, any Error>) {
            self.continuation = Mutex(continuation)
        }

        /// Resumes with `result` unless already resumed; true when this call resumed it.
        func resume(with result: Result<T, any Error>) -> Bool {
            guard let continuation = self.continuation.withLock({ $0.take() }) else { return false }
            continuation.resume(with: result)
            return true
        }
    }
}
