import Foundation
import SluiceCore

/// A scheduler pass over recurring jobs.
public struct RecurringScheduleRequest: Sendable, Hashable {
    /// Ticks due up to this far ahead get their run now, so that it is waiting when the tick comes. Defaults to 5 s.
    public var lookahead: Duration
    /// How late a tick may be reached before it counts as missed (see ``MisfirePolicy``). Defaults to 60 s.
    public var misfireGrace: Duration
    /// The most jobs handled in one pass. Defaults to 500.
    public var limit: Int

    /// Creates a request.
    public init(lookahead: Duration = .seconds(5), misfireGrace: Duration = .seconds(60), limit: Int = 500) {
        self.lookahead = lookahead
        self.misfireGrace = misfireGrace
        self.limit = limit
    }

    /// Validates the request.
    ///
    /// - Throws: ``SluiceError/Code/invalidArgument`` naming the field.
    public func validate() throws(SluiceError) {
        guard lookahead >= .zero else { throw .invalidArgument("lookahead", "must not be negative") }
        guard misfireGrace >= .zero else { throw .invalidArgument("misfire_grace", "must not be negative") }
        try StoreArguments.validateBatch(limit)
    }
}
