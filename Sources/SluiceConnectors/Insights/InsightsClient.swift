import AsyncHTTPClient
import Foundation
import SluiceCore

/// The Marketing API insights client: daily ad-level rows (`level=ad`, `time_increment=1`) of an ad account, values
/// parsed from the API's strings. Ranges over 31 days, or any Meta calls too much data (100/1487534), go through an
/// asynchronous report run: `POST` the query, poll `async_status` until "Job Completed", then page the results.
public struct InsightsClient: Sendable {
    static let fields = "ad_id,ad_name,date_start,impressions,clicks,reach,spend,actions"

    let transport: MetaGraphTransport
    let pollInterval: Duration

    /// Creates a client; `pollInterval` is the wait between report status checks (default 5 s).
    public init(
        settings: MetaGraphSettings,
        retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 6, initialDelay: .seconds(2), maximumDelay: .seconds(60)),
        pollInterval: Duration = .seconds(5), http: HTTPClient = .connectors
    ) {
        transport = MetaGraphTransport(settings: settings, retryPolicy: retryPolicy, http: http)
        self.pollInterval = pollInterval
    }

    /// Fetches the daily rows of `account` (`act_…`) from `since` to `until` (`YYYY-MM-DD`, inclusive), page by page.
    /// Returns the number of rows.
    /// - Throws: ``MetaAPIError`` (a refused token, a failed report, retries exhausted); `CancellationError`.
    public func dailyAdInsights(
        account: String, since: String, until: String, days: Int,
        beforeRequest: @Sendable () async throws -> Void = {},
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void = { _, _ in },
        onStatus: @Sendable (String) -> Void = { _ in },
        onPage: ([InsightRecord]) async throws -> Void
    ) async throws -> Int {
        let parameters: [(name: String, value: String)] = [
            ("level", "ad"), ("fields", Self.fields), ("time_increment", "1"),
            ("time_range", #"{"since":"\#(since)","until":"\#(until)"}"#), ("limit", "500"),
        ]
        if days <= 31 {
            do {
                return try await pages(
                    path: "\(account)/insights", parameters, beforeRequest: beforeRequest, onBackoff: onBackoff,
                    onPage: onPage)
            } catch let error as MetaAPIError where error.code == 100 && error.subcode == 1_487_534 {
                onStatus("Meta asked for a smaller request; using an asynchronous report")
            }
        }
        let reportID = try await transport.send(
            .POST, path: "\(account)/insights", parameters: parameters, as: InsightsReportRun.self,
            beforeRequest: beforeRequest, onBackoff: onBackoff
        ).reportRunID
        try await waitForReport(reportID, beforeRequest: beforeRequest, onBackoff: onBackoff, onStatus: onStatus)
        return try await pages(
            path: "\(reportID)/insights", [("limit", "500")], beforeRequest: beforeRequest, onBackoff: onBackoff,
            onPage: onPage)
    }

    private func waitForReport(
        _ id: String, beforeRequest: @Sendable () async throws -> Void,
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void, onStatus: @Sendable (String) -> Void
    ) async throws {
        while true {
            let status = try await transport.send(
                path: id, parameters: [("fields", "async_status,async_percent_completion")],
                as: InsightsReportStatus.self, beforeRequest: beforeRequest, onBackoff: onBackoff)
            onStatus("insights report \(id): \(status.status) (\(status.percentCompletion ?? 0)%)")
            switch status.status {
            case "Job Completed": return
            case "Job Failed", "Job Skipped":
                throw MetaAPIError(
                    status: 200, code: -2, subcode: 2_490_547, message: "the insights report ended: \(status.status)",
                    isTransient: true, traceID: nil, regainAccessAfter: nil)
            default: try await Task.sleep(for: pollInterval)
            }
        }
    }

    private func pages(
        path: String, _ parameters: [(name: String, value: String)],
        beforeRequest: @Sendable () async throws -> Void, onBackoff: @Sendable (MetaAPIError, Duration) -> Void,
        onPage: ([InsightRecord]) async throws -> Void
    ) async throws -> Int {
        var count = 0
        var after: String?
        repeat {
            var query = parameters
            if let after { query.append(("after", after)) }
            let page = try await transport.send(
                path: path, parameters: query, as: GraphPage<InsightRecord>.self, beforeRequest: beforeRequest,
                onBackoff: onBackoff)
            guard !page.items.isEmpty else { break }
            try await onPage(page.items)
            count += page.items.count
            after = page.after
        } while after != nil
        return count
    }
}
