import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The Marketing API insights edge: `GET /{version}/act_{id}/insights` (level=ad, daily rows, all values as strings,
/// zero-delivery days omitted), a "too much data" error for synchronous ranges over 31 days, and asynchronous report
/// runs (`POST` → `report_run_id`, polled through "Job Not Started" … "Job Completed", then paged results).
/// ``reviseRecentDays(_:)`` changes the last days' figures, as Meta does.
extension FakeMetaServer {
    /// Ads of the fake ad account `act_42`.
    static let insightAds = (0..<5).map { "23840000000000\(10 + $0)" }

    func addInsightRoutes(to router: Router<BasicRequestContext>) {
        router.get("/:version/:node/insights") { [self] request, context -> Response in
            record(request)
            if let refusal = refuseToken(request) { return refusal }
            let query = Self.query(of: request)
            let node = context.parameters.get("node") ?? ""
            if let report = reports.withLock({ $0[node] }) {
                return try page(of: insightRows(report.days), query: query)
            }
            guard node == "act_42" else {
                return Self.error(status: .badRequest, code: 100, subcode: 33, message: "Unsupported get request.")
            }
            guard let range = Self.range(query["time_range"]) else {
                return Self.error(status: .badRequest, code: 100, message: "(#100) time_range is invalid")
            }
            guard range.count <= 31 else {
                return Self.error(
                    status: .badRequest, code: 100, subcode: 1_487_534,
                    message: "Please reduce the amount of data you're asking for, then retry your request")
            }
            return try page(of: insightRows(range), query: query)
        }
        router.post("/:version/:node/insights") { [self] request, _ -> Response in
            record(request)
            if let refusal = refuseToken(request) { return refusal }
            guard let range = Self.range(Self.query(of: request)["time_range"]) else {
                return Self.error(status: .badRequest, code: 100, message: "(#100) time_range is invalid")
            }
            let id = reports.withLock { reports in
                let id = String(9_100_000 + reports.count)
                reports[id] = Report(days: range, polls: 0)
                return id
            }
            return try Self.json(["report_run_id": id])
        }
        router.get("/:version/:node") { [self] request, context -> Response in
            record(request)
            if let refusal = refuseToken(request) { return refusal }
            guard let id = context.parameters.get("node"),
                let polls = reports.withLock({ reports -> Int? in
                    reports[id]?.polls += 1
                    return reports[id]?.polls
                })
            else { return Self.error(status: .badRequest, code: 100, message: "Unknown report") }
            let steps = [("Job Not Started", 0), ("Job Started", 10), ("Job Running", 60), ("Job Completed", 100)]
            let step = steps[min(polls - 1, steps.count - 1)]
            return try Self.json(["id": id, "async_status": step.0, "async_percent_completion": step.1])
        }
    }

    /// Makes the figures of the last `days` days (up to today) different from before, as Meta's revisions do.
    public func reviseRecentDays(_ days: Int) {
        revision.withLock { $0 = (count: $0.count + 1, days: days) }
    }

    /// Revises the day `date` (`YYYY-MM-DD`) to no delivery at all: its rows disappear from every later pull, as
    /// when Meta discounts a day's invalid traffic.
    public func withdrawDelivery(on date: String) {
        _ = withdrawnDays.withLock { $0.insert(date) }
    }

    private func refuseToken(_ request: Request) -> Response? {
        let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let token = bearer, validTokens.contains(token) else {
            return Self.error(status: .badRequest, code: 190, message: "Invalid OAuth access token.")
        }
        return nil
    }

    /// The rows of the days in `range`: deterministic per ad and day, revised near today.
    private func insightRows(_ range: [String]) -> [[String: Any]] {
        let (revisions, revisedDays) = revision.withLock { $0 }
        let today = Self.day(Date())
        let revisedFrom = Self.day(Date().addingTimeInterval(Double(-(revisedDays - 1)) * 86_400))
        var rows: [[String: Any]] = []
        let withdrawn = withdrawnDays.withLock { $0 }
        for date in range where !withdrawn.contains(date) {
            for ad in Self.insightAds {
                let seed = (ad + date).utf8.reduce(17) { ($0 &* 31 &+ Int($1)) & 0x7FFF_FFFF }
                if seed % 7 == 0 { continue }  // no delivery that day: Meta omits the row
                let bump = date >= revisedFrom && date <= today ? revisions * 37 : 0
                let impressions = 800 + seed % 900 + bump
                let clicks = impressions / 50
                let spendCents = impressions * 3 + seed % 100
                rows.append([
                    "ad_id": ad, "ad_name": "Ad \(ad.suffix(2))", "date_start": date, "date_stop": date,
                    "account_id": "42", "impressions": String(impressions), "clicks": String(clicks),
                    "reach": String(impressions * 9 / 10),
                    "spend": "\(spendCents / 100).\(String(format: "%02d", spendCents % 100))",
                    "ctr": String(format: "%.6f", Double(clicks) / Double(impressions) * 100),
                    "actions": [["action_type": "link_click", "value": String(clicks)]],
                ])
            }
        }
        return rows
    }

    private func page(of rows: [[String: Any]], query: [String: String]) throws -> Response {
        let limit = min(500, max(1, Int(query["limit"] ?? "25") ?? 25))
        let offset =
            query["after"].flatMap { Data(base64Encoded: $0) }.flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
        let slice = Array(rows.dropFirst(offset).prefix(limit))
        var body: [String: Any] = ["data": slice]
        if offset + slice.count < rows.count {
            let after = Data(String(offset + slice.count).utf8).base64EncodedString()
            body["paging"] = ["cursors": ["after": after], "next": "insights?after=\(after)"]
        }
        return try Self.json(body)
    }

    private static func query(of request: Request) -> [String: String] {
        Dictionary(
            request.uri.queryParameters.map { (String($0.key), String($0.value)) },
            uniquingKeysWith: { _, last in last })
    }

    /// The days of `{"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}`, oldest first.
    static func range(_ text: String?) -> [String]? {
        guard let text, let data = text.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String],
            let since = object["since"].flatMap({ try? Date("\($0)T00:00:00Z", strategy: .iso8601) }),
            let until = object["until"].flatMap({ try? Date("\($0)T00:00:00Z", strategy: .iso8601) }), since <= until
        else { return nil }
        return stride(from: since.timeIntervalSince1970, through: until.timeIntervalSince1970, by: 86_400).map {
            day(Date(timeIntervalSince1970: $0))
        }
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC")!).year().month().day())
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return Response(
            status: status, headers: [.contentType: "application/json; charset=UTF-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// An asynchronous insights report of the fake.
struct Report: Sendable {
    let days: [String]
    var polls: Int
}
