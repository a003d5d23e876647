import Logging
import ServiceLifecycle
import SluiceCore
import SluiceStore

/// Creates the runs of recurring jobs, one per cron tick, on every node at once: the store deduplicates ticks by
/// job and fire time, and each job's next tick is stored, so no tick is lost across restarts or leader changes.
public struct Scheduler: Service {
    /// How the scheduler works.
    public struct Configuration: Sendable, Hashable {
        /// How often it makes a pass; each pass creates the runs due within two intervals. Defaults to 1 second.
        public var interval: Duration
        /// How late a tick may still be run after the scheduler was down; older ticks are skipped (each job's next
        /// tick is then the next one to come). Defaults to 60 seconds.
        public var misfireGrace: Duration

        /// Creates a configuration; see the property docs for defaults.
        public init(interval: Duration = .seconds(1), misfireGrace: Duration = .seconds(60)) {
            self.interval = interval
            self.misfireGrace = misfireGrace
        }
    }

    let store: any JobStore
    let configuration: Configuration
    let monotonicClock: MonotonicClock
    let logger: Logger

    /// Creates a scheduler whose passes are timed on `monotonicClock`.
    public init(
        store: any JobStore, configuration: Configuration = Configuration(),
        monotonicClock: some Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "sluice.scheduler")
    ) {
        self.store = store
        self.configuration = configuration
        self.monotonicClock = MonotonicClock.wrapping(monotonicClock)
        self.logger = logger
    }

    public func run() async throws {
        let request = RecurringScheduleRequest(
            lookahead: configuration.interval * 2, misfireGrace: configuration.misfireGrace)
        await repeatUntilShutdown(
            every: configuration.interval, on: monotonicClock, logger: logger, label: "scheduling recurring runs"
        ) {
            while try await store.scheduleRecurringRuns(request).count >= request.limit {}
        }
    }
}
