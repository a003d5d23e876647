import Foundation
import SluiceCore

/// A job inserted, or the existing active job that holds the same uniqueness key.
public struct InsertedJob: Sendable, Hashable {
    /// The job.
    public let job: Job
    /// Its first (for a deduplicated job: its latest) run.
    public let run: Run?
    /// True when the uniqueness key matched an active job and nothing was inserted.
    public let deduplicated: Bool

    /// Creates a result.
    public init(job: Job, run: Run?, deduplicated: Bool) {
        self.job = job
        self.run = run
        self.deduplicated = deduplicated
    }
}
