import Foundation

/// One ad's insights for one day as the Marketing API's `insights` edge returns them (`level=ad`,
/// `time_increment=1`): Meta sends the numbers as strings, and the typed values are read from them.
public struct InsightRecord: Decodable, Sendable, Hashable {
    /// An action count, such as `link_click`.
    public struct Action: Decodable, Sendable, Hashable {
        /// The action's type.
        public let actionType: String
        /// Its count, as sent.
        public let value: String

        private enum CodingKeys: String, CodingKey {
            case actionType = "action_type"
            case value
        }
    }

    /// The ad.
    public let adID: String
    /// The ad's name.
    public let adName: String?
    /// The day, `YYYY-MM-DD` in the account's time zone.
    public let dateStart: String
    private let impressionsText: String?
    private let clicksText: String?
    private let reachText: String?
    private let spendText: String?
    /// The actions, as sent.
    public let actionList: [Action]

    private enum CodingKeys: String, CodingKey {
        case adID = "ad_id"
        case adName = "ad_name"
        case dateStart = "date_start"
        case impressionsText = "impressions"
        case clicksText = "clicks"
        case reachText = "reach"
        case spendText = "spend"
        case actionList = "actions"
    }

    /// Decodes a row; one without an ad id and a day is undecodable (and skipped in a page).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        adID = try container.decode(String.self, forKey: .adID)
        dateStart = try container.decode(String.self, forKey: .dateStart)
        adName = try? container.decodeIfPresent(String.self, forKey: .adName)
        impressionsText = try? container.decodeIfPresent(String.self, forKey: .impressionsText)
        clicksText = try? container.decodeIfPresent(String.self, forKey: .clicksText)
        reachText = try? container.decodeIfPresent(String.self, forKey: .reachText)
        spendText = try? container.decodeIfPresent(String.self, forKey: .spendText)
        actionList = (try? container.decodeIfPresent(LenientList<Action>.self, forKey: .actionList))?.elements ?? []
    }

    /// Impressions (0 when absent or not a number).
    public var impressions: Int64 { impressionsText.flatMap { Int64($0) } ?? 0 }
    /// Clicks (0 when absent or not a number).
    public var clicks: Int64 { clicksText.flatMap { Int64($0) } ?? 0 }
    /// Reach (0 when absent or not a number).
    public var reach: Int64 { reachText.flatMap { Int64($0) } ?? 0 }
    /// Spend in the account's currency, exact (0 when absent or not a number).
    public var spend: Decimal {
        spendText.flatMap { Decimal(string: $0, locale: Locale(identifier: "en_US_POSIX")) } ?? 0
    }

    /// Action counts by type; actions whose value is not a whole number are left out.
    public var actions: [String: Int64] {
        var counts: [String: Int64] = [:]
        for action in actionList {
            if let count = Int64(action.value) { counts[action.actionType] = count }
        }
        return counts
    }
}

/// The answer to starting an asynchronous insights report.
struct InsightsReportRun: Decodable {
    let reportRunID: String

    private enum CodingKeys: String, CodingKey {
        case reportRunID = "report_run_id"
    }
}

/// An asynchronous insights report's progress.
struct InsightsReportStatus: Decodable {
    let status: String
    let percentCompletion: Int?

    private enum CodingKeys: String, CodingKey {
        case status = "async_status"
        case percentCompletion = "async_percent_completion"
    }

    /// Decodes a status; the percentage is informational, so a value that is not a whole number is left out.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(String.self, forKey: .status)
        percentCompletion = try? container.decodeIfPresent(Int.self, forKey: .percentCompletion)
    }
}
