import Foundation
import SluiceCore

/// A worker process, as it announces itself in its heartbeats.
public struct WorkerInfo: Sendable, Hashable {
    /// A unique id, such as `host-4242-1a2b`.
    public var id: String
    /// The host name.
    public var host: String
    /// The process id.
    public var pid: Int
    /// The queues it claims from.
    public var queues: [String]
    /// How many runs it executes at once.
    public var concurrency: Int
    /// When it started.
    public var startedAt: Date

    /// Creates worker information.
    public init(id: String, host: String, pid: Int, queues: [String], concurrency: Int, startedAt: Date) {
        self.id = id
        self.host = host
        self.pid = pid
        self.queues = queues
        self.concurrency = concurrency
        self.startedAt = startedAt
    }
}

/// Progress of one running run, reported with its worker's heartbeat.
public struct RunProgress: Sendable, Hashable {
    /// The run.
    public var runID: Int64
    /// The fraction done, 0...1.
    public var fraction: Double
    /// What it is doing.
    public var message: String

    /// Creates a progress report.
    public init(runID: Int64, fraction: Double, message: String) {
        self.runID = runID
        self.fraction = fraction
        self.message = message
    }
}

/// One heartbeat of a worker process: it renews, in one statement, the leases of the runs it is executing.
public struct WorkerHeartbeat: Sendable, Hashable {
    /// The worker.
    public var worker: WorkerInfo
    /// The new lease duration from now.
    public var leaseDuration: Duration
    /// The leases of the runs the worker is executing. Only these are renewed: a run the worker holds in the
    /// database but no longer executes (a claim whose answer was lost, a handler it stopped) is left to expire and
    /// be rescued.
    public var leases: [RunLease]
    /// Progress of its running runs since the last heartbeat.
    public var progress: [RunProgress]

    /// Creates a heartbeat.
    public init(worker: WorkerInfo, leaseDuration: Duration, leases: [RunLease], progress: [RunProgress] = []) {
        self.worker = worker
        self.leaseDuration = leaseDuration
        self.leases = leases
        self.progress = progress
    }

    /// Validates the heartbeat.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard !worker.id.isEmpty, worker.id.count <= 200 else {
            throw .invalidArgument("worker_id", "must be 1-200 characters")
        }
        guard leaseDuration > .zero else { throw .invalidArgument("lease_duration", "must be positive") }
        guard progress.allSatisfy({ (0...1).contains($0.fraction) && $0.message.count <= 1000 }) else {
            throw .invalidArgument("progress", "fractions must be between 0 and 1 and messages at most 1000 characters")
        }
    }
}

/// The answer to a worker heartbeat.
public struct WorkerHeartbeatResult: Sendable, Hashable {
    /// The renewed leases. A run the worker executes that is missing here was lost (rescued, or its lease
    /// expired), and its handler must stop.
    public let leases: [RunLease]
    /// The runs whose cancellation was requested.
    public let cancelRequested: Set<Int64>

    /// Creates a result.
    public init(leases: [RunLease], cancelRequested: Set<Int64>) {
        self.leases = leases
        self.cancelRequested = cancelRequested
    }
}

/// A worker as the store last saw it.
public struct WorkerRecord: Sendable, Hashable {
    /// What it announced.
    public let info: WorkerInfo
    /// Its last heartbeat.
    public let lastSeenAt: Date
    /// How many runs it holds now.
    public let running: Int

    /// Creates a record.
    public init(info: WorkerInfo, lastSeenAt: Date, running: Int) {
        self.info = info
        self.lastSeenAt = lastSeenAt
        self.running = running
    }
}
