import Foundation
import SluiceCore

/// A worker's request for due runs.
public struct ClaimRequest: Sendable, Hashable {
    /// The claiming worker's id.
    public var workerID: String
    /// The queues to claim from.
    public var queues: [String]
    /// The job types the worker has handlers for; runs of other types are left alone.
    public var jobTypes: [String]
    /// The most runs to claim (the worker's free capacity), 0...1000.
    public var limit: Int
    /// How long the lease lasts unless renewed by a heartbeat. Defaults to 30 seconds.
    public var leaseDuration: Duration

    /// Creates a request.
    public init(
        workerID: String, queues: [String] = ["default"], jobTypes: [String], limit: Int,
        leaseDuration: Duration = .seconds(30)
    ) {
        self.workerID = workerID
        self.queues = queues
        self.jobTypes = jobTypes
        self.limit = limit
        self.leaseDuration = leaseDuration
    }
}

/// A worker's heartbeat for a running run, optionally with progress.
public struct Heartbeat: Sendable, Hashable {
    /// The lease held.
    public var lease: RunLease
    /// The new lease duration from now.
    public var leaseDuration: Duration
    /// Progress, 0...1, if reported.
    public var progress: Double?
    /// A progress message, if reported.
    public var message: String?

    /// Creates a heartbeat.
    public init(
        lease: RunLease, leaseDuration: Duration = .seconds(30), progress: Double? = nil, message: String? = nil
    ) {
        self.lease = lease
        self.leaseDuration = leaseDuration
        self.progress = progress
        self.message = message
    }
}

/// The answer to a heartbeat.
public struct HeartbeatResult: Sendable, Hashable {
    /// The renewed lease.
    public let lease: RunLease
    /// Whether cancellation of the run was requested.
    public let cancelRequested: Bool

    /// Creates a result.
    public init(lease: RunLease, cancelRequested: Bool) {
        self.lease = lease
        self.cancelRequested = cancelRequested
    }
}
