import Foundation
import Synchronization

/// The source of wall-clock time for everything that stores or compares instants.
///
/// Inject ``ManualWallClock`` in tests to move time without sleeping.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The system's wall clock.
public struct SystemWallClock: WallClock {
    /// Creates the system clock.
    public init() {}

    public func now() -> Date { Date() }
}

/// A clock that only moves when told to, for tests.
public final class ManualWallClock: WallClock {
    private let current: Mutex<Date>

    /// Creates a clock standing at `start` (default: 2026-01-01T00:00:00Z).
    public init(_ start: Date = Date(timeIntervalSince1970: 1_767_225_600)) {
        current = Mutex(start)
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `duration`.
    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration.seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

extension Date {
    /// This instant at the nearest whole microsecond, the precision both stores keep.
    ///
    /// Rounding to the nearest (not down) makes the conversion exact in both directions: a `Date` near today
    /// resolves about 0.1 µs, so `Date(microsecondsSince1970: m)` may lie a hair below `m` µs and must still
    /// convert back to `m`.
    public var roundedToMicroseconds: Date { Date(microsecondsSince1970: microsecondsSince1970) }

    /// Microseconds since 1970, rounded to the nearest; whole seconds and the fraction are converted apart so that
    /// no rounding of a 16-digit product is involved.
    public var microsecondsSince1970: Int64 {
        let interval = timeIntervalSince1970
        let seconds = interval.rounded(.down)
        return Int64(seconds) * 1_000_000 + Int64(((interval - seconds) * 1_000_000).rounded())
    }

    /// The instant `microseconds` after 1970.
    public init(microsecondsSince1970 microseconds: Int64) {
        self.init(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}
