import Foundation
import SluiceCore

/// How many runs finished, by outcome, in one time bucket: one bar of a success/failure chart.
public struct RunOutcomeBucket: Sendable, Hashable {
    /// The bucket's start, a multiple of the bucket width since the Unix epoch; it lasts the bucket width.
    public let start: Date
    /// Runs that succeeded in the bucket.
    public let succeeded: Int
    /// Runs that ended `failed` or `timed_out` in the bucket (cancelled runs are not counted).
    public let failed: Int

    /// Creates a bucket (stores build these from rows).
    public init(start: Date, succeeded: Int, failed: Int) {
        self.start = start
        self.succeeded = succeeded
        self.failed = failed
    }

    /// The widest bucket, in seconds: one day.
    public static let maximumSeconds = 86_400

    /// Validates a bucket width.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming `bucket_seconds`.
    public static func validate(bucketSeconds: Int) throws(SluiceError) {
        guard (1...maximumSeconds).contains(bucketSeconds) else {
            throw .invalidArgument("bucket_seconds", "must be between 1 and \(maximumSeconds)")
        }
    }
}
