import Foundation
import SluiceCore
import SluiceStore

extension Worker {
    /// Runs one queued run in this process at once (legacy direct mode): claims it by id, executes its handler with
    /// heartbeats, log flushing and the usual outcome recording (retries, dataset refresh, follow-ups, alerts), and
    /// returns the run as it then stands. Returns nil when the run was not claimable (a worker took it first, it
    /// ended, or its job is paused).
    /// - Throws: ``SluiceError/Code/unknownJobType`` naming `job_type` when this worker has no handler for it.
    public func runNow(runID: Int64) async throws -> Run? {
        let current = try await store.run(id: runID)
        guard handlers[current.jobType] != nil else {
            throw SluiceError(
                .unknownJobType, "this process has no handler for \(current.jobType)", field: "job_type")
        }
        let claimSentAt = monotonicClock.now
        guard
            let run = try await store.claimRun(
                id: runID, workerID: configuration.id, leaseDuration: configuration.leaseDuration),
            let lease = run.lease
        else { return nil }
        let runtime = WorkerRuntime(clock: monotonicClock)
        await withTaskGroup(of: Void.self) { services in
            services.addTask { await heartbeatLoop(runtime) }
            services.addTask { await runtime.deadlines.run { runtime.tracker.all } }
            services.addTask { await logFlushLoop(runtime) }
            services.addTask { await runtime.completions.run(store: store, logger: logger) }
            let reporter = runtime.tracker.start(
                run.id, lease: lease, claimSentAt: claimSentAt, clock: clock, monotonicClock: monotonicClock,
                configuration: configuration)
            await execute(run, reporter: reporter, runtime: runtime)
            services.cancelAll()
        }
        try? await store.removeWorker(id: configuration.id)
        return try await store.run(id: runID)
    }
}
