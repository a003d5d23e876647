import Foundation
import SluiceCore
import SluiceStore
import Testing

/// One specified behaviour of every ``JobStore``, runnable against any backend's ``StoreHarness``.
public struct ConformanceCase: Sendable, CustomTestStringConvertible {
    /// What the case specifies, shown as the test's argument.
    public let name: String
    let storeCount: Int
    let body: @Sendable (StoreFixture) async throws -> Void

    init(_ name: String, stores storeCount: Int = 1, _ body: @escaping @Sendable (StoreFixture) async throws -> Void) {
        self.name = name
        self.storeCount = storeCount
        self.body = body
    }

    public var testDescription: String { name }

    /// Runs the case on a fresh database of `harness`'s backend, which holds the two brands of
    /// ``ConformanceJobTypes`` ("Brand A" and "Brand B").
    public func run(on harness: some StoreHarness) async throws {
        let configuration = StoreConfiguration(registry: ConformanceJobTypes.registry, clock: ManualWallClock())
        try await harness.withDatabase(storeCount: storeCount, configuration: configuration) { fixture in
            try await ConformanceJobTypes.createBrands(in: fixture.store)
            try await body(fixture)
        }
    }
}

/// The conformance suite: every case, to be run by each backend's test target.
///
/// ```swift
/// @Suite("Store conformance — SQLite") struct SQLiteConformanceTests {
///     @Test(arguments: StoreConformance.cases)
///     func conformance(_ specified: ConformanceCase) async throws { try await specified.run(on: SQLiteHarness()) }
/// }
/// ```
public enum StoreConformance {
    /// Every case.
    public static let cases: [ConformanceCase] =
        jobInsertCases + jobListCases + jobControlCases + claimCases + runLifecycleCases + fencingCases
        + workerCases + schedulingCases + chainingCases + logCases + datasetCases + leaseCases + pruneCases
        + concurrencyCases + datasetSettingsCases + datasetOutcomeCases + rateLimiterCases + webhookCases + adIntelCases
        + directClaimCases + accessCases + adIntelEditCases + runOutcomeCases + recurringEditCases + storedTextCases
        + insightWindowCases
        + sessionCases + runTableCases + jobsStoredAsRunsCases
}
