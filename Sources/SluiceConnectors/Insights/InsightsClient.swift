import AsyncHTTPClient
import Foundation
import SluiceCore
import SluiceStore

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
        onPage: ([AdInsightRow]) async throws -> Void
    ) async throws -> Int {
        let parameters: [(name: String, value: String)] = [
            ("level", "ad"), ("fields", Self.fields), ("time_increment", "1"),
            ("time_range", #"{"since":"\#(since)","until":"\#(until)"}"#), ("limit", "500"),
        ]
        if days <= 31 {
            do {
                return try await pages(
                    path: "\(account)/insights", parameters, account: account, beforeRequest: beforeRequest,
                    onBackoff: onBackoff, onPage: onPage)
            } catch let error as MetaAPIError where error.code == 100 && error.subcode == 1_487_534 {
                onStatus("Meta asked for a smaller request; using an asynchronous report")
            }
        }
        let started = try await transport.send(
            .POST, path: "\(account)/insights", parameters: parameters, beforeRequest: beforeRequest,
            onBackoff: onBackoff)
        guard case .string(let reportID) = started["report_run_id"] else {
            throw MetaAPIError(
                status: 200, code: 2, subcode: nil, message: "no report_run_id in the response", isTransient: true,
                traceID: nil, regainAccessAfter: nil)
        }
        try await waitForReport(reportID, beforeRequest: beforeRequest, onBackoff: onBackoff, onStatus: onStatus)
        return try await pages(
            path: "\(reportID)/insights", [("limit", "500")], account: account, beforeRequest: beforeRequest,
            onBackoff: onBackoff, onPage: onPage)
    }

    private func waitForReport(
        _ id: String, beforeRequest: @Sendable () async throws -> Void,
        onBackoff: @Sendable (MetaAPIError, Duration) -> Void, onStatus: @Sendable (String) -> Void
    ) async throws {
        while true {
            let status = try await transport.send(
                path: id, parameters: [("fields", "async_status,async_percent_completion")],
                beforeRequest: beforeRequest, onBackoff: onBackoff)
            guard case .string(let text) = status["async_status"] else {
                throw MetaAPIError(
                    status: 200, code: 2, subcode: nil, message: "no async_status for report \(id)", isTransient: true,
                    traceID: nil, regainAccessAfter: nil)
            }
            var percent: Int64 = 0
            if case .int(let value) = status["async_percent_completion"] { percent = value }
            onStatus("insights report \(id): \(text) (\(percent)%)")
            switch text {
            case "Job Completed": return
            case "Job Failed", "Job Skipped":
                throw MetaAPIError(
                    status: 200, code: -2, subcode: 2_490_547, message: "the insights report ended: \(text)",
                    isTransient: true, traceID: nil, regainAccessAfter: nil)
            default: try await Task.sleep(for: pollInterval)
            }
        }
    }

    private func pages(
        path: String, _ parameters: [(name: String, value: String)], account: String,
        beforeRequest: @Sendable () async throws -> Void, onBackoff: @Sendable (MetaAPIError, Duration) -> Void,
        onPage: ([AdInsightRow]) async throws -> Void
    ) async throws -> Int {
        var count = 0
        var after: String?
        repeat {
            var query = parameters
            if let after { query.append(("after", after)) }
            let page = try await transport.send(
                path: path, parameters: query, beforeRequest: beforeRequest, onBackoff: onBackoff)
            guard case .array(let items) = page["data"], !items.isEmpty else { break }
            let rows = items.compactMap { item in
                if case .object(let object) = item { Self.row(object, account: account) } else { nil }
            }
            try await onPage(rows)
            count += rows.count
            after = Self.nextCursor(page)
        } while after != nil
        return count
    }

    static func nextCursor(_ page: JSONObject) -> String? {
        guard case .object(let paging) = page["paging"], paging["next"] != nil,
            case .object(let cursors) = paging["cursors"],
            case .string(let after) = cursors["after"]
        else { return nil }
        return after
    }

    /// A row of strings as typed values; nil without an ad id and a day.
    static func row(_ object: JSONObject, account: String) -> AdInsightRow? {
        func text(_ name: String) -> String? { if case .string(let value) = object[name] { value } else { nil } }
        func count(_ name: String) -> Int64 { text(name).flatMap { Int64($0) } ?? 0 }
        guard let adID = text("ad_id"), let date = text("date_start") else { return nil }
        var actions: [String: Int64] = [:]
        if case .array(let items) = object["actions"] {
            for case .object(let action) in items {
                if case .string(let type) = action["action_type"], case .string(let value) = action["value"],
                    let number = Int64(value)
                {
                    actions[type] = number
                }
            }
        }
        return AdInsightRow(
            adAccountID: account, adID: adID, adName: text("ad_name"), date: date, impressions: count("impressions"),
            clicks: count("clicks"), reach: count("reach"),
            spend: text("spend").flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } ?? 0,
            actions: actions)
    }
}
