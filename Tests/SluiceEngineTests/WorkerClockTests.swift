import Clocks
import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceEngine

/// The worker's time-dependent behaviour on an injected test clock: time moves only when the test says so, so these
/// tests neither sleep nor depend on the machine's load.
@Suite("Worker on a test clock")
struct WorkerClockTests {
    @Test(
        "a handler is stopped at its job type's timeout on the worker's clock, and not before",
        arguments: TestBackend.allCases)
    func timesOutOnTheInjectedClock(backend: TestBackend) async throws {
        try await EngineFixture.withStores(backend) { stores in
            let store = stores[0]
            // Queued before the worker starts: its first claim takes it, with no poll (the poll waits on the test
            // clock too).
            let inserted = try await store.insertJob(JobRequest(brandID: EngineFixture.brand, jobType: "slow"))
            let runID = inserted.run!.id
            let clock = TestClock()
            let events = WorkerEventLog()
            let worker = try Worker(
                store: store, registry: EngineFixture.registry, handlers: WorkerTests.handlers(),
                configuration: EngineFixture.workerConfiguration(), monotonicClock: clock,
                logger: EngineFixture.quietLogger, observer: events.observer)
            try await EngineFixture.withServices([worker]) {
                // The first attempt starts before the clock ever moves, so its deadline is exactly 300 ms.
                try await events.started(runID, attempt: 1)
                await clock.advance(by: .milliseconds(299))
                #expect(events.events.last == .started(runID: runID, attempt: 1), "stopped early")
                #expect(try await store.run(id: runID).state == .running)
                await clock.advance(by: .milliseconds(2))
                #expect(try await events.ended(runID, attempt: 1) == (.timedOut, true))
                // The retry may be claimed while the clock is still being moved past the first deadline (anywhere
                // from 300 to 301 ms), so its own deadline is only known to within that.
                try await events.started(runID, attempt: 2)
                await clock.advance(by: .milliseconds(400))
                #expect(try await events.ended(runID, attempt: 2) == (.timedOut, true))
                let run = try await store.run(id: runID)
                #expect(run.state == .timedOut && run.attempt == 2 && run.error == "timed out after 0.3 seconds")
            }
        }
    }

    @Test("a lease counts as lost a safety margin before it runs out, from the claim's sending; renewals push it back")
    func leaseWatchdog() async {
        let clock = TestClock()
        let monotonic = MonotonicClock.wrapping(clock)
        let lease = RunLease(runID: 7, workerID: "w", attempt: 1, expiresAt: Date())
        let claimSentAt = monotonic.now
        await clock.advance(by: .seconds(2))  // the claim's round trip: the deadline counts from its sending
        let reporter = RunReporter(
            lease: lease, clock: ManualWallClock(), monotonicClock: monotonic, claimedAtBeat: 0,
            safetyMargin: .seconds(1), leaseDuration: .seconds(30), claimSentAt: claimSentAt)
        let watch = DeadlineWatch(clock: monotonic)
        let watching = Task { await watch.run { [reporter] } }
        defer { watching.cancel() }
        let ended = Self.watched(reporter, timeout: monotonic.now.advanced(by: .seconds(3600)), by: watch)
        await clock.advance(by: .seconds(26))  // 28 s after the claim was sent
        #expect(!reporter.leaseExpired())
        reporter.renew(lease, sentAt: monotonic.now)  // now counted from 28 s: lost at 57 s
        await clock.advance(by: .seconds(28))  // 56 s
        #expect(!reporter.leaseExpired())
        await clock.advance(by: .seconds(2))  // 58 s
        #expect(reporter.leaseExpired())
        #expect(await ended.value == .leaseLost)
    }

    @Test(
        "one deadline watch ends each handler at its timeout or its lost lease, whichever comes first",
        .timeLimit(.minutes(1)))
    func timeoutOrLease() async {
        let (clock, monotonic, early) = Self.freshlyClaimed()
        let late = Self.claimed(on: monotonic)
        let watch = DeadlineWatch(clock: monotonic)
        let watching = Task { await watch.run { [early, late] } }
        defer { watching.cancel() }
        // Deadlines are taken when a handler starts: a watch that scans after the clock moved counts from then.
        let timedOut = Self.watched(early, timeout: monotonic.now.advanced(by: .seconds(10)), by: watch)
        let leaseLost = Self.watched(late, timeout: monotonic.now.advanced(by: .seconds(100)), by: watch)
        await clock.advance(by: .seconds(10))
        #expect(await timedOut.value == .timedOut)
        await clock.advance(by: .seconds(19))  // 29 s: the lease counts as lost a safety margin before 30 s
        #expect(await leaseLost.value == .leaseLost)
        late.stop(.shutdown)
        #expect(await leaseLost.value == .leaseLost, "the first interruption is the one told")
    }

    @Test("a stop requested before the handler starts is told as soon as it is watched")
    func stopBeforeStart() async {
        let (_, monotonic, reporter) = Self.freshlyClaimed()
        reporter.stop(.cancelRequested)
        let watch = DeadlineWatch(clock: monotonic)
        let ended = Self.watched(reporter, timeout: monotonic.now.advanced(by: .seconds(10)), by: watch)
        #expect(await ended.value == .stopped(.cancelRequested))
    }

    @Test("an ended handler's lease is renewed only within its outcome's grace")
    func outcomeGrace() async {
        let (clock, monotonic, reporter) = Self.freshlyClaimed()
        #expect(reporter.isRenewed)
        let givingUpAt = reporter.endHandler(grace: .seconds(90))
        #expect(givingUpAt == monotonic.now.advanced(by: .seconds(90)))
        await clock.advance(by: .seconds(89))
        #expect(reporter.isRenewed)
        await clock.advance(by: .seconds(1))
        #expect(!reporter.isRenewed)
    }

    /// A reporter of a run claimed now on a test clock: a 30 s lease counted as lost 1 s early.
    private static func freshlyClaimed() -> (TestClock<Duration>, MonotonicClock, RunReporter) {
        let clock = TestClock()
        let monotonic = MonotonicClock.wrapping(clock)
        return (clock, monotonic, claimed(on: monotonic))
    }

    /// A reporter of a run claimed now on `monotonic`: a 30 s lease counted as lost 1 s early.
    private static func claimed(on monotonic: MonotonicClock) -> RunReporter {
        RunReporter(
            lease: RunLease(runID: 7, workerID: "w", attempt: 1, expiresAt: Date()), clock: ManualWallClock(),
            monotonicClock: monotonic, claimedAtBeat: 0, safetyMargin: .seconds(1), leaseDuration: .seconds(30),
            claimSentAt: monotonic.now)
    }

    /// Starts watching `reporter`'s handler with `timeout`, as the worker does; the result is its first interruption.
    private static func watched(
        _ reporter: RunReporter, timeout: MonotonicClock.Instant, by watch: DeadlineWatch
    ) -> FirstEnding<RunReporter.Interruption> {
        let ended = FirstEnding<RunReporter.Interruption>()
        watch.watch(reporter.watch(timeout: timeout) { ended.settle($0) })
        return ended
    }
}
