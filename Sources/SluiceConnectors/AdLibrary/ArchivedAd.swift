import Foundation

/// An ad as the Ad Library API's `ads_archive` edge returns it: the fields ``AdLibraryClient`` asks for, named as
/// Meta names them.
public struct ArchivedAd: Decodable, Sendable, Hashable {
    /// The Ad Library archive id (numeric).
    public let id: String
    /// The advertiser's page id.
    public let pageID: String?
    /// The advertiser's page name.
    public let pageName: String?
    /// `YYYY-MM-DD` or `2026-09-03T07:00:00+0000`.
    public let deliveryStartTime: String?
    /// As ``deliveryStartTime``; absent while the ad runs.
    public let deliveryStopTime: String?
    /// Where it ran, as Meta spells them (`FACEBOOK`, `INSTAGRAM`, …).
    public let publisherPlatforms: [String]
    /// Body texts, one per card or version.
    public let creativeBodies: [String]
    /// Link titles, one per card or version.
    public let creativeLinkTitles: [String]

    private enum CodingKeys: String, CodingKey {
        case id
        case pageID = "page_id"
        case pageName = "page_name"
        case deliveryStartTime = "ad_delivery_start_time"
        case deliveryStopTime = "ad_delivery_stop_time"
        case publisherPlatforms = "publisher_platforms"
        case creativeBodies = "ad_creative_bodies"
        case creativeLinkTitles = "ad_creative_link_titles"
    }

    /// Decodes an ad; an id that is not a non-empty string of digits makes it undecodable (and skipped in a page).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        guard !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "not a numeric id")
        }
        pageID = try? container.decodeIfPresent(String.self, forKey: .pageID)
        pageName = try? container.decodeIfPresent(String.self, forKey: .pageName)
        deliveryStartTime = try? container.decodeIfPresent(String.self, forKey: .deliveryStartTime)
        deliveryStopTime = try? container.decodeIfPresent(String.self, forKey: .deliveryStopTime)
        publisherPlatforms = Self.strings(container, .publisherPlatforms)
        creativeBodies = Self.strings(container, .creativeBodies)
        creativeLinkTitles = Self.strings(container, .creativeLinkTitles)
    }

    /// When delivery started.
    public var startedAt: Date? { Self.date(deliveryStartTime) }

    /// When delivery stopped; nil while the ad runs.
    public var stoppedAt: Date? { Self.date(deliveryStopTime) }

    /// A list of strings; its non-string items, or a value that is not a list, are left out.
    private static func strings(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> [String] {
        (try? container.decodeIfPresent(LenientList<String>.self, forKey: key))?.elements ?? []
    }

    /// `YYYY-MM-DD` (midnight UTC) or `2026-09-03T07:00:00+0000`.
    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        if text.count == 10 {
            return try? Date("\(text)T00:00:00Z", strategy: .iso8601)
        }
        let normalized = text.count == 24 && text.hasSuffix("0000") ? String(text.dropLast(5)) + "Z" : text
        return try? Date(normalized, strategy: .iso8601)
    }
}
