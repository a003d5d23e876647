/// Lets a cancelled run stop where a connector caught an error: the task's cancellation is rethrown as
/// `CancellationError` instead of being reported (and retried) as a failed request.
func rethrowIfCancelled(_ error: any Error) throws {
    if Task.isCancelled || error is CancellationError { throw CancellationError() }
}
