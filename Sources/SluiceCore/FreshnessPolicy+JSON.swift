import Foundation

extension FreshnessPolicy {
    /// The policy as JSON: `{"warn_after_seconds": 3600, "fail_after_seconds": 86400}` (fail optional) or
    /// `{"deadline_cron": "0 10 * * *", "timezone": "Europe/Berlin", "lookback_seconds": 3600}`.
    public var json: JSONObject {
        switch rule {
        case .maximumAge(let warnAfter, let failAfter):
            var object: JSONObject = ["warn_after_seconds": .double(warnAfter.seconds)]
            if let failAfter { object["fail_after_seconds"] = .double(failAfter.seconds) }
            return object
        case .cronDeadline(let deadline):
            return [
                "deadline_cron": .string(deadline.expression), "timezone": .string(deadline.timeZone.ianaName),
                "lookback_seconds": .double(deadline.lookback.seconds),
            ]
        }
    }

    /// Reads a policy from its JSON form (see ``json``).
    /// - Throws: ``SluiceError`` naming the offending field: `invalidArgument` for a missing, mistyped or unknown
    ///   member, or what the policy's initialisers throw.
    public init(json object: JSONObject) throws(SluiceError) {
        let known: Set = ["warn_after_seconds", "fail_after_seconds", "deadline_cron", "timezone", "lookback_seconds"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw .invalidArgument(unknown, "is not a freshness policy setting")
        }
        if object["deadline_cron"] != nil {
            for name in ["warn_after_seconds", "fail_after_seconds"] where object[name] != nil {
                throw .invalidArgument(name, "cannot be combined with deadline_cron")
            }
            let deadline = try CronDeadline(
                cron: try Self.string("deadline_cron", in: object), timeZone: try Self.string("timezone", in: object),
                lookback: try Self.duration("lookback_seconds", in: object))
            self.init(deadline: deadline)
        } else {
            for name in ["timezone", "lookback_seconds"] where object[name] != nil {
                throw .invalidArgument(name, "only applies with deadline_cron")
            }
            let failAfter = try object["fail_after_seconds"].map { _ throws(SluiceError) in
                try Self.duration("fail_after_seconds", in: object)
            }
            try self.init(warnAfter: try Self.duration("warn_after_seconds", in: object), failAfter: failAfter)
        }
    }

    private static func string(_ name: String, in object: JSONObject) throws(SluiceError) -> String {
        guard case .string(let value) = object[name] else { throw .invalidArgument(name, "must be a string") }
        return value
    }

    private static func duration(_ name: String, in object: JSONObject) throws(SluiceError) -> Duration {
        let seconds: Double
        switch object[name] {
        case .int(let value): seconds = Double(value)
        case .double(let value): seconds = value
        default: throw .invalidArgument(name, "must be a number of seconds")
        }
        guard seconds.isFinite, seconds > 0, seconds <= 100 * 366 * 86_400 else {
            throw .invalidArgument(name, "must be a positive number of seconds, at most 100 years")
        }
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}
