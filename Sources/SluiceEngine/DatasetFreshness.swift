import Foundation
import SluiceCore
import SluiceStore

/// A dataset's freshness for one brand, with the settings that apply to that brand.
public struct DatasetFreshness: Sendable, Hashable {
    /// The dataset.
    public let dataset: Dataset
    /// The brand.
    public let brandID: UUID
    /// What was recorded of its refreshes, if anything.
    public let record: DatasetRefreshRecord?
    /// The brand's settings, if any.
    public let override: DatasetOverride?
    /// Whether a producing run is running for the brand.
    public let refreshing: Bool
    /// The policy that applies: the brand's, else the dataset's.
    public var policy: FreshnessPolicy { override?.policy ?? dataset.policy }
    /// Whether the engine refreshes it for the brand when it becomes stale.
    public var autoRefresh: Bool { override?.autoRefresh ?? dataset.autoRefresh }
    /// Its state now.
    public let state: FreshnessState

    init(
        dataset: Dataset, brandID: UUID, record: DatasetRefreshRecord?, override: DatasetOverride?, refreshing: Bool,
        now: Date
    ) {
        self.dataset = dataset
        self.brandID = brandID
        self.record = record
        self.override = override
        self.refreshing = refreshing
        state = (override?.policy ?? dataset.policy).state(of: record, refreshing: refreshing, at: now)
    }
}

/// Reads the freshness of datasets from the store: records, brand settings and the runs in progress.
struct FreshnessReader: Sendable {
    let store: any JobStore
    let datasets: DatasetRegistry

    /// The freshness of every dataset of `brandID`, or of every brand the store knows of (its brands, and any brand
    /// with refresh records or settings) when nil; sorted by brand then dataset.
    func freshness(brandID: UUID?, at now: Date) async throws -> [DatasetFreshness] {
        let records = try await store.datasetRecords(brandID: brandID)
        let overrides = try await store.datasetOverrides(brandID: brandID)
        let known = brandID == nil ? try await store.brands().map(\.id) : []
        let recordsByKey = Dictionary(
            records.map { (Key($0.brandID, $0.dataset), $0) }, uniquingKeysWith: { a, _ in a })
        let overridesByKey = Dictionary(
            overrides.map { (Key($0.brandID, $0.dataset), $0) }, uniquingKeysWith: { a, _ in a })
        let brands =
            brandID.map { [$0] }
            ?? Set(known + records.map(\.brandID) + overrides.map(\.brandID)).sorted { $0.uuidString < $1.uuidString }
        var result: [DatasetFreshness] = []
        for dataset in datasets.all {
            let refreshingBrands = try await brandsRunning(dataset.producedBy, brandID: brandID)
            for brand in brands {
                let key = Key(brand, dataset.name)
                result.append(
                    DatasetFreshness(
                        dataset: dataset, brandID: brand, record: recordsByKey[key], override: overridesByKey[key],
                        refreshing: refreshingBrands.contains(brand), now: now))
            }
        }
        return result.sorted { ($0.brandID.uuidString, $0.dataset.name) < ($1.brandID.uuidString, $1.dataset.name) }
    }

    /// The brands with a running run of `jobType` (one page of up to 1 000 runs: running runs are bounded by the
    /// workers' capacity).
    private func brandsRunning(_ jobType: String, brandID: UUID?) async throws -> Set<UUID> {
        let running = try await store.listRuns(
            RunQuery(brandID: brandID, jobType: jobType, states: [.running], limit: PageLimit.maximum))
        return Set(running.items.map(\.brandID))
    }

    private struct Key: Hashable {
        let brandID: UUID
        let dataset: String
        init(_ brandID: UUID, _ dataset: String) {
            self.brandID = brandID
            self.dataset = dataset
        }
    }
}
