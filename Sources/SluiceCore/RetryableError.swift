/// An error that knows whether retrying can help. A job handler that throws one with `isRetryable == false` (a
/// refused access token, a record that no longer exists) fails its run at once, whatever attempts remain; any other
/// error is retried per the job type's retry policy. Connectors classify their failures the same way.
public protocol RetryableError: Error {
    /// Whether another attempt may succeed.
    var isRetryable: Bool { get }
}

extension SluiceError: RetryableError {
    /// Only storage failures and conflicts may go away on their own.
    public var isRetryable: Bool { code == .storageFailure || code == .conflict }
}
