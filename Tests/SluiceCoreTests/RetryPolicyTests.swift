import Foundation
import Testing

@testable import SluiceCore

@Suite("RetryPolicy")
struct RetryPolicyTests {
    /// The reference date itself, so `now + delay` and back are exact in `Date`'s storage.
    static let now = Date(timeIntervalSinceReferenceDate: 0)

    /// The delay of a `.retry` decision in seconds, or nil for `.giveUp`.
    private static func delay(of decision: RetryPolicy.Decision) -> Double? {
        guard case .retry(let date) = decision else { return nil }
        return date.timeIntervalSince(now)
    }

    @Test("defaults: 5 attempts, 15 s initial delay, doubling, 1 h cap, 20 % jitter, and valid")
    func defaults() {
        let policy = RetryPolicy()
        #expect(policy.maxAttempts == 5)
        #expect(policy.initialDelay == .seconds(15))
        #expect(policy.multiplier == 2)
        #expect(policy.maximumDelay == .seconds(3600))
        #expect(policy.jitter == 0.2)
        #expect(policy.problems().isEmpty)
    }

    @Test(
        "baseDelay grows exponentially from initialDelay and stops at the cap",
        arguments: [
            (1, 10.0), (2, 20), (3, 40), (4, 80), (5, 160), (6, 320), (7, 600), (8, 600), (50, 600), (10_000, 600),
        ])
    func baseDelayExponentialWithCap(attempt: Int, seconds: Double) {
        let policy = RetryPolicy(
            maxAttempts: 10, initialDelay: .seconds(10), multiplier: 2, maximumDelay: .seconds(600))
        #expect(policy.baseDelay(afterAttempt: attempt).seconds == seconds)
    }

    @Test("baseDelay treats attempts below 1 as the first")
    func baseDelayBelowOne() {
        let policy = RetryPolicy(initialDelay: .seconds(10))
        #expect(policy.baseDelay(afterAttempt: 0) == .seconds(10))
        #expect(policy.baseDelay(afterAttempt: -3) == .seconds(10))
    }

    @Test("baseDelay with multiplier 1 is constant; with fractional multipliers it is exact")
    func baseDelayMultipliers() {
        let constant = RetryPolicy(initialDelay: .seconds(30), multiplier: 1)
        for attempt in 1...20 {
            #expect(constant.baseDelay(afterAttempt: attempt) == .seconds(30))
        }
        let slow = RetryPolicy(initialDelay: .seconds(8), multiplier: 1.5, maximumDelay: .seconds(1000))
        #expect(slow.baseDelay(afterAttempt: 2).seconds == 12)
        #expect(slow.baseDelay(afterAttempt: 3).seconds == 18)
    }

    @Test("baseDelay stays at the cap when the exponential overflows to infinity")
    func baseDelayOverflow() {
        let policy = RetryPolicy(initialDelay: .seconds(1), multiplier: 1e10, maximumDelay: .seconds(86_400))
        #expect(policy.baseDelay(afterAttempt: 100).seconds == 86_400)
        #expect(policy.baseDelay(afterAttempt: .max).seconds == 86_400)
    }

    @Test("a zero initial delay retries immediately")
    func zeroInitialDelay() {
        var generator = SplitMix64(seed: 7)
        let policy = RetryPolicy(maxAttempts: 3, initialDelay: .zero, maximumDelay: .zero)
        #expect(policy.problems().isEmpty)
        #expect(policy.decision(afterAttempt: 1, at: Self.now, using: &generator) == .retry(at: Self.now))
        #expect(policy.decision(afterAttempt: 2, at: Self.now, using: &generator) == .retry(at: Self.now))
    }

    @Test("decision retries before maxAttempts and gives up at or beyond it", arguments: [1, 2, 3, 5])
    func decisionGivesUpAtMaxAttempts(maxAttempts: Int) {
        var generator = SplitMix64(seed: UInt64(maxAttempts))
        let policy = RetryPolicy(maxAttempts: maxAttempts, jitter: 0)
        for attempt in 1..<maxAttempts {
            let decision = policy.decision(afterAttempt: attempt, at: Self.now, using: &generator)
            let expected = Self.now.addingTimeInterval(policy.baseDelay(afterAttempt: attempt).seconds)
            #expect(decision == .retry(at: expected))
        }
        for attempt in maxAttempts...(maxAttempts + 2) {
            #expect(policy.decision(afterAttempt: attempt, at: Self.now, using: &generator) == .giveUp)
        }
    }

    @Test("maxAttempts 1 never retries")
    func singleAttempt() {
        let policy = RetryPolicy(maxAttempts: 1)
        #expect(policy.decision(afterAttempt: 1, at: Self.now) == .giveUp)
    }

    @Test("with jitter 0 the delay is exactly the base delay, at any start time")
    func noJitterExact() {
        var generator = SplitMix64(seed: 1)
        let policy = RetryPolicy(maxAttempts: 10, initialDelay: .seconds(15), jitter: 0)
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        for attempt in 1..<10 {
            let expected = start.addingTimeInterval(policy.baseDelay(afterAttempt: attempt).seconds)
            #expect(policy.decision(afterAttempt: attempt, at: start, using: &generator) == .retry(at: expected))
        }
    }

