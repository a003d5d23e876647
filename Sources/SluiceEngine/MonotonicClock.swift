import Clocks

/// The clock the engine waits on: poll and heartbeat intervals, handler timeouts, lease deadlines, grace periods and
/// retry pauses. It is the system's monotonic clock unless a test injects another (a `TestClock` from swift-clocks
/// moves only when the test advances it, so time-dependent behaviour is tested without sleeping).
///
/// Instants stored and compared with the database's (run times, lease expiries) come from a ``WallClock`` instead.
public typealias MonotonicClock = AnyClock<Duration>

extension AnyClock where Duration == Swift.Duration {
    /// The system's monotonic clock (`ContinuousClock`).
    public static var continuous: AnyClock<Swift.Duration> { AnyClock(ContinuousClock()) }
}

extension AnyClock where Duration == Swift.Duration {
    /// `clock` itself when it is already type-erased (instants of one erased clock compare only with each other, so
    /// an erased clock shared by several services must not be wrapped again), else `clock` erased.
    static func wrapping(_ clock: some Clock<Swift.Duration>) -> AnyClock<Swift.Duration> {
        (clock as? AnyClock<Swift.Duration>) ?? AnyClock(clock)
    }
}
