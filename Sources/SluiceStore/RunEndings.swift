import Foundation
import SluiceCore

/// The outcome of a successful run.
public struct RunCompletion: Sendable, Hashable {
    /// A small result document, such as `{"ads_found": 312}`.
    public var result: JSONObject
    /// Rows written to the job type's dataset, if it has one.
    public var rowsWritten: Int64?
    /// Follow-up jobs to enqueue in the same transaction as the completion: they exist if and only if the run is
    /// recorded as succeeded (a refused completion creates none). Validated when the handler enqueued them; the
    /// store places them at its time.
    public var followUps: [ValidatedJob]
    /// The handler's last progress message, if the heartbeats have not sent it yet: written with the outcome, so a
    /// finished run never shows a stale one. Nil keeps the stored message.
    public var progressMessage: String?

    /// Creates a completion.
    public init(
        result: JSONObject = [:], rowsWritten: Int64? = nil, followUps: [ValidatedJob] = [],
        progressMessage: String? = nil
    ) {
        self.result = result
        self.rowsWritten = rowsWritten
        self.followUps = followUps
        self.progressMessage = progressMessage
    }
}

/// A failed or timed-out attempt.
public struct RunFailure: Sendable, Hashable {
    /// The error, as shown to operators.
    public var error: String
    /// When to retry; nil for a terminal failure.
    public var retryAt: Date?
    /// Whether the attempt exceeded its timeout.
    public var timedOut: Bool

    /// Creates a failure.
    public init(error: String, retryAt: Date?, timedOut: Bool = false) {
        self.error = error
        self.retryAt = retryAt
        self.timedOut = timedOut
    }
}