    @Test(
        "jittered delays stay within ±jitter of the base, never negative and never above the cap",
        arguments: [0.1, 0.2, 0.5, 1.0])
    func jitterBounds(jitter: Double) throws {
        var generator = SplitMix64(seed: 0xC0FFEE)
        let policy = RetryPolicy(
            maxAttempts: 12, initialDelay: .seconds(10), multiplier: 2, maximumDelay: .seconds(600), jitter: jitter)
        let cap = policy.maximumDelay.seconds
        for attempt in 1..<12 {
            let base = policy.baseDelay(afterAttempt: attempt).seconds
            var low = Double.infinity
            var high = -Double.infinity
            for _ in 0..<500 {
                let decision = policy.decision(afterAttempt: attempt, at: Self.now, using: &generator)
                let delay = try #require(Self.delay(of: decision))
                #expect(delay >= 0)
                #expect(delay <= cap)
                #expect(delay >= base * (1 - jitter) - 1e-9)
                #expect(delay <= base * (1 + jitter) + 1e-9)
                low = min(low, delay)
                high = max(high, delay)
            }
            // The draws actually spread: below the base, and above it unless the cap clips them.
            #expect(low < base)
            if base * (1 + jitter) <= cap {
                #expect(high > base)
            } else {
                #expect(high <= cap)
            }
        }
    }

    @Test("jitter is drawn from the supplied generator: equal seeds give equal decisions")
    func jitterDeterministic() {
        let policy = RetryPolicy(jitter: 0.5)
        var first = SplitMix64(seed: 42)
        var second = SplitMix64(seed: 42)
        var third = SplitMix64(seed: 43)
        let a = (1..<5).map { policy.decision(afterAttempt: $0, at: Self.now, using: &first) }
        let b = (1..<5).map { policy.decision(afterAttempt: $0, at: Self.now, using: &second) }
        let c = (1..<5).map { policy.decision(afterAttempt: $0, at: Self.now, using: &third) }
        #expect(a == b)
        #expect(a != c)
    }

    @Test("the system-random decision stays within the jitter bounds")
    func systemRandomDecision() throws {
        let policy = RetryPolicy(maxAttempts: 3, initialDelay: .seconds(100), maximumDelay: .seconds(1000), jitter: 0.2)
        for _ in 0..<100 {
            let delay = try #require(Self.delay(of: policy.decision(afterAttempt: 1, at: Self.now)))
            #expect((80.0 - 1e-9)...(120.0 + 1e-9) ~= delay)
        }
        #expect(policy.decision(afterAttempt: 3, at: Self.now) == .giveUp)
    }

    @Test("property: with jitter 0, delays never decrease with the attempt and never pass the cap")
    func propertyNonDecreasing() throws {
        var random = SplitMix64(seed: 2026)
        for _ in 0..<200 {
            let initial = Double(Int.random(in: 0...120, using: &random))
            let policy = RetryPolicy(
                maxAttempts: 40, initialDelay: .seconds(initial), multiplier: Double.random(in: 1...4, using: &random),
                maximumDelay: .seconds(initial + Double(Int.random(in: 0...7200, using: &random))), jitter: 0)
            try #require(policy.problems().isEmpty)
            var previous = -1.0
            for attempt in 1..<40 {
                let decision = policy.decision(afterAttempt: attempt, at: Self.now, using: &random)
                let delay = try #require(Self.delay(of: decision))
                #expect(delay >= previous)
                #expect(delay <= policy.maximumDelay.seconds)
                #expect(delay == policy.baseDelay(afterAttempt: attempt).seconds)
                previous = delay
            }
        }
    }

    // MARK: - problems

    @Test(
        "problems() names each invalid field",
        arguments: [
            (RetryPolicy(maxAttempts: 0), "retry_policy.max_attempts", "must be at least 1"),
            (RetryPolicy(maxAttempts: -1), "retry_policy.max_attempts", "must be at least 1"),
            (RetryPolicy(initialDelay: .seconds(-1)), "retry_policy.initial_delay", "must not be negative"),
            (RetryPolicy(multiplier: 0.99), "retry_policy.multiplier", "must be at least 1"),
            (RetryPolicy(multiplier: .nan), "retry_policy.multiplier", "must be at least 1"),
            (
                RetryPolicy(initialDelay: .seconds(60), maximumDelay: .seconds(59)), "retry_policy.maximum_delay",
                "must be at least initial_delay"
            ),
            (RetryPolicy(jitter: -0.01), "retry_policy.jitter", "must be in 0...1"),
            (RetryPolicy(jitter: 1.01), "retry_policy.jitter", "must be in 0...1"),
            (RetryPolicy(jitter: .nan), "retry_policy.jitter", "must be in 0...1"),
        ])
    func problems(policy: RetryPolicy, field: String, message: String) {
        #expect(policy.problems() == [FieldProblem(field: field, message: message)])
    }

    @Test("boundary values are valid")
    func boundaryValuesValid() {
        #expect(
            RetryPolicy(maxAttempts: 1, initialDelay: .zero, multiplier: 1, maximumDelay: .zero, jitter: 0)
                .problems().isEmpty)
        #expect(RetryPolicy(initialDelay: .seconds(5), maximumDelay: .seconds(5), jitter: 1).problems().isEmpty)
    }

    @Test("problems() reports every problem, with a custom prefix")
    func everyProblemWithPrefix() {
        let policy = RetryPolicy(
            maxAttempts: 0, initialDelay: .seconds(-5), multiplier: 0, maximumDelay: .seconds(-10), jitter: 2)
        #expect(
            policy.problems(fieldPrefix: "retry").map(\.field) == [
                "retry.max_attempts", "retry.initial_delay", "retry.multiplier", "retry.maximum_delay", "retry.jitter",
            ])
    }

    @Test(
        "Duration.seconds converts whole and fractional durations",
        arguments: [
            (Duration.zero, 0.0), (.seconds(90), 90), (.milliseconds(1500), 1.5), (.microseconds(1), 1e-6),
            (.seconds(-2), -2), (.milliseconds(-1500), -1.5),
        ])
    func durationSeconds(duration: Duration, seconds: Double) {
        #expect(abs(duration.seconds - seconds) < 1e-15)
    }
}
