import Foundation
import SluiceCore

/// How a worker claims and executes runs.
public struct WorkerConfiguration: Sendable {
    /// The worker's unique id. Defaults to `HOST-PID-RANDOM`.
    public var id: String
    /// The queues it claims from. Defaults to `["default"]`.
    public var queues: [String]
    /// How many runs it executes at once. Defaults to 10.
    public var concurrency: Int
    /// How long a claimed run's lease lasts without renewal; a run whose worker died is rescued this long after its
    /// last heartbeat. Defaults to 10 seconds.
    public var leaseDuration: Duration
    /// How often the worker renews all its leases in one statement, reports progress, and learns of cancellations.
    /// Defaults to 1 second.
    public var heartbeatInterval: Duration
    /// How often to look for due runs without a wake-up. Defaults to 1 second when the store sends notifications
    /// across processes, else 100 milliseconds.
    public var pollInterval: Duration?
    /// The shortest pause between two claims, which lets a burst of inserts be claimed as one batch. Defaults to
    /// 1 millisecond.
    public var fetchCooldown: Duration
    /// How long running handlers may take to finish after a graceful shutdown began; then they are cancelled and
    /// their runs released to other workers. Defaults to 15 seconds.
    public var shutdownGracePeriod: Duration
    /// How often buffered log lines are written. Defaults to 250 milliseconds.
    public var logFlushInterval: Duration

    /// Creates a configuration; see the property docs for defaults.
    public init(
        id: String = WorkerConfiguration.defaultID(), queues: [String] = ["default"], concurrency: Int = 10,
        leaseDuration: Duration = .seconds(10), heartbeatInterval: Duration = .seconds(1),
        pollInterval: Duration? = nil,
        fetchCooldown: Duration = .milliseconds(1), shutdownGracePeriod: Duration = .seconds(15),
        logFlushInterval: Duration = .milliseconds(250)
    ) {
        self.id = id
        self.queues = queues
        self.concurrency = concurrency
        self.leaseDuration = leaseDuration
        self.heartbeatInterval = heartbeatInterval
        self.pollInterval = pollInterval
        self.fetchCooldown = fetchCooldown
        self.shutdownGracePeriod = shutdownGracePeriod
        self.logFlushInterval = logFlushInterval
    }

    /// `HOST-PID-RANDOM`.
    public static func defaultID() -> String {
        let suffix = UUID().uuidString.prefix(6).lowercased()
        return "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(suffix)"
    }

    /// Checks the values.
    ///
    /// - Throws: ``SluiceCore/SluiceError/Code/invalidArgument`` naming the field.
    func validate() throws(SluiceError) {
        guard (1...1000).contains(concurrency) else { throw .invalidArgument("concurrency", "must be 1...1000") }
        guard heartbeatInterval > .zero, leaseDuration >= heartbeatInterval * 3 else {
            throw .invalidArgument("lease_duration", "must be at least three heartbeat intervals")
        }
        guard !queues.isEmpty else { throw .invalidArgument("queues", "must not be empty") }
    }
}
