import Foundation
import SluiceCore
import SluiceStore

/// One page of `ads_archive` results, mapped to ``ScrapedAd``s.
struct AdLibraryPage: Sendable {
    let ads: [ScrapedAd]
    /// The cursor of the next page; nil at the end (no `paging.next`).
    let after: String?

    /// Reads a results document (a missing `data` is an empty page).
    init(json root: JSONObject) {
        guard case .array(let items) = root["data"] else {
            ads = []
            after = nil
            return
        }
        var ads: [ScrapedAd] = []
        for case .object(let item) in items {
            guard let ad = Self.ad(item) else { continue }
            ads.append(ad)
        }
        self.ads = ads
        var after: String?
        if case .object(let paging) = root["paging"], paging["next"] != nil,
            case .object(let cursors) = paging["cursors"],
            case .string(let cursor) = cursors["after"]
        {
            after = cursor
        }
        self.after = after
    }

    /// An `ArchivedAd` as a scraped ad; nil without a numeric id.
    static func ad(_ item: JSONObject) -> ScrapedAd? {
        guard case .string(let id) = item["id"], !id.isEmpty, id.allSatisfy(\.isNumber) else { return nil }
        let stop = date(item["ad_delivery_stop_time"])
        return ScrapedAd(
            archiveID: id, pageID: string(item["page_id"]), pageName: string(item["page_name"]), isActive: stop == nil,
            startedAt: date(item["ad_delivery_start_time"]), endedAt: stop,
            platforms: strings(item["publisher_platforms"]).map { $0.lowercased() },
            bodies: strings(item["ad_creative_bodies"]), titles: strings(item["ad_creative_link_titles"]))
    }

    private static func string(_ value: JSONValue?) -> String? {
        if case .string(let text) = value { text } else { nil }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let items) = value else { return [] }
        return items.compactMap(string)
    }

    /// `YYYY-MM-DD` (midnight UTC) or `2026-09-03T07:00:00+0000`.
    static func date(_ value: JSONValue?) -> Date? {
        guard let text = string(value) else { return nil }
        if text.count == 10 {
            return try? Date("\(text)T00:00:00Z", strategy: .iso8601)
        }
        let normalized =
            text.count == 24 && (text.hasSuffix("0000")) ? String(text.dropLast(5)) + "Z" : text
        return try? Date(normalized, strategy: .iso8601)
    }
}
