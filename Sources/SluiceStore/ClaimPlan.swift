import SluiceCore

/// How many runs of each job type one claim may take: the shared planning step of both backends' claims.
///
/// Every run of a job type waits in that type's queue, so a claim looks at one `(queue, job_type)` pair per
/// requested type, which the ready-runs index serves in priority order. A type with a concurrency limit may take
/// only `limit - running` more runs, counted across all workers.
public struct ClaimPlan: Sendable, Hashable {
    /// One job type to claim from.
    public struct Target: Sendable, Hashable {
        /// The job type.
        public let jobType: String
        /// Its queue.
        public let queue: String
        /// Its concurrency limit, if any.
        public let concurrencyLimit: Int?
    }

    /// The job types covered, sorted by name (the lock order for limited types).
    public let targets: [Target]

    /// Plans a validated request against the registry; types whose queue was not requested are left out.
    /// - Throws: ``SluiceError/Code/unknownJobType`` (field `job_types`) for a type the registry lacks.
    public init(_ request: ClaimRequest, registry: JobTypeRegistry) throws(SluiceError) {
        var targets: [Target] = []
        for name in Set(request.jobTypes).sorted() {
            guard let type = registry[name] else {
                throw SluiceError(.unknownJobType, "job type \(name) is not registered", field: "job_types")
            }
            guard request.queues.contains(type.queue) else { continue }
            targets.append(Target(jobType: name, queue: type.queue, concurrencyLimit: type.concurrencyLimit))
        }
        self.targets = targets
    }

    /// The limited job types, in lock order.
    public var limitedJobTypes: [String] { targets.filter { $0.concurrencyLimit != nil }.map(\.jobType) }

    /// The cap per target given the running counts of limited types (a missing count is zero) and the batch limit.
    public func caps(running: [String: Int], limit: Int) -> [(target: Target, cap: Int)] {
        targets.compactMap { target in
            guard let concurrencyLimit = target.concurrencyLimit else { return (target, limit) }
            let cap = min(limit, max(0, concurrencyLimit - running[target.jobType, default: 0]))
            return cap > 0 ? (target, cap) : nil
        }
    }
}
